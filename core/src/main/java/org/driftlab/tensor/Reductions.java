package org.driftlab.tensor;

import static org.driftlab.tensor.Kernels.GRAIN;

import java.util.Arrays;

/**
 * Reductions: sums (of everything, along an axis, down to a broadcast shape) and the row-wise log-softmax.
 * Summation orders are fixed by the shapes and the thread count, so results are deterministic for a thread count.
 *
 * <p>Every kernel writes only its result, never an argument. They accumulate into zeroed arrays, so none of their
 * results comes from a {@link Workspace} (Workspace: no), except where stated.
 */
public final class Reductions {
    private Reductions() {}

    /** Sum of all elements, in a fixed order per chunk (deterministic for a thread count). Writes nothing. */
    public static double sumAll(Tensor t) {
        double[] x = t.data();
        int chunks = Parallel.chunks(x.length, GRAIN);
        double[] partial = new double[chunks];
        Parallel.forRange(x.length, GRAIN, (lo, hi) -> {
            double s = 0;
            for (int i = lo; i < hi; i++) {
                s += x[i];
            }
            partial[chunkIndex(x.length, chunks, lo)] = s;
        });
        double s = 0;
        for (double p : partial) {
            s += p;
        }
        return s;
    }

    private static int chunkIndex(int n, int chunks, int lo) {
        for (int c = 0; c < chunks; c++) {
            if ((int) ((long) n * c / chunks) == lo) {
                return c;
            }
        }
        throw new IllegalStateException("chunk start " + lo);
    }

    /** Sum along one axis, removing it (keepDims keeps it as size 1). Writes its result only. Workspace: no. */
    public static Tensor sumAxis(Tensor t, int axis, boolean keepDims) {
        int[] s = t.shape();
        int ax = Kernels.axis("sum", axis, s);
        int outer = Kernels.prod(s, 0, ax);
        int len = s[ax];
        int inner = Kernels.prod(s, ax + 1, s.length);
        double[] x = t.data();
        double[] z = new double[outer * inner];
        final int fo = outer;
        final int fi = inner;
        if (inner == 1) {
            rowSums(x, len, z, outer);
        } else {
            Parallel.forRange(fi, 64, (lo, hi) -> {
                for (int o = 0; o < fo; o++) {
                    for (int k = 0; k < len; k++) {
                        int off = (o * len + k) * fi;
                        int zo = o * fi;
                        for (int j = lo; j < hi; j++) {
                            z[zo + j] += x[off + j];
                        }
                    }
                }
            });
        }
        int[] out;
        if (keepDims) {
            out = s.clone();
            out[ax] = 1;
        } else {
            out = new int[s.length - 1];
            for (int i = 0, j = 0; i < s.length; i++) {
                if (i != ax) {
                    out[j++] = s[i];
                }
            }
        }
        return Tensor.of(z, out);
    }

    /**
     * t summed over broadcast dimensions so that the result has shape target (the adjoint of broadcasting); t itself
     * when it already has that shape. Writes its result only. Workspace: no.
     */
    public static Tensor sumToShape(Tensor t, int[] target) {
        int[] s = t.shape();
        if (Arrays.equals(s, target)) {
            return t;
        }
        Elementwise.broadcastShape("sumToShape", target, s); // validates compatibility
        int n = Tensor.checkedSize(target);
        double[] x = t.data();
        double[] z = new double[n];
        if (n == 1) {
            z[0] = sumAll(t);
        } else if (isRowSum(target, s)) {
            // target = s with its last dimension 1 (a LayerNorm mean's adjoint): one sum per row, in row order
            rowSums(x, s[s.length - 1], z, n);
        } else if (Elementwise.isTrailing(target, s)) {
            int rows = x.length / n;
            // column sums in row order: deterministic, parallel over columns
            Parallel.forRange(n, 64, (lo, hi) -> {
                for (int r = 0; r < rows; r++) {
                    int off = r * n;
                    for (int j = lo; j < hi; j++) {
                        z[j] += x[off + j];
                    }
                }
            });
        } else {
            int[] st = Elementwise.broadcastStrides(target, s);
            int[] idx = new int[s.length];
            for (int k = 0; k < x.length; k++) {
                int o = 0;
                for (int d = 0; d < s.length; d++) {
                    o += idx[d] * st[d];
                }
                z[o] += x[k];
                for (int d = s.length - 1; d >= 0; d--) {
                    if (++idx[d] < s[d]) {
                        break;
                    }
                    idx[d] = 0;
                }
            }
        }
        return Tensor.of(z, target);
    }

