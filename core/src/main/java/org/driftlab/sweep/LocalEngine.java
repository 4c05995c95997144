package org.driftlab.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The default engine: members run in this JVM, {@code parallel} at a time, each on a thread of its own that
 * computes with the member's thread count. The cores are split between members: by default
 * {@code max(1, cores / threads per member)} run at once, so eight 1-thread members on 2 cores run two at a time.
 * A member's arithmetic is the same as when it runs alone with the same thread count, so its result is bitwise the
 * same (the work split of every kernel depends only on the thread count, never on timing).
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
    public String describe() {
        return "local, " + parallel + " member" + (parallel == 1 ? "" : "s") + " at a time";
    }

    @Override
    public void run(List<MemberTask> tasks, MemberJob job, Consumer<MemberResult> done) {
        if (tasks.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, tasks.size()), r -> {
            Thread t = new Thread(r, "driftlab-member");
            t.setDaemon(true);
            return t;
        });
        Object lock = new Object();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (MemberTask task : tasks) {
                futures.add(pool.submit(() -> {
                    long start = System.nanoTime();
                    MemberResult r;
                    try {
                        r = job.run(task);
                    } catch (RuntimeException | Error e) { // a job that broke its contract still ends the member
                        r = MemberResult.failed(task, e, (System.nanoTime() - start) / 1e9);
                    }
                    synchronized (lock) {
                        done.accept(r);
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sweep interrupted", e);
        } catch (ExecutionException e) {
            // only done (the caller's bookkeeping) can throw here: a bug or an I/O failure of the sweep directory
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error er) {
                throw er;
            }
            throw new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
