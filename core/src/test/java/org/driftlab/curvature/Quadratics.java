package org.driftlab.curvature;

import java.util.Random;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.linalg.SymmetricEigen;

/** Test oracles: symmetric matrices with a prescribed spectrum in a random orthonormal basis. */
final class Quadratics {
    private Quadratics() {}

    /** Row-major U·diag(λ)·Uᵀ with U the eigenvectors of a random Gaussian symmetric matrix. */
    static double[] rotated(double[] lambda, long seed) {
        int n = lambda.length;
        Random r = new Random(seed);
        double[] g = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = r.nextGaussian();
                g[i * n + j] = v;
                g[j * n + i] = v;
            }
        }
        SymmetricEigen.Decomposition basis = SymmetricEigen.of(g, n);
        double[] a = new double[n * n];
        for (int k = 0; k < n; k++) {
            double[] u = basis.vector(k);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    a[i * n + j] += lambda[k] * u[i] * u[j];
                }
            }
        }
        // Exact symmetry so that the dense oracle and the operator see the same matrix.
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double s = 0.5 * (a[i * n + j] + a[j * n + i]);
                a[i * n + j] = s;
                a[j * n + i] = s;
            }
        }
        return a;
    }

    static LinearOperator diagonal(double[] lambda) {
        double[] d = lambda.clone();
        return LinearOperator.of(d.length, x -> {
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = d[i] * x[i];
            }
            return y;
        });
    }

    static double[] randomSymmetric(int n, double scale, long seed) {
        Random r = new Random(seed);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = scale * r.nextGaussian();
                a[i * n + j] = v;
                a[j * n + i] = v;
            }
        }
        return a;
    }

    static double trace(double[] a, int n) {
        double t = 0;
        for (int i = 0; i < n; i++) {
            t += a[i * n + i];
        }
        return t;
    }
}
