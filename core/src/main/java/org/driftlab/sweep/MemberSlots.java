package org.driftlab.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The driver side every engine shares: members handed out to {@code slots} threads, each of which runs one member at
 * a time where the engine says ({@code place}: in this thread, or as a Spark job it waits for), reporting each result
 * to {@code done} as it comes (one call at a time). A placement that throws ends its member as
 * {@link MemberResult#FAILED}; only {@code done} (the caller's bookkeeping) can end the whole run with an exception.
 */
public final class MemberSlots {
    private MemberSlots() {}

    /** Runs every task through place on at most slots threads; returns when all have finished. */
    public static void run(int slots, String threadName, List<MemberTask> tasks, Function<MemberTask, MemberResult> place,
                           Consumer<MemberResult> done) {
        if (tasks.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(slots, tasks.size()), r -> {
            Thread t = new Thread(r, threadName);
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
                        r = place.apply(task);
                    } catch (RuntimeException | Error e) { // a member whose placement failed still ends, as failed
                        r = MemberResult.failed(task, rootCause(e), (System.nanoTime() - start) / 1e9);
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

    /** The innermost cause that has a message (Spark wraps a task's error in its own exceptions). */
    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? t : c;
    }
}
