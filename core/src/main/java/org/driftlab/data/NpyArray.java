package org.driftlab.data;

import java.util.Arrays;
import org.driftlab.tensor.Tensor;

/**
 * An n-dimensional array as read from or written to a {@code .npy} file: C-order shape, the values widened to
 * double, and the NumPy dtype string it was stored with (e.g. {@code <f8}, {@code <i8}, {@code |u1}). Integers
 * beyond 2^53 in magnitude lose precision when widened; that never happens for labels or counts.
 *
 * @param shape  the array shape ({@code []} for a scalar)
 * @param values the values in C (row-major) order
 * @param dtype  the NumPy dtype descriptor
 */
public record NpyArray(int[] shape, double[] values, String dtype) {
    public NpyArray {
        shape = shape.clone();
        if (Tensor.numel(shape) != values.length) {
            throw new IllegalArgumentException("NpyArray: shape " + Arrays.toString(shape) + " does not hold "
                    + values.length + " values");
        }
    }

    /** A float64 ({@code <f8}) array with the tensor's shape and values (not copied). */
    public static NpyArray of(Tensor t) {
        return new NpyArray(t.shape(), t.data(), "<f8");
    }

    /** A 1-D float64 array (not copied). */
    public static NpyArray of(double[] values) {
        return new NpyArray(new int[] {values.length}, values, "<f8");
    }

    /** A 1-D int64 ({@code <i8}) array, e.g. labels. */
    public static NpyArray ofInt64(int[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return new NpyArray(new int[] {values.length}, d, "<i8");
    }

    /** A copy of the shape. */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public int size() {
        return values.length;
    }

    /** True for integer and boolean dtypes. */
    public boolean isInteger() {
        char kind = dtype.length() > 1 ? dtype.charAt(1) : '?';
        return kind == 'i' || kind == 'u' || kind == 'b';
    }

    /** The values as a tensor of the same shape (not copied). */
    public Tensor toTensor() {
        return Tensor.of(values, shape);
    }

    /**
     * The values as ints; throws {@link IllegalArgumentException} naming the first value that is not an integer in
     * int range (so float arrays holding whole numbers are accepted).
     */
    public int[] toIntArray() {
        int[] out = new int[values.length];
        for (int i = 0; i < out.length; i++) {
            double v = values[i];
            if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("element " + i + " = " + v + " is not an int");
            }
            out[i] = (int) v;
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a && Arrays.equals(shape, a.shape) && Arrays.equals(values, a.values)
                && dtype.equals(a.dtype);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(shape) + Arrays.hashCode(values)) + dtype.hashCode();
    }

    @Override
    public String toString() {
        return "NpyArray(" + dtype + " " + Arrays.toString(shape) + ")";
    }
}
