package org.driftlab.sweep;

import java.util.List;
import java.util.function.Consumer;

/**
 * The default engine: members run in this JVM, {@code parallel} at a time, each on a thread of its own that
 * computes with the member's thread count. The cores are split between members: by default
 * {@code max(1, cores / threads per member)} run at once, so eight 1-thread members on 2 cores run two at a time.
 * A member's arithmetic is the same as when it runs alone with the same thread count, so its result is bitwise the
 * same (the work split of every kernel depends only on the thread count, never on timing). Work items
 * ({@link #evaluate}) are taken one at a time by {@code parallel} threads.
 */
public final class LocalEngine implements SweepEngine {
    private final int parallel;

    /** An engine running parallel members at a time (0: chosen from the cores and memberThreads). */
    public LocalEngine(EngineOptions options) {
        int cores = Runtime.getRuntime().availableProcessors();
        this.parallel = options.parallel() > 0 ? options.parallel() : Math.max(1, cores / options.memberThreads());
    }

    @Override
    public int parallelism() {
        return parallel;
    }

    @Override
    public String describe(String item) {
        return "local, " + parallel + " " + item + (parallel == 1 ? "" : "s") + " at a time";
    }

    @Override
    public void run(List<MemberTask> tasks, MemberJob job, Consumer<MemberResult> done) {
        MemberSlots.run(parallel, "driftlab-member", tasks, job::run, done);
    }

    /** Items one at a time on each of parallel threads, each thread with one worker for all the items it takes. */
    @Override
    public void evaluate(int[] indices, WorkJob job, WorkJob.Sink done) {
        Slots.items(parallel, "driftlab-worker", indices, 1, () -> {
            WorkJob.Worker worker = job.open();
            return worker::applyAll;
        }, done);
    }
}
