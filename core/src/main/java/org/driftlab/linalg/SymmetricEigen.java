package org.driftlab.linalg;

import dev.ludovic.netlib.lapack.JavaLAPACK;
import dev.ludovic.netlib.lapack.LAPACK;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.netlib.util.intW;

/**
 * Dense symmetric eigendecomposition A = U·diag(λ)·Uᵀ, eigenvalues λ ascending.
 *
 * <p>The default backend is LAPACK {@code dsyevd} (divide and conquer) through dev.ludovic.netlib:
 * {@link LAPACK#getInstance()} uses the system LAPACK when it can be loaded and otherwise falls back to the
 * pure-Java F2J translation, so the class works on machines without a native library. EJML's symmetric QR
 * algorithm is available as an independent cross-check.
 *
 * <p>Only the lower triangle of the input is read; callers with a slightly asymmetric matrix should
 * symmetrise it first (see {@code org.driftlab.curvature.DenseHessian}).
 */
public final class SymmetricEigen {
    private SymmetricEigen() {}

    /** Which library computes the decomposition. */
    public enum Backend {
        /** {@code LAPACK.getInstance()}: native LAPACK if loadable, else the F2J Java translation. */
        AUTO,
        /** The pure-Java F2J LAPACK, whatever native library is installed. */
        JAVA_LAPACK,
        /** EJML's symmetric QR algorithm. */
        EJML
    }

    /**
     * An eigendecomposition: {@code values()[i]} is λ_i (ascending) and {@code vector(i)} the unit eigenvector
     * u_i. Immutable; accessors return copies.
     */
    public static final class Decomposition {
        private final double[] values;
        private final double[][] vectors;

        Decomposition(double[] values, double[][] vectors) {
            this.values = values;
            this.vectors = vectors;
        }

        /** Number of eigenpairs n. */
        public int size() {
            return values.length;
        }

        /** The eigenvalues λ_0 ≤ … ≤ λ_{n−1}. */
        public double[] values() {
            return values.clone();
        }

        public double value(int i) {
            return values[i];
        }

        /** The unit eigenvector u_i (length n). */
        public double[] vector(int i) {
            return vectors[i].clone();
        }

        /** All eigenvectors, {@code vectors()[i]} = u_i. */
        public double[][] vectors() {
            double[][] copy = new double[vectors.length][];
            for (int i = 0; i < vectors.length; i++) {
                copy[i] = vectors[i].clone();
            }
            return copy;
        }

        /** U·diag(f(λ))·Uᵀ as a row-major n×n matrix, e.g. f = identity reconstructs A. */
        public double[] reconstruct(java.util.function.DoubleUnaryOperator f) {
            int n = values.length;
            double[] out = new double[n * n];
            for (int k = 0; k < n; k++) {
                double fk = f.applyAsDouble(values[k]);
                double[] u = vectors[k];
                for (int i = 0; i < n; i++) {
                    double a = fk * u[i];
                    int row = i * n;
                    for (int j = 0; j < n; j++) {
                        out[row + j] += a * u[j];
                    }
                }
            }
            return out;
        }
    }

    /** Decomposes a symmetric row-major n×n matrix with the {@link Backend#AUTO} backend. */
    public static Decomposition of(double[] matrix, int n) {
        return of(matrix, n, Backend.AUTO);
    }

    /** Decomposes a symmetric row-major n×n matrix (only the lower triangle is read); the input is not modified. */
    public static Decomposition of(double[] matrix, int n, Backend backend) {
        if (n < 0 || matrix.length != (long) n * n) {
            throw new IllegalArgumentException("symmetric eigen: " + matrix.length + " entries is not " + n + "x" + n);
        }
        for (double v : matrix) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("symmetric eigen: matrix has a non-finite entry");
            }
        }
        if (n == 0) {
            return new Decomposition(new double[0], new double[0][]);
        }
        switch (backend) {
            case AUTO:
                return lapack(LAPACK.getInstance(), matrix, n);
            case JAVA_LAPACK:
                return lapack(JavaLAPACK.getInstance(), matrix, n);
            case EJML:
                return ejml(matrix, n);
            default:
                throw new IllegalArgumentException("unknown backend " + backend);
        }
    }

    /** The class name of the LAPACK implementation {@link Backend#AUTO} resolves to (for run records). */
    public static String autoImplementation() {
        return LAPACK.getInstance().getClass().getSimpleName();
    }

    private static Decomposition lapack(LAPACK lapack, double[] matrix, int n) {
        // LAPACK is column-major: our row-major lower triangle is its upper triangle, hence "U".
        double[] a = matrix.clone();
        double[] w = new double[n];
        intW info = new intW(0);
        double[] workQuery = new double[1];
        int[] iworkQuery = new int[1];
        lapack.dsyevd("V", "U", n, a, n, w, workQuery, -1, iworkQuery, -1, info);
        if (info.val != 0) {
            throw new IllegalStateException("dsyevd workspace query failed, info=" + info.val);
        }
        double[] work = new double[Math.max(1, (int) workQuery[0])];
        int[] iwork = new int[Math.max(1, iworkQuery[0])];
        lapack.dsyevd("V", "U", n, a, n, w, work, work.length, iwork, iwork.length, info);
        if (info.val != 0) {
            // info > 0: the divide-and-conquer step failed to converge; EJML is an independent algorithm.
            return ejml(matrix, n);
        }
        double[][] vectors = new double[n][];
        for (int k = 0; k < n; k++) {
            // Column k of the column-major output is eigenvector k.
            vectors[k] = java.util.Arrays.copyOfRange(a, k * n, (k + 1) * n);
        }
        return new Decomposition(w, vectors);
    }

    private static Decomposition ejml(double[] matrix, int n) {
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = matrix[i * n + j];
                m.set(i, j, v);
                m.set(j, i, v);
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(m)) {
            throw new IllegalStateException("EJML symmetric eigendecomposition failed");
        }
        Integer[] order = new Integer[n];
        double[] raw = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            raw[i] = eig.getEigenvalue(i).real;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(raw[x], raw[y]));
        double[] values = new double[n];
        double[][] vectors = new double[n][];
        for (int k = 0; k < n; k++) {
            values[k] = raw[order[k]];
            DMatrixRMaj v = eig.getEigenVector(order[k]);
            double[] u = new double[n];
            for (int i = 0; i < n; i++) {
                u[i] = v.get(i, 0);
            }
            double norm = Vectors.norm(u);
            for (int i = 0; i < n; i++) {
                u[i] /= norm;
            }
            vectors[k] = u;
        }
        return new Decomposition(values, vectors);
    }
}