    /** z[r] = the sum of row r of x (rows of len elements, summed in index order) for r below rows. */
    private static void rowSums(double[] x, int len, double[] z, int rows) {
        Parallel.forRange(rows, Kernels.grain(len), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                z[r] = sum(x, r * len, len);
            }
        });
    }

    /** True when target equals full except for a last dimension of 1. */
    private static boolean isRowSum(int[] target, int[] full) {
        if (target.length != full.length || target.length == 0 || target[target.length - 1] != 1) {
            return false;
        }
        for (int i = 0; i < target.length - 1; i++) {
            if (target[i] != full[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Row-wise log-softmax of a 2-D tensor (max-shifted, numerically stable). Writes its result only. Workspace: no.
     */
    public static Tensor logSoftmax(Tensor t) {
        Kernels.requireRank("logSoftmax", t, 2);
        int m = t.dim(0);
        int n = t.dim(1);
        double[] x = t.data();
        double[] z = new double[m * n];
        Parallel.forRange(m, Kernels.grain(n), (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int off = i * n;
                double mx = shift(x, off, n);
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += Math.exp(x[off + j] - mx);
                }
                // (x − max) is exact; subtracting max + log s in one go would lose bits for large logits
                double logS = Math.log(s);
                for (int j = 0; j < n; j++) {
                    z[off + j] = (x[off + j] - mx) - logS;
                }
            }
        });
        return Tensor.of(z, m, n);
    }

    /**
     * Per row of the last axis of x [..., d]: 1/√(σ² + eps) with σ² the biased variance of the row (two passes: mean,
     * then the mean square deviation), shaped [..., 1]. The scale of LayerNorm. Writes its result only. Workspace: no.
     */
    public static Tensor rowInverseStd(Tensor x, double eps) {
        int[] s = x.shape();
        int d = lastAxis("rowInverseStd", s);
        int rows = d == 0 ? 0 : x.size() / d;
        double[] v = x.data();
        double[] z = new double[rows];
        Parallel.forRange(rows, Kernels.grain(d), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                z[r] = inverseStd(v, r * d, d, eps);
            }
        });
        int[] os = s.clone();
        os[os.length - 1] = 1;
        return Tensor.of(z, os);
    }

    /**
     * Each row of the last axis of x [..., d] centred and scaled to (x − μ)/√(σ² + eps), with μ and the biased σ² of
     * the row: LayerNorm without its gain and shift, in one pass per row. Writes its result only. Workspace: yes.
     */
    public static Tensor normalizeRows(Tensor x, double eps) {
        return mapRows("normalizeRows", x, (v, off, d, z) -> {
            double mean = mean(v, off, d);
            double scale = inverseStd(v, off, d, eps);
            for (int j = 0; j < d; j++) {
                z[off + j] = (v[off + j] - mean) * scale;
            }
        });
    }

    /** A kernel on one row of the last axis: reads v[off, off + d), writes z[off, off + d) only. */
    private interface RowKernel {
        void row(double[] v, int off, int d, double[] z);
    }

    /**
     * Every row of the last axis of x [..., d] mapped by a row kernel into a result of x's shape, rows split across
     * threads. The result comes from the {@link Workspace}.
     */
    private static Tensor mapRows(String op, Tensor x, RowKernel kernel) {
        int[] s = x.shape();
        int d = lastAxis(op, s);
        int rows = d == 0 ? 0 : x.size() / d;
        double[] v = x.data();
        double[] z = Workspace.array(x.size());
        Parallel.forRange(rows, Kernels.grain(d), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                kernel.row(v, r * d, d, z);
            }
        });
        return Tensor.of(z, s);
    }

    /** The length of the last axis of a shape of rank at least 1: the row length of the row-wise kernels. */
    private static int lastAxis(String op, int[] s) {
        if (s.length == 0) {
            throw new IllegalArgumentException(op + ": expects at least one axis, got a scalar");
        }
        return s[s.length - 1];
    }

    /** v[off] + … + v[off + d − 1], in index order. */
    private static double sum(double[] v, int off, int d) {
        double sum = 0;
        for (int j = 0; j < d; j++) {
            sum += v[off + j];
        }
        return sum;
    }

    private static double mean(double[] v, int off, int d) {
        return sum(v, off, d) / d;
    }

    /**
     * The shift of a max-shifted exponential over v[off, off + d): the row's maximum, or 0 when that is infinite, so
     * that inf − inf makes the NaN the input deserves.
     */
    private static double shift(double[] v, int off, int d) {
        double mx = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < d; j++) {
            mx = Math.max(mx, v[off + j]);
        }
        return mx == Double.NEGATIVE_INFINITY || mx == Double.POSITIVE_INFINITY ? 0 : mx;
    }

    private static double inverseStd(double[] v, int off, int d, double eps) {
        double mean = mean(v, off, d);
        double ss = 0;
        for (int j = 0; j < d; j++) {
            double c = v[off + j] - mean;
            ss += c * c;
        }
        return 1.0 / Math.sqrt(ss / d + eps);
    }

    /**
     * Softmax along the last axis of x [..., d] (max-shifted exponentials over their sum), for any rank. Writes its
     * result only. Workspace: yes.
     */
    public static Tensor softmax(Tensor x) {
        return mapRows("softmax", x, (v, off, d, z) -> {
            double mx = shift(v, off, d);
            double sum = 0;
            for (int j = 0; j < d; j++) {
                double e = Math.exp(v[off + j] - mx);
                z[off + j] = e;
                sum += e;
            }
            double inv = 1.0 / sum;
            for (int j = 0; j < d; j++) {
                z[off + j] *= inv;
            }
        });
    }
}
