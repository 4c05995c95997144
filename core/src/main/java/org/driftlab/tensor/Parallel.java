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

    /** DRIFTLAB_THREADS (a bad value is an error, see {@link org.driftlab.Environment}), else up to 8 cores. */
    private static int defaultThreads() {
        int env = org.driftlab.Environment.threads();
        return env > 0 ? env : Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 8));
    }

    /** A thread count set for the calling thread only ({@link #withThreads}), or null. */
    private static final ThreadLocal<Integer> LOCAL = new ThreadLocal<>();

    /** Number of threads kernels called from this thread may use (>= 1). */
    public static int threads() {
        Integer local = LOCAL.get();
        return local != null ? local : threads;
    }

    /**
     * Runs body with kernels called from this thread split into n chunks, whatever the global count: a training
     * run started on its own thread (a sweep member) keeps its spec's thread count, and so its bitwise results,
     * beside others. The global count is untouched.
     */
    public static <T> T withThreads(int n, java.util.function.Supplier<T> body) {
        checkCount(n);
        Integer old = LOCAL.get();
        LOCAL.set(n);
        try {
            return body.get();
        } finally {
            if (old == null) {
                LOCAL.remove();
            } else {
                LOCAL.set(old);
            }
        }
    }

    /** A thread count from 1 to {@link org.driftlab.Environment#MAX_THREADS}: a team starts that many threads. */
    private static void checkCount(int n) {
        if (n < 1 || n > org.driftlab.Environment.MAX_THREADS) {
            throw new IllegalArgumentException("threads must be from 1 to " + org.driftlab.Environment.MAX_THREADS + ", got " + n);
        }
    }

    /** Sets the number of worker threads; results are deterministic for a fixed value. */
    public static synchronized void setThreads(int n) {
        checkCount(n);
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

    /** One team per size: callers with different thread counts ({@link #withThreads}) never shut down each other's. */
    private static final java.util.Map<Integer, Team> TEAMS = new java.util.HashMap<>();

    private static synchronized Team team(int t) {
        return TEAMS.computeIfAbsent(t - 1, Team::new);
    }

    /**
     * Runs body over [0, n) split into at most {@link #threads()} contiguous chunks, each at least minChunk long.
     * The calling thread runs the first chunk.
     */
    public static void forRange(int n, int minChunk, RangeBody body) {
        int t = threads();
        int chunks = (int) Math.min(t, Math.max(1, (long) n / Math.max(1, minChunk)));
        if (chunks <= 1 || Thread.currentThread() instanceof TeamThread
                || Thread.currentThread().getName().equals("driftlab-worker")) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        Team tm = team(t);
        if (tm.lock.tryLock()) {
            try {
                tm.run(n, chunks, body);
            } finally {
                tm.lock.unlock();
            }
            return;
        }
        // another thread is using the team: hand the chunks to the executor (same chunks, same results)
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
                rethrow(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private static void rethrow(Throwable cause) {
        if (cause instanceof RuntimeException) {
            throw (RuntimeException) cause;
        }
        if (cause instanceof Error) {
            throw (Error) cause;
        }
        throw new IllegalStateException(cause);
    }

    /**
     * How long a waiting thread (a worker between calls, the caller waiting for its workers) spins before it parks.
     * Spinning is cheap when every thread has a core of its own, since park and unpark cost tens of microseconds
     * and a gradient makes hundreds of calls; it is ruinous when the machine is shared, because a spinning thread
     * takes the core that the thread it waits for needs (a ViT gradient fell to a seventh of its speed at load 20
     * with 16384 spins of unbounded length). So the spin is bounded in time, not in iterations, and kept short:
     * long enough to bridge the caller's bookkeeping between two kernels, short enough to cost little when the
     * wait is long.
     */
    static final long SPIN_NANOS = 50_000;

    /** Spins, checking the clock every so often, until {@code done} holds or {@link #SPIN_NANOS} have passed. */
    private static boolean spinUntil(java.util.function.BooleanSupplier done) {
        long start = System.nanoTime();
        for (int i = 1; ; i++) {
            if (done.getAsBoolean()) {
                return true;
            }
            Thread.onSpinWait();
            if ((i & 63) == 0 && System.nanoTime() - start > SPIN_NANOS) {
                return false;
            }
        }
    }

    /** Persistent worker threads handed one chunk each per call, without executor queues or futures. */
    private static final class Team {
        final int size;
        final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        final TeamThread[] workers;
        final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
        volatile Thread caller;
        volatile Throwable failure;

        Team(int size) {
            this.size = size;
            this.workers = new TeamThread[size];
            for (int i = 0; i < size; i++) {
                workers[i] = new TeamThread(this);
                workers[i].start();
            }
        }

        void run(int n, int chunks, RangeBody body) {
            failure = null;
            caller = Thread.currentThread();
            pending.set(chunks - 1);
            for (int c = 1; c < chunks; c++) {
                TeamThread w = workers[c - 1];
                w.from = (int) ((long) n * c / chunks);
                w.to = (int) ((long) n * (c + 1) / chunks);
                w.body = body; // volatile write publishes from/to
                java.util.concurrent.locks.LockSupport.unpark(w);
            }
            Throwable own = null;
            try {
                body.run(0, (int) ((long) n / chunks));
            } catch (Throwable e) {
                own = e;
            }
            if (!spinUntil(() -> pending.get() == 0)) {
                while (pending.get() != 0) {
                    java.util.concurrent.locks.LockSupport.park(this);
                }
            }
            caller = null;
            if (own != null) {
                rethrow(own);
            }
            Throwable f = failure;
            if (f != null) {
                failure = null;
                rethrow(f);
            }
        }

    }

    private static final class TeamThread extends Thread {
        private final Team team;
        volatile RangeBody body;
        volatile boolean stop;
        int from;
        int to;

        TeamThread(Team team) {
            super("driftlab-worker");
            this.team = team;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!stop) {
                RangeBody b = body;
                if (b == null) {
                    if (!spinUntil(() -> body != null || stop)) {
                        java.util.concurrent.locks.LockSupport.park(this);
                    }
                    continue;
                }
                try {
                    b.run(from, to);
                } catch (Throwable e) {
                    team.failure = e;
                }
                body = null;
                if (team.pending.decrementAndGet() == 0) {
                    Thread c = team.caller;
                    if (c != null) {
                        java.util.concurrent.locks.LockSupport.unpark(c);
                    }
                }
            }
        }
    }

    /** Number of chunks {@link #forRange} would use; lets reductions allocate one partial result per chunk. */
    public static int chunks(int n, int minChunk) {
        return (int) Math.min(threads(), Math.max(1, (long) n / Math.max(1, minChunk)));
    }
}
