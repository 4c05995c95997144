package org.driftlab.tensor;

import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Packed GEMM panels of arrays that were explicitly declared constant ({@link Tensor#constantData()}), so that
 * {@link VectorBlas} can skip re-packing an operand it has already packed, e.g. a data matrix X that enters
 * X·W₁ᵀ and Gᵀ·X on every loss evaluation.
 *
 * <p>Safety: only arrays registered through {@link #markConstant} are ever cached, and registering is a promise
 * that the array is never written again (driftlab's Tensors are immutable by convention; the mark makes that
 * promise explicit for one array). Entries are keyed by the array's identity (held weakly, so a cached array
 * can be collected and a new array of the same shape never matches it) plus everything the packing depends on.
 * A cached panel holds exactly the values the packing routine would produce, so results are bitwise identical
 * to the uncached path. Memory is bounded by {@link #MAX_BYTES} by admission: panels are added only while they fit (see {@link #admits}).
 */
final class PackCache {
    /** Upper bound on the total size of cached panels. */
    static final long MAX_BYTES = 128L << 20;

    private static final Map<double[], Boolean> CONSTANT = Collections.synchronizedMap(new WeakHashMap<>());

    private static final LinkedHashMap<Key, double[]> CACHE = new LinkedHashMap<>();
    private static long bytes;

    private PackCache() {}

    static void markConstant(double[] a) {
        CONSTANT.put(a, Boolean.TRUE);
    }

    static boolean isConstant(double[] a) {
        return !CONSTANT.isEmpty() && CONSTANT.containsKey(a);
    }

    /** Drops every cached panel (the constant marks stay). */
    static synchronized void clear() {
        CACHE.clear();
        bytes = 0;
    }

    static synchronized int size() {
        return CACHE.size();
    }

    /**
     * Identifies one packing: which operand (A or B), the array, its offset and leading dimension, whether it
     * is transposed, the extent along m (for A) or n (for B), and k (which fixes the k-blocking).
     */
    static final class Key {
        private final WeakReference<double[]> array;
        private final int hash;
        private final boolean isA;
        private final boolean trans;
        private final int off;
        private final int ld;
        private final int extent;
        private final int k;

        Key(boolean isA, boolean trans, double[] array, int off, int ld, int extent, int k) {
            this.array = new WeakReference<>(array);
            this.isA = isA;
            this.trans = trans;
            this.off = off;
            this.ld = ld;
            this.extent = extent;
            this.k = k;
            int h = System.identityHashCode(array);
            h = 31 * h + (isA ? 1 : 0);
            h = 31 * h + (trans ? 1 : 0);
            h = 31 * h + off;
            h = 31 * h + ld;
            h = 31 * h + extent;
            h = 31 * h + k;
            this.hash = h;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key other)) {
                return false;
            }
            double[] mine = array.get();
            return mine != null && mine == other.array.get() && isA == other.isA && trans == other.trans
                    && off == other.off && ld == other.ld && extent == other.extent && k == other.k;
        }
    }

    static synchronized double[] get(Key key) {
        return CACHE.get(key);
    }

    /**
     * Whether a packing of the given size would be stored. Admission instead of eviction: once the budget is
     * used up by live arrays, new packings are simply not cached, so cycling through more constant data than fits
     * (many chunks) never thrashes; panels of arrays that were garbage-collected are dropped first.
     */
    static synchronized boolean admits(long size) {
        if (bytes + size <= MAX_BYTES) {
            return true;
        }
        purgeCollected();
        return bytes + size <= MAX_BYTES;
    }

    /** Stores a complete packing, unless it no longer fits the budget. */
    static synchronized void put(Key key, double[] packed) {
        long size = 8L * packed.length;
        double[] old = CACHE.get(key);
        long freed = old == null ? 0 : 8L * old.length;
        if (bytes - freed + size > MAX_BYTES) {
            return;
        }
        CACHE.put(key, packed);
        bytes += size - freed;
    }

    private static void purgeCollected() {
        for (Iterator<Map.Entry<Key, double[]>> it = CACHE.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, double[]> e = it.next();
            if (e.getKey().array.get() == null) {
                bytes -= 8L * e.getValue().length;
                it.remove();
            }
        }
    }
}
