package org.driftlab.tensor;

/**
 * What the kernel families ({@link Elementwise}, {@link Reductions}, {@link Layout}, {@link MatMul},
 * {@link Convolution}) share: the parallel grain and argument checks. Package-private: callers use the families.
 */
final class Kernels {
    /** Elements per parallel task below which splitting costs more than it saves. */
    static final int GRAIN = 1 << 14;

    private Kernels() {}

    /** Items per parallel task when each item touches perItem elements: about {@link #GRAIN} elements a task. */
    static int grain(int perItem) {
        return Math.max(1, GRAIN / Math.max(1, perItem));
    }

    static void requireRank(String op, Tensor t, int r) {
        if (t.rank() != r) {
            throw new IllegalArgumentException(op + ": expects a " + r + "-D tensor, got shape " + t.shapeString());
        }
    }

    static void checkLabels(String op, int[] labels, int m, int n) {
        if (labels.length != m) {
            throw new IllegalArgumentException(op + ": " + labels.length + " labels for " + m + " rows");
        }
        for (int y : labels) {
            if (y < 0 || y >= n) {
                throw new IllegalArgumentException(op + ": label " + y + " outside [0, " + n + ")");
            }
        }
    }

    /** Normalises a possibly negative axis and checks it against the rank. */
    static int axis(String op, int axis, int[] shape) {
        int ax = axis < 0 ? axis + shape.length : axis;
        if (ax < 0 || ax >= shape.length) {
            throw new IllegalArgumentException(op + ": axis " + axis + " out of range for shape " + java.util.Arrays.toString(shape));
        }
        return ax;
    }

    /** Product of shape[from, to). */
    static int prod(int[] shape, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) {
            p *= shape[i];
        }
        return p;
    }
}
