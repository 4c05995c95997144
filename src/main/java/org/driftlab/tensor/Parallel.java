package org.driftlab.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * The one place that owns driftlab's worker threads.
 *
 * <p>Work is split into a fixed number of contiguous chunks that depends only on the problem size and the
 * configured thread count, never on timing, so every kernel is deterministic for a given thread count.
 */
public final class Parallel {
    /** A body that processes the half-open index range [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private static volatile int threads = defaultThreads();
    private static ExecutorService pool;

    private Parallel() {}

    private static int defaultThreads() {
        String env = System.getenv("DRIFTLAB_THREADS");
        if (env != null && !env.isBlank()) {
            try {
                return Math.max(1, Integer.parseInt(env.trim()));
            } catch (NumberFormatException ignored) {
                // fall through to the machine default
            }
        }
        return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 8));
    }

    /** Number of threads kernels may use (>= 1). */
    public static int threads() {
        return threads;
    }

    /** Sets the number of worker threads; results are deterministic for a fixed value. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        if (n != threads) {
            threads = n;
            if (pool != null) {
                pool.shutdown();
                pool = null;
            }
        }
    }

    private static synchronized ExecutorService pool() {
        if (pool == null) {
            ThreadFactory tf = r -> {
                Thread t = new Thread(r, "driftlab-worker");
                t.setDaemon(true);
                return t;
            };
            pool = Executors.newFixedThreadPool(Math.max(1, threads - 1), tf);
        }
        return pool;
    }

    /**
     * Runs body over [0, n) split into at most {@link #threads()} contiguous chunks, each at least minChunk long.
     * The calling thread runs the first chunk.
     */
    public static void forRange(int n, int minChunk, RangeBody body) {
        int t = threads;
        int chunks = (int) Math.min(t, Math.max(1, (long) n / Math.max(1, minChunk)));
        if (chunks <= 1 || Thread.currentThread().getName().equals("driftlab-worker")) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        ExecutorService ex = pool();
        List<Future<?>> futures = new ArrayList<>(chunks - 1);
        for (int c = 1; c < chunks; c++) {
            final int from = (int) ((long) n * c / chunks);
            final int to = (int) ((long) n * (c + 1) / chunks);
            futures.add(ex.submit(() -> body.run(from, to)));
        }
        body.run(0, (int) ((long) n / chunks));
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException) {
                    throw (RuntimeException) cause;
                }
                if (cause instanceof Error) {
                    throw (Error) cause;
                }
                throw new IllegalStateException(cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** Number of chunks {@link #forRange} would use; lets reductions allocate one partial result per chunk. */
    public static int chunks(int n, int minChunk) {
        return (int) Math.min(threads, Math.max(1, (long) n / Math.max(1, minChunk)));
    }
}
