package org.driftlab.tensor;

import java.util.Arrays;

/**
 * A dense, row-major, float64 array with a shape. Tensors are treated as immutable values: kernels never write
 * into an argument, and {@link #data()} exposes the backing array only for read access and for filling freshly
 * created tensors.
 */
public final class Tensor {
    private final double[] data;
    private final int[] shape;

    private Tensor(double[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /** Wraps data (not copied) with the given shape; the product of the shape must equal data.length. */
    public static Tensor of(double[] data, int... shape) {
        long n = numel(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("Tensor.of: shape " + Arrays.toString(shape) + " holds " + n
                    + " values but " + data.length + " were given");
        }
        return new Tensor(data, shape.clone());
    }

    /** A 1-D tensor wrapping data (not copied). */
    public static Tensor vector(double... data) {
        return new Tensor(data, new int[] {data.length});
    }

    public static Tensor scalar(double v) {
        return new Tensor(new double[] {v}, new int[0]);
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(new double[checkedSize(shape)], shape.clone());
    }

    public static Tensor full(double v, int... shape) {
        double[] d = new double[checkedSize(shape)];
        Arrays.fill(d, v);
        return new Tensor(d, shape.clone());
    }

    /** A 2-D tensor from rows (copied). */
    public static Tensor matrix(double[][] rows) {
        int m = rows.length;
        int n = m == 0 ? 0 : rows[0].length;
        double[] d = new double[m * n];
        for (int i = 0; i < m; i++) {
            if (rows[i].length != n) {
                throw new IllegalArgumentException("Tensor.matrix: ragged rows (" + rows[i].length + " vs " + n + ")");
            }
            System.arraycopy(rows[i], 0, d, i * n, n);
        }
        return new Tensor(d, new int[] {m, n});
    }

    static int checkedSize(int[] shape) {
        long n = numel(shape);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor too large: shape " + Arrays.toString(shape));
        }
        return (int) n;
    }

    /** Number of elements of a shape; throws on negative dimensions. */
    public static long numel(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= s;
        }
        return n;
    }

    /**
     * Declares this tensor's backing array constant for good: nobody will ever write into it again. The pure-Java
     * GEMM may then keep packed copies of it across calls (see PackCache), e.g. for a data matrix that enters
     * every loss evaluation. Results are unchanged; writing into the array afterwards would make them stale.
     *
     * @return this tensor
     */
    public Tensor constantData() {
        PackCache.markConstant(data);
        return this;
    }

    /** The backing array (row-major). Do not modify a tensor that others may hold. */
    public double[] data() {
        return data;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    public int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    public int rank() {
        return shape.length;
    }

    public int size() {
        return data.length;
    }

    public boolean sameShape(Tensor o) {
        return Arrays.equals(shape, o.shape);
    }

    public boolean hasShape(int... s) {
        return Arrays.equals(shape, s);
    }

    /** The single value of a one-element tensor. */
    public double item() {
        if (data.length != 1) {
            throw new IllegalArgumentException("item() on a tensor of shape " + Arrays.toString(shape));
        }
        return data[0];
    }

    public double get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index of rank " + index.length + " into shape " + Arrays.toString(shape));
        }
        int off = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of shape " + Arrays.toString(shape));
            }
            off = off * shape[i] + index[i];
        }
        return data[off];
    }

    /** Same data, new shape (no copy). */
    public Tensor reshape(int... newShape) {
        long n = numel(newShape);
        if (n != data.length) {
            throw new IllegalArgumentException("reshape: cannot view shape " + Arrays.toString(shape) + " as "
                    + Arrays.toString(newShape));
        }
        return new Tensor(data, newShape.clone());
    }

    public Tensor copy() {
        return new Tensor(data.clone(), shape.clone());
    }

    /** Shape as text, e.g. [5000, 784]. */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Arrays.toString(shape)).append(' ');
        int n = Math.min(data.length, 8);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(data[i]);
        }
        if (data.length > n) {
            sb.append(", ...");
        }
        return sb.append(']').toString();
    }
}
