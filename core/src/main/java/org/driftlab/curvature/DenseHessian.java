package org.driftlab.curvature;

import org.driftlab.linalg.LinearOperator;
import org.driftlab.linalg.SymmetricEigen;

/**
 * The full D×D matrix of an operator, built column by column from D matvecs on the basis vectors e_j: the
 * float64 oracle for small models. The matrix is symmetrised as (A + Aᵀ)/2 and the largest asymmetry
 * max|A_ij − A_ji| of the raw columns is kept, because an HVP that is not symmetric to rounding usually
 * signals a bug (wrong reduction, train-mode batch norm, a non-smooth point).
 */
public final class DenseHessian {
    private final int dim;
    private final double[] matrix;
    private final double maxAsymmetry;
    private final double maxAbs;

    private DenseHessian(int dim, double[] matrix, double maxAsymmetry, double maxAbs) {
        this.dim = dim;
        this.matrix = matrix;
        this.maxAsymmetry = maxAsymmetry;
        this.maxAbs = maxAbs;
    }

    /** Materialises {@code op} with D = {@code op.dim()} matvecs. Quadratic memory: meant for D up to a few thousand. */
    public static DenseHessian of(LinearOperator op) {
        int dim = Probes.dimension(op);
        double[] raw = new double[dim * dim];
        double[] e = new double[dim];
        for (int j = 0; j < dim; j++) {
            e[j] = 1;
            double[] column = Probes.apply(op, e);
            e[j] = 0;
            for (int i = 0; i < dim; i++) {
                raw[i * dim + j] = column[i];
            }
        }
        double asym = 0;
        double maxAbs = 0;
        double[] sym = new double[dim * dim];
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < dim; j++) {
                double a = raw[i * dim + j];
                double b = raw[j * dim + i];
                asym = Math.max(asym, Math.abs(a - b));
                maxAbs = Math.max(maxAbs, Math.abs(a));
                sym[i * dim + j] = 0.5 * (a + b);
            }
        }
        return new DenseHessian(dim, sym, asym, maxAbs);
    }

    public int dim() {
        return dim;
    }

    /** The symmetrised matrix, row-major D×D (a copy). */
    public double[] matrix() {
        return matrix.clone();
    }

    public double get(int i, int j) {
        return matrix[i * dim + j];
    }

    /** max_ij |A_ij − A_ji| before symmetrisation. */
    public double maxAsymmetry() {
        return maxAsymmetry;
    }

    /** maxAsymmetry / max_ij |A_ij| (0 for the zero matrix). */
    public double relativeAsymmetry() {
        return maxAbs == 0 ? 0 : maxAsymmetry / maxAbs;
    }

    /** The symmetrised matrix as an operator (no further calls to the original). */
    public LinearOperator operator() {
        return LinearOperator.dense(matrix.clone(), dim);
    }

    /** Full eigendecomposition (λ ascending) via {@link SymmetricEigen}. */
    public SymmetricEigen.Decomposition eigen() {
        return SymmetricEigen.of(matrix, dim);
    }

    public double trace() {
        double t = 0;
        for (int i = 0; i < dim; i++) {
            t += matrix[i * dim + i];
        }
        return t;
    }
}
