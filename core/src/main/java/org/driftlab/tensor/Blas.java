package org.driftlab.tensor;

/**
 * The BLAS facade: every matrix product in driftlab goes through {@link #gemm}.
 *
 * <p>Computes C = alpha·op(A)·op(B) + beta·C on row-major arrays, where op(X) is X or Xᵀ. A is m×k after op,
 * B is k×n after op, C is m×n. Leading dimensions are row strides of the stored (not transposed) arrays.
 * Implementations must be deterministic for a fixed {@link Parallel#threads()}.
 */
public interface Blas {
    /** Human-readable backend name, e.g. "native (OpenBLAS)" or "java (Vector API)". */
    String name();

    void gemm(boolean transA, boolean transB, int m, int n, int k,
              double alpha, double[] a, int aOff, int lda,
              double[] b, int bOff, int ldb,
              double beta, double[] c, int cOff, int ldc);
}
