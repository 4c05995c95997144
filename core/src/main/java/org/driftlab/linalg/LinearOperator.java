package org.driftlab.linalg;

/**
 * A linear map y = A·x on flat vectors of length {@link #dim()}. Curvature algorithms (Lanczos, SLQ,
 * Hutchinson) see Hessians, Gauss-Newton matrices and gradient covariances only through this interface.
 * Unless stated otherwise an operator is symmetric.
 */
@FunctionalInterface
public interface LinearOperator {
    /** Returns A·x as a new array; x is not modified. */
    double[] apply(double[] x);

    /** Dimension D of the space the operator acts on; -1 when the operator does not know it. */
    default int dim() {
        return -1;
    }

    /** Wraps a function with a known dimension. */
    static LinearOperator of(int dim, LinearOperator op) {
        return new LinearOperator() {
            @Override
            public double[] apply(double[] x) {
                if (x.length != dim) {
                    throw new IllegalArgumentException("operator of dimension " + dim + " applied to a vector of length " + x.length);
                }
                return op.apply(x);
            }

            @Override
            public int dim() {
                return dim;
            }
        };
    }

    /** The operator of a dense symmetric row-major matrix of size n×n. */
    static LinearOperator dense(double[] matrix, int n) {
        if (matrix.length != (long) n * n) {
            throw new IllegalArgumentException("dense operator: " + matrix.length + " entries is not " + n + "x" + n);
        }
        return of(n, x -> {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double s = 0;
                int row = i * n;
                for (int j = 0; j < n; j++) {
                    s += matrix[row + j] * x[j];
                }
                y[i] = s;
            }
            return y;
        });
    }
}
