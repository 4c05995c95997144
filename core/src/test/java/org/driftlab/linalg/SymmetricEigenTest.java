package org.driftlab.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Dense symmetric and tridiagonal eigensolvers against reconstructions and known spectra. The solvers are backward
 * stable: eigenvalues are exact for a matrix within n·u·‖A‖ of A, so the tolerances (1e-14 on a 2×2 matrix, up to
 * 1e-11 on order 60, norms O(1–10)) are ten to a few hundred times n·u·‖A‖.
 */
class SymmetricEigenTest {

    static double[] randomSymmetric(int n, long seed) {
        Random r = new Random(seed);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = r.nextGaussian();
                a[i * n + j] = v;
                a[j * n + i] = v;
            }
        }
        return a;
    }

    private static void checkDecomposition(double[] a, int n, SymmetricEigen.Decomposition d) {
        double[] back = d.reconstruct(x -> x);
        for (int i = 0; i < n * n; i++) {
            assertEquals(a[i], back[i], 1e-12, "reconstruction entry " + i);
        }
        for (int i = 0; i + 1 < n; i++) {
            assertTrue(d.value(i) <= d.value(i + 1), "ascending");
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(i == j ? 1 : 0, Vectors.dot(d.vector(i), d.vector(j)), 1e-12);
            }
        }
    }

    @Test
    void allBackendsReconstructAndAgree() {
        int n = 60;
        double[] a = randomSymmetric(n, 7);
        SymmetricEigen.Decomposition auto = SymmetricEigen.of(a, n);
        SymmetricEigen.Decomposition java = SymmetricEigen.of(a, n, SymmetricEigen.Backend.JAVA_LAPACK);
        SymmetricEigen.Decomposition ejml = SymmetricEigen.of(a, n, SymmetricEigen.Backend.EJML);
        checkDecomposition(a, n, auto);
        checkDecomposition(a, n, java);
        checkDecomposition(a, n, ejml);
        for (int i = 0; i < n; i++) {
            assertEquals(auto.value(i), java.value(i), 1e-11);
            assertEquals(auto.value(i), ejml.value(i), 1e-11);
        }
    }

    @Test
    void readsOnlyLowerTriangleAndKnownSpectrum() {
        // [[2,1],[1,2]] has eigenvalues 1 and 3; garbage in the upper triangle must be ignored.
        double[] a = {2, 99, 1, 2};
        SymmetricEigen.Decomposition d = SymmetricEigen.of(a, 2);
        assertEquals(1, d.value(0), 1e-14);
        assertEquals(3, d.value(1), 1e-14);
        assertEquals(1, Math.abs(d.vector(1)[0] * Math.sqrt(2)), 1e-14);
    }

    @Test
    void tridiagonalMatchesDenseIncludingSplitBlocks() {
        double[] alpha = {1, -2, 3, 0.5, 4};
        double[] beta = {0.3, 0.7, 0, 1.1};
        int m = 5;
        double[] dense = new double[m * m];
        for (int i = 0; i < m; i++) {
            dense[i * m + i] = alpha[i];
            if (i < m - 1) {
                dense[i * m + i + 1] = beta[i];
                dense[(i + 1) * m + i] = beta[i];
            }
        }
        SymmetricEigen.Decomposition t = Tridiagonal.eigen(alpha, beta, m);
        SymmetricEigen.Decomposition d = SymmetricEigen.of(dense, m);
        double[] values = Tridiagonal.eigenvalues(alpha, beta, m);
        for (int i = 0; i < m; i++) {
            assertEquals(d.value(i), t.value(i), 1e-13);
            assertEquals(d.value(i), values[i], 1e-13);
            double[] tv = LinearOperator.dense(dense, m).apply(t.vector(i));
            assertEquals(0, Vectors.distance(tv, Vectors.scale(t.value(i), t.vector(i))), 1e-13);
        }
        assertEquals(1, Tridiagonal.eigen(new double[] {2.5}, new double[0], 1).size());
        for (SymmetricEigen.Backend backend : SymmetricEigen.Backend.values()) {
            SymmetricEigen.Decomposition b = Tridiagonal.eigen(alpha, beta, m, backend);
            for (int i = 0; i < m; i++) {
                assertEquals(d.value(i), b.value(i), 1e-13, backend.name());
                assertEquals(1, Math.abs(Vectors.dot(b.vector(i), t.vector(i))), 1e-12, backend.name());
            }
        }
    }
}
