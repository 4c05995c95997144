package org.driftlab;

import java.util.Locale;

/**
 * Sizes checked before they are allocated: exact array lengths (a count that overflows an int, or exceeds what one
 * Java array holds, is an error naming what was asked for) and the JVM's maximum heap (a request larger than the
 * whole heap is refused with one line giving both numbers and how to raise the heap). The heap check compares with
 * the maximum heap, not with what is free at the moment, so it never refuses a request that a garbage collection
 * could satisfy: it catches the hopeless cases (a layer width of 10^8, a count near 2^31) before they become an
 * {@link OutOfMemoryError} minutes into a run.
 */
public final class Memory {
    /** The most elements one Java array can hold on common JVMs (a few header words below Integer.MAX_VALUE). */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** The launcher's variable for JVM options, named in the advice. */
    public static final String JAVA_OPTS = "DRIFTLAB_JAVA_OPTS";

    private Memory() {}

    /**
     * count as the length of one array, or an error naming what.
     *
     * @param count the number of elements asked for (exact: computed with {@link Math#multiplyExact})
     * @param what  what the array holds, e.g. {@code "synthetic:blobs inputs [n, d]"}
     * @return count as an int
     */
    public static int arrayLength(long count, String what) {
        if (count < 0 || count > MAX_ARRAY) {
            throw new DriftlabException(what + ": " + count + " values are more than one array holds (at most "
                    + MAX_ARRAY + ")");
        }
        return (int) count;
    }

    /**
     * a × b × ... as an exact long, or an error naming what when it overflows a long (the caller then checks it
     * against {@link #arrayLength} or the heap).
     *
     * @param what    what the product counts
     * @param factors non-negative factors
     * @return the exact product
     */
    public static long product(String what, long... factors) {
        long p = 1;
        try {
            for (long f : factors) {
                if (f < 0) {
                    throw new DriftlabException(what + ": negative size " + f);
                }
                p = Math.multiplyExact(p, f);
            }
        } catch (ArithmeticException e) {
            throw new DriftlabException(what + ": the size overflows (factors "
                    + java.util.Arrays.toString(factors) + ")");
        }
        return p;
    }

    /** The JVM's maximum heap in bytes ({@link Runtime#maxMemory}). */
    public static long maxHeap() {
        return Runtime.getRuntime().maxMemory();
    }

    /**
     * Refuses bytes that exceed the JVM's maximum heap: one line with both numbers and the option that raises the
     * heap.
     *
     * @param bytes the estimated need
     * @param what  what needs it, e.g. {@code "model fc-tanh:100000000 on 1000 examples (θ 3.0 GiB, ...)"}
     */
    public static void require(long bytes, String what) {
        require(bytes, maxHeap(), what);
    }

    /**
     * {@link #require(long, String)} against a given maximum heap (tests).
     *
     * @param bytes   the estimated need
     * @param maxHeap the heap it is compared with
     * @param what    what needs it
     */
    public static void require(long bytes, long maxHeap, String what) {
        if (bytes > maxHeap) {
            throw new DriftlabException(what + " needs about " + bytes(bytes) + " but the JVM's maximum heap is "
                    + bytes(maxHeap) + "; raise it with " + JAVA_OPTS + "=-Xmx" + suggestedGiB(bytes) + "g (if the "
                    + "machine has that much memory) or make the problem smaller");
        }
    }

    /** A heap size in whole GiB that fits bytes with room for the JVM's own use and garbage (a quarter more, + 1). */
    static long suggestedGiB(long bytes) {
        double gib = bytes / (double) (1L << 30);
        return (long) Math.ceil(gib * 1.25) + 1;
    }

    /**
     * bytes in binary units with three significant figures, e.g. {@code 1.50 GiB}, {@code 812 MiB}.
     *
     * @param bytes a non-negative size
     * @return the size for a message
     */
    public static String bytes(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        if (u == 0) {
            return bytes + " bytes";
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s", v, units[u]);
    }
}
