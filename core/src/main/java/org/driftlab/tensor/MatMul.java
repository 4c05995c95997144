package org.driftlab.tensor;

import static org.driftlab.tensor.Kernels.GRAIN;

import java.util.Arrays;

/**
 * Matrix products through the BLAS facade ({@link Backends#blas()}): op(A)·op(B), the dense layer's fused
 * x·wᵀ + b, and the raw GEMM that both use, split across {@link Parallel}'s threads deterministically.
 *
 * <p>{@link #matmul}, {@link #batched} and {@link #linear} write only their result, which comes from a
 * {@link Workspace} (Workspace: yes: every element is overwritten). {@link #gemmInto} writes the caller's C and
 * nothing else.
 */
public final class MatMul {
    private MatMul() {}

    /** op(a)·op(b) for 2-D tensors. Writes its result only. Workspace: yes. */
    public static Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) {
        if (a.rank() != 2 || b.rank() != 2) {
            throw new IllegalArgumentException("matmul: expects 2-D tensors, got " + a.shapeString() + " and " + b.shapeString());
        }
        int m = transA ? a.dim(1) : a.dim(0);
        int ka = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: shapes " + a.shapeString() + (transA ? "ᵀ" : "") + " and "
                    + b.shapeString() + (transB ? "ᵀ" : "") + " do not align (" + ka + " vs " + kb + ")");
        }
        double[] c = Workspace.array(m * n); // beta = 0: the GEMM overwrites c
        gemmInto(transA, transB, m, n, ka, a.data(), a.dim(1), b.data(), b.dim(1), c);
        return Tensor.of(c, m, n);
    }

    /**
     * C = op(A)·op(B) into a row-major m×n array c (overwritten; nothing else is written). Threads take contiguous
     * blocks of C's rows, or of its columns when op(B) is the larger operand: every thread packs all of the operand
     * it does not split, so splitting the larger one avoids packing it twice (e.g. dW = Gᵀ·X with X [5000, 784]).
     * The split depends only on the shapes and the thread count, so results are deterministic.
     */
    public static void gemmInto(boolean transA, boolean transB, int m, int n, int k, double[] a, int lda,
                                double[] b, int ldb, double[] c) {
        gemmInto(transA, transB, m, n, k, a, lda, b, ldb, 0.0, c);
    }

    /**
     * C = op(A)·op(B) + beta·C into the caller's c (its first m·n elements; nothing else is written), split across
     * threads as {@link #gemmInto(boolean, boolean, int, int, int, double[], int, double[], int, double[])}.
     */
    public static void gemmInto(boolean transA, boolean transB, int m, int n, int k, double[] a, int lda,
                                double[] b, int ldb, double beta, double[] c) {
        Blas blas = Backends.blas();
        if (k == 0) {
            if (beta == 0) {
                Arrays.fill(c, 0);
            } else if (beta != 1) {
                for (int i = 0; i < m * n; i++) {
                    c[i] *= beta;
                }
            }
            return;
        }
        long flops = 2L * m * n * k;
        boolean small = flops < 2_000_000;
        if (n > m && !small) {
            int minCols = Math.max(16, n / Parallel.threads());
            Parallel.forRange(n, minCols, (lo, hi) -> {
                int bOff = transB ? lo * ldb : lo;
                blas.gemm(transA, transB, m, hi - lo, k, 1.0, a, 0, lda, b, bOff, ldb, beta, c, lo, n);
            });
            return;
        }
        int minRows = small ? m : Math.max(8, m / Parallel.threads());
        Parallel.forRange(m, minRows, (lo, hi) -> {
            int aOff = transA ? lo : lo * lda;
            blas.gemm(transA, transB, hi - lo, n, k, 1.0, a, aOff, lda, b, 0, ldb, beta, c, lo * n, n);
        });
    }

    /**
     * The affine map x·wᵀ + b of a dense layer (x [N, in], w [out, in], b [out]) as one GEMM into an output
     * pre-filled with the broadcast bias: one pass and one [N, out] array fewer than matmul followed by add. Writes
     * its result only. Workspace: yes (every row is filled with the bias before the GEMM accumulates).
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        if (x.rank() != 2 || w.rank() != 2 || b.rank() != 1 || x.dim(1) != w.dim(1) || b.dim(0) != w.dim(0)) {
            throw new IllegalArgumentException("linear: input " + x.shapeString() + ", weight " + w.shapeString()
                    + " and bias " + b.shapeString() + " do not fit x·wᵀ + b (want [N, in], [out, in], [out])");
        }
        int m = x.dim(0);
        int n = w.dim(0);
        int k = x.dim(1);
        double[] bias = b.data();
        double[] c = Workspace.array(m * n);
        Parallel.forRange(m, Math.max(1, GRAIN / Math.max(1, n)), (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                System.arraycopy(bias, 0, c, i * n, n);
            }
        });
        gemmInto(false, true, m, n, k, x.data(), k, w.data(), k, 1.0, c);
        return Tensor.of(c, m, n);
    }

    /** Below this many multiply-adds per matrix a batched product uses the direct loop rather than the BLAS call. */
    private static final int SMALL_PRODUCT = 32 * 32 * 32;

    /**
     * op(a[i])·op(b[i]) for every i of a batch: a [B, m, k] (or [B, k, m] with transA) and b [B, k, n] (or [B, n, k]
     * with transB) give [B, m, n], the products of attention (Q·Kᵀ, P·V). Writes its result only. Workspace: yes.
     * Parallel over the batch; each product is computed whole by one thread, by a p-ordered loop when it is small
     * (T×T attention scores of a few dozen tokens) and by one single-threaded BLAS call otherwise, a choice that
     * depends on the shapes only, so results are deterministic and independent of the thread count.
     */
    public static Tensor batched(Tensor a, boolean transA, Tensor b, boolean transB) {
        if (a.rank() != 3 || b.rank() != 3 || a.dim(0) != b.dim(0)) {
            throw new IllegalArgumentException("batched matmul: expects [B, m, k] and [B, k, n] with one B, got "
                    + a.shapeString() + " and " + b.shapeString());
        }
        int batch = a.dim(0);
        int m = transA ? a.dim(2) : a.dim(1);
        int ka = transA ? a.dim(1) : a.dim(2);
        int kb = transB ? b.dim(2) : b.dim(1);
        int n = transB ? b.dim(1) : b.dim(2);
        if (ka != kb) {
            throw new IllegalArgumentException("batched matmul: shapes " + a.shapeString() + (transA ? "ᵀ" : "") + " and "
                    + b.shapeString() + (transB ? "ᵀ" : "") + " do not align (" + ka + " vs " + kb + ")");
        }
        int k = ka;
        double[] x = a.data();
        double[] y = b.data();
        double[] z = Workspace.array(Tensor.checkedSize(new int[] {batch, m, n}));
        int sa = m * k;
        int sb = k * n;
        int sc = m * n;
        int lda = a.dim(2);
        int ldb = b.dim(2);
        boolean small = (long) m * n * k <= SMALL_PRODUCT;
        Blas blas = Backends.blas();
        Parallel.forRange(batch, Math.max(1, GRAIN / Math.max(1, sc + sa + sb)), (lo, hi) -> {
            double[] bt = small ? new double[k * n] : null;
            for (int i = lo; i < hi; i++) {
                if (!small) {
                    blas.gemm(transA, transB, m, n, k, 1.0, x, i * sa, lda, y, i * sb, ldb, 0.0, z, i * sc, n);
                    continue;
                }
                // op(B) as a contiguous k×n panel, then row r of C = Σ_p op(A)[r,p]·op(B)[p,:], fused multiply-adds
                // in p order (vector lanes and the scalar form agree bitwise)
                int bo = i * sb;
                if (transB) {
                    for (int p = 0; p < k; p++) {
                        for (int j = 0; j < n; j++) {
                            bt[p * n + j] = y[bo + j * ldb + p];
                        }
                    }
                } else {
                    System.arraycopy(y, bo, bt, 0, k * n);
                }
                int ao = i * sa;
                int co = i * sc;
                int rowStride = transA ? 1 : lda;
                int colStride = transA ? lda : 1;
                for (int r = 0; r < m; r++) {
                    SmallProducts.row(x, ao + r * rowStride, colStride, bt, k, n, z, co + r * n);
                }
            }
        });
        return Tensor.of(z, batch, m, n);
    }
}
