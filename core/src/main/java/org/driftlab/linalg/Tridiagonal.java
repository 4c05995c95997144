package org.driftlab.linalg;

import dev.ludovic.netlib.lapack.JavaLAPACK;
import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/**
 * Eigenpairs of the symmetric tridiagonal matrix T with diagonal α_0..α_{m−1} and off-diagonal
 * β_0..β_{m−2}: the Lanczos matrix, whose eigenvalues are the Ritz values θ and whose eigenvectors s give the
 * Ritz vectors V·s. Solved by LAPACK {@code dstev} (implicit QL/QR) through dev.ludovic.netlib, which falls
 * back to the pure-Java F2J translation when no native LAPACK is present.
 */
public final class Tridiagonal {
    private Tridiagonal() {}

    /**
     * Eigenvalues (ascending) and unit eigenvectors of the leading m×m block of T. Only
     * {@code alpha[0..m)} and {@code beta[0..m−1)} are read; the inputs are not modified. A zero β splits T into
     * independent blocks, which dstev handles.
     */
    public static SymmetricEigen.Decomposition eigen(double[] alpha, double[] beta, int m) {
        return eigen(alpha, beta, m, SymmetricEigen.Backend.AUTO);
    }

    /**
     * As {@link #eigen(double[], double[], int)} with an explicit backend: JAVA_LAPACK forces the F2J
     * {@code dstev}, EJML decomposes the dense m×m matrix (a cross-check, O(m³)).
     */
    public static SymmetricEigen.Decomposition eigen(double[] alpha, double[] beta, int m, SymmetricEigen.Backend backend) {
        double[] d = check(alpha, beta, m);
        if (backend == SymmetricEigen.Backend.EJML) {
            double[] dense = new double[m * m];
            for (int i = 0; i < m; i++) {
                dense[i * m + i] = alpha[i];
                if (i > 0) {
                    dense[i * m + i - 1] = beta[i - 1];
                    dense[(i - 1) * m + i] = beta[i - 1];
                }
            }
            return SymmetricEigen.of(dense, m, SymmetricEigen.Backend.EJML);
        }
        LAPACK lapack = backend == SymmetricEigen.Backend.JAVA_LAPACK ? JavaLAPACK.getInstance() : LAPACK.getInstance();
        double[] e = m > 1 ? java.util.Arrays.copyOf(beta, m - 1) : new double[1];
        double[] z = new double[m * m];
        double[] work = new double[Math.max(1, 2 * m - 2)];
        intW info = new intW(0);
        lapack.dstev("V", m, d, e, z, m, work, info);
        if (info.val != 0) {
            throw new IllegalStateException("dstev failed to converge, info=" + info.val);
        }
        double[][] vectors = new double[m][];
        for (int k = 0; k < m; k++) {
            vectors[k] = java.util.Arrays.copyOfRange(z, k * m, (k + 1) * m);
        }
        return new SymmetricEigen.Decomposition(d, vectors);
    }

    /** Eigenvalues only (ascending), O(m²). */
    public static double[] eigenvalues(double[] alpha, double[] beta, int m) {
        double[] d = check(alpha, beta, m);
        double[] e = m > 1 ? java.util.Arrays.copyOf(beta, m - 1) : new double[1];
        intW info = new intW(0);
        LAPACK.getInstance().dstev("N", m, d, e, new double[1], 1, new double[1], info);
        if (info.val != 0) {
            throw new IllegalStateException("dstev failed to converge, info=" + info.val);
        }
        return d;
    }

    private static double[] check(double[] alpha, double[] beta, int m) {
        if (m < 1 || alpha.length < m || beta.length < m - 1) {
            throw new IllegalArgumentException("tridiagonal of size " + m + " needs " + m + " alphas and " + (m - 1)
                    + " betas, got " + alpha.length + " and " + beta.length);
        }
        for (int i = 0; i < m; i++) {
            if (!Double.isFinite(alpha[i]) || (i < m - 1 && !Double.isFinite(beta[i]))) {
                throw new IllegalArgumentException("tridiagonal has a non-finite entry at " + i);
            }
        }
        return java.util.Arrays.copyOf(alpha, m);
    }
}
