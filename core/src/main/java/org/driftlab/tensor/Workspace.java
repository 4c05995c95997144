package org.driftlab.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;

/**
 * A scope in which the large output arrays of tensor operations are recycled rather than allocated.
 *
 * <p>Why: a full-batch gradient allocates its activations and cotangents afresh (about 18 MB at N = 1000 for the
 * 784-200-200-10 benchmark net), and the JVM zeroes every new array on the allocating thread before the
 * operation overwrites it. That serial zeroing cost about 5% of the gradient. Inside a workspace, operations that
 * overwrite their whole output take a recycled array instead; when the scope closes, every array it handed out
 * goes back to this thread's free lists for the next scope.
 *
 * <p>The contract is the caller's: <b>no tensor computed inside the scope may be used after it closes</b>, unless
 * its array was {@linkplain #retain retained}. So a workspace wraps a computation whose results leave it only as
 * copies, e.g. one loss-and-gradient evaluation that copies each block's gradient into a flat vector. Scopes nest
 * (each recycles only what it handed out) and must close innermost first, which try-with-resources guarantees. Outside any scope, and for arrays shorter than
 * {@link #MIN_LENGTH}, nothing changes: {@link #array} is {@code new double[n]}.
 *
 * <p>Results cannot depend on what a recycled array held before, because only operations that write every element
 * use {@link #array}. The tests enforce this: with the system property {@code driftlab.workspace.poison=true} (set
 * by the build for every test) recycled arrays are filled with NaN before they are handed out, so an operation that
 * reads an element it did not write produces NaN rather than a plausible stale number.
 *
 * <p>Each thread keeps at most {@link #MAX_KEPT_BYTES} of free arrays; beyond that, returned arrays are left to the
 * garbage collector.
 */
public final class Workspace implements AutoCloseable {
    /** Shorter arrays come from the thread-local allocation buffer cheaply and are not worth recycling. */
    public static final int MIN_LENGTH = 1 << 14;
    /** Upper bound on the free arrays one thread keeps between scopes. */
    public static final long MAX_KEPT_BYTES = Math.min(Runtime.getRuntime().maxMemory() / 16, 1L << 30);

    private static final boolean POISON = Boolean.getBoolean("driftlab.workspace.poison");
    private static final ThreadLocal<Pool> POOL = ThreadLocal.withInitial(Pool::new);

    /** One thread's free arrays by length, and its innermost open scope. */
    private static final class Pool {
        final HashMap<Integer, ArrayDeque<double[]>> free = new HashMap<>();
        long keptBytes;
        Workspace current;
    }

    private final Pool pool;
    private final Workspace outer;
    private final ArrayList<double[]> lent = new ArrayList<>();
    private boolean closed;

    private Workspace(Pool pool) {
        this.pool = pool;
        this.outer = pool.current;
        pool.current = this;
    }

    /** Opens a scope on the calling thread; close it (try-with-resources) on the same thread. */
    public static Workspace open() {
        return new Workspace(POOL.get());
    }

    /** Returns every array this scope handed out to the thread's free lists. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (pool.current != this) {
            throw new IllegalStateException("workspace closed out of order (or on another thread): close the "
                    + "innermost scope first");
        }
        closed = true;
        pool.current = outer;
        for (double[] a : lent) {
            long bytes = 8L * a.length;
            if (pool.keptBytes + bytes <= MAX_KEPT_BYTES) {
                pool.free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).addLast(a);
                pool.keptBytes += bytes;
            }
        }
        lent.clear();
    }

    /**
     * Exempts an array from recycling: it outlives the scope that lent it (e.g. activations kept as factors of a
     * Gram operator) and is left to the garbage collector. Arrays not lent by this thread's open scopes are ignored.
     */
    public static void retain(double[] array) {
        for (Workspace w = POOL.get().current; w != null; w = w.outer) {
            for (int i = w.lent.size() - 1; i >= 0; i--) {
                if (w.lent.get(i) == array) {
                    w.lent.remove(i);
                    return;
                }
            }
        }
    }

    /**
     * An array of length n with unspecified contents, for an operation that writes every element before reading
     * any: recycled inside a scope, {@code new double[n]} outside one.
     */
    public static double[] array(int n) {
        if (n < MIN_LENGTH) {
            return new double[n];
        }
        Pool p = POOL.get();
        Workspace w = p.current;
        if (w == null) {
            return new double[n];
        }
        ArrayDeque<double[]> q = p.free.get(n);
        double[] a = q == null ? null : q.pollLast();
        if (a == null) {
            a = new double[n];
        } else {
            p.keptBytes -= 8L * n;
            if (POISON) {
                Arrays.fill(a, Double.NaN);
            }
        }
        w.lent.add(a);
        return a;
    }

    /**
     * The number of arrays the calling thread's innermost open scope has handed out so far, or -1 when no scope is
     * open: a position to pass to {@link #releaseDead}.
     */
    public static int mark() {
        Workspace w = POOL.get().current;
        return w == null ? -1 : w.lent.size();
    }

    /**
     * Returns to the free lists, before the scope closes, every array the innermost open scope handed out at or
     * after {@code mark} for which {@code live} is false. For a computation that knows exactly which of its arrays
     * it still holds, e.g. a backward pass whose cotangents die as soon as they have been pushed through a node:
     * its working set then stays a few arrays instead of every array it ever made. The caller's promise, as for the
     * scope itself, is that no tensor over a released array is read again; with {@code driftlab.workspace.poison}
     * a released array is filled with NaN at once.
     */
    public static void releaseDead(int mark, java.util.function.Predicate<double[]> live) {
        Pool p = POOL.get();
        Workspace w = p.current;
        if (w == null || mark < 0) {
            return;
        }
        for (int i = w.lent.size() - 1; i >= mark; i--) {
            double[] a = w.lent.get(i);
            if (live.test(a)) {
                continue;
            }
            int last = w.lent.size() - 1;
            w.lent.set(i, w.lent.get(last));
            w.lent.remove(last);
            long bytes = 8L * a.length;
            if (p.keptBytes + bytes <= MAX_KEPT_BYTES) {
                if (POISON) {
                    Arrays.fill(a, Double.NaN);
                }
                p.free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).addLast(a);
                p.keptBytes += bytes;
            }
        }
    }

    /** Bytes of free arrays the calling thread keeps (tests). */
    static long keptBytes() {
        return POOL.get().keptBytes;
    }
}
