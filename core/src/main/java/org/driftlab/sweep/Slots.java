package org.driftlab.sweep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The driver side every engine shares: tasks handed out, in order, to at most {@code slots} threads, each taking the
 * next task when it is free. The first task that throws stops the handing out; the tasks running then end, and its
 * exception is thrown out of {@link #run}. Members ({@link MemberSlots}) and work items ({@link #items}) both run
 * through it; an engine only says where one task is computed (in the slot's thread, or as a Spark job it waits for).
 */
public final class Slots {
    private Slots() {}

    /**
     * Runs every task on at most slots threads. perThread is called once on each thread, and the body it returns
     * then takes that thread's tasks, so a body may keep what is costly to build (an opened {@link WorkJob.Worker}).
     */
    public static <T> void run(int slots, String threadName, List<T> tasks, Supplier<Consumer<T>> perThread) {
        if (tasks.isEmpty()) {
            return;
        }
        int threads = Math.min(slots, tasks.size());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                futures.add(pool.submit(() -> {
                    try {
                        Consumer<T> body = perThread.get();
                        int k;
                        while (!failed.get() && (k = next.getAndIncrement()) < tasks.size()) {
                            body.accept(tasks.get(k));
                        }
                    } catch (RuntimeException | Error e) {
                        failed.set(true); // the other threads take no further task
                        throw e;
                    }
                    return null;
                }));
            }
            Throwable first = null;
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    first = first == null ? e.getCause() : first;
                }
            }
            if (first instanceof RuntimeException re) {
                throw re;
            }
            if (first instanceof Error er) {
                throw er;
            }
            if (first != null) {
                throw new IllegalStateException(first);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The work items indices in chunks of chunk consecutive indices, at most slots chunks at once: place (one per
     * thread) evaluates one chunk where the engine says, and done hears each item of it, one call at a time. The
     * first exception (from place or done) ends the work and is thrown.
     */
    public static void items(int slots, String threadName, int[] indices, int chunk,
                             Supplier<Function<int[], double[][]>> place, WorkJob.Sink done) {
        List<int[]> chunks = new ArrayList<>();
        for (int from = 0; from < indices.length; from += chunk) {
            chunks.add(Arrays.copyOfRange(indices, from, Math.min(indices.length, from + chunk)));
        }
        Object lock = new Object();
        boolean[] refused = {false}; // done threw: a chunk that ends afterwards is not delivered, as after a kill
        run(slots, threadName, chunks, () -> {
            Function<int[], double[][]> here = place.get();
            return c -> {
                double[][] values = here.apply(c);
                synchronized (lock) {
                    for (int i = 0; i < c.length && !refused[0]; i++) {
                        try {
                            done.accept(c[i], values[i]);
                        } catch (RuntimeException | Error e) {
                            refused[0] = true;
                            throw e;
                        }
                    }
                }
            };
        });
    }
}
