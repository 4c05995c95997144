package org.driftlab.sweep;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The driver side of members on every engine ({@link Slots}): members handed out to {@code slots} threads, each of
 * which runs one member at a time where the engine says ({@code place}: in this thread, or as a Spark job it waits
 * for), reporting each result to {@code done} as it comes (one call at a time). A placement that throws ends its member as
 * {@link MemberResult#FAILED}; only {@code done} (the caller's bookkeeping) can end the whole run with an exception.
 */
public final class MemberSlots {
    private MemberSlots() {}

    /** Runs every task through place on at most slots threads; returns when all have finished. */
    public static void run(int slots, String threadName, List<MemberTask> tasks, Function<MemberTask, MemberResult> place,
                           Consumer<MemberResult> done) {
        Object lock = new Object();
        Slots.run(slots, threadName, tasks, () -> task -> {
            long start = System.nanoTime();
            MemberResult r;
            try {
                r = place.apply(task);
            } catch (RuntimeException | Error e) { // a member whose placement failed still ends, as failed
                r = MemberResult.failed(task, rootCause(e), (System.nanoTime() - start) / 1e9);
            }
            synchronized (lock) {
                done.accept(r);
            }
        });
    }

    /** The innermost cause that has a message (Spark wraps a task's error in its own exceptions). */
    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? t : c;
    }
}
