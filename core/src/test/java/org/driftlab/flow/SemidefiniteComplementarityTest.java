package org.driftlab.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.driftlab.linalg.SymmetricEigen;
import org.junit.jupiter.api.Test;

/**
 * The SDCP X ⪰ 0, Z = α + B[X] ⪰ 0, ⟨X, Z⟩ = 0 against its own certificate: for a convex problem these conditions
 * are necessary and sufficient, so checking them on the returned X is a complete oracle.
 */
class SemidefiniteComplementarityTest {
    /** B[X]_ij = ½Σ_lm ⟨G_ij, G_lm⟩X_lm for random vectors G_ij = G_ji in R^dim: the map the central flow builds. */
    static double[] gramMap(double[][][] g, int k) {
        double[] b = new double[k * k * k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                for (int l = 0; l < k; l++) {
                    for (int m = 0; m < k; m++) {
                        double s = 0;
                        for (int d = 0; d < g[i][j].length; d++) {
                            s += g[i][j][d] * g[l][m][d];
                        }
                        b[(i * k + j) * k * k + l * k + m] = 0.5 * s;
                    }
                }
            }
        }
        return b;
    }

    static double[][][] randomGradients(SplittableRandom rng, int k, int dim) {
        double[][][] g = new double[k][k][];
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                g[i][j] = new double[dim];
                for (int d = 0; d < dim; d++) {
                    g[i][j][d] = rng.nextDouble(-1, 1);
                }
                g[j][i] = g[i][j];
            }
        }
        return g;
    }

    static double[] apply(double[] b, double[] x, int k) {
        double[] out = new double[k * k];
        for (int p = 0; p < k * k; p++) {
            for (int q = 0; q < k * k; q++) {
                out[p] += b[p * k * k + q] * x[q];
            }
        }
        return out;
    }

    /** The KKT residuals: min eig X, min eig Z, ⟨X, Z⟩, each relative to the problem's scale. */
    static void assertSolves(double[] alpha, double[] b, int k, double[] x, double tol) {
        double[] z = apply(b, x, k);
        double scale = 0;
        for (int p = 0; p < k * k; p++) {
            z[p] += alpha[p];
            scale = Math.max(scale, Math.abs(alpha[p]));
        }
        double xScale = 0;
        double inner = 0;
        for (int p = 0; p < k * k; p++) {
            xScale = Math.max(xScale, Math.abs(x[p]));
            inner += x[p] * z[p];
        }
        assertTrue(SymmetricEigen.of(x, k).value(0) >= -tol * Math.max(xScale, 1e-300), "X ⪰ 0");
        assertTrue(SymmetricEigen.of(z, k).value(0) >= -tol * scale, "Z ⪰ 0: " + SymmetricEigen.of(z, k).value(0));
        assertEquals(0, inner, tol * scale * Math.max(xScale, 1e-300), "⟨X, Z⟩ = 0");
    }

    @Test
    void randomProblemsSatisfyTheComplementarityConditions() {
        SplittableRandom rng = new SplittableRandom(11);
        int partial = 0;
        for (int trial = 0; trial < 60; trial++) {
            int k = 2 + trial % 3;
            double[][][] g = randomGradients(rng, k, 3 * k * k); // more directions than pairs: B invertible
            double[] b = gramMap(g, k);
            double[] alpha = new double[k * k];
            for (int i = 0; i < k; i++) {
                for (int j = i; j < k; j++) {
                    double v = rng.nextDouble(-1, 1);
                    alpha[i * k + j] = v;
                    alpha[j * k + i] = v;
                }
            }
            SemidefiniteComplementarity.Solution s = SemidefiniteComplementarity.solve(alpha, b, k);
            // FISTA stops at a 1e-14 relative move; the conditions then hold to about 1e-10 of the scale.
            assertSolves(alpha, b, k, s.x(), 1e-9);
            if (s.iterations() > 0) {
                partial++;
            }
        }
        assertTrue(partial > 10, "the iterative (partly active) case must be exercised, got " + partial);
    }

    @Test
    void oneEigenvalueIsTheClosedForm() {
        // k = 1: X = max(0, −α/β).
        assertArrayEquals(new double[] {2.0}, SemidefiniteComplementarity.solve(new double[] {-3}, new double[] {1.5}, 1).x());
        assertArrayEquals(new double[] {0.0}, SemidefiniteComplementarity.solve(new double[] {3}, new double[] {1.5}, 1).x());
    }

    @Test
    void exactCasesNeedNoIteration() {
        SplittableRandom rng = new SplittableRandom(5);
        int k = 3;
        double[] b = gramMap(randomGradients(rng, k, 40), k);
        // α ⪰ 0: nothing is violated, X = 0.
        double[] alpha = {2, 0.5, 0, 0.5, 1, 0, 0, 0, 3};
        SemidefiniteComplementarity.Solution s = SemidefiniteComplementarity.solve(alpha, b, k);
        assertEquals(0, s.iterations());
        assertArrayEquals(new double[k * k], s.x());
        // α = −B[X*] for a positive definite X*: every constraint active, X = X* exactly (to rounding).
        double[] xStar = {2, 0.3, -0.1, 0.3, 1, 0.2, -0.1, 0.2, 0.5};
        double[] minus = apply(b, xStar, k);
        for (int p = 0; p < k * k; p++) {
            minus[p] = -minus[p];
        }
        s = SemidefiniteComplementarity.solve(minus, b, k);
        assertEquals(0, s.iterations());
        assertArrayEquals(xStar, s.x(), 1e-10);
    }

    @Test
    void whereNoMultiplierCanActTheConstraintIsDropped() {
        int k = 2;
        // B = 0 (∇λ = 0, e.g. a quadratic past 2/h): no multiplier, gradient flow.
        double[] alpha = {-1, 0, 0, 2};
        assertArrayEquals(new double[4], SemidefiniteComplementarity.solve(alpha, new double[16], k).x());
        // Two independent eigenvalues (no cross term ∇H_12): the problem splits into two k = 1 problems.
        double[][][] g = new double[2][2][];
        g[0][0] = new double[] {1, 0, 0};
        g[1][1] = new double[] {0, 2, 0};
        g[0][1] = new double[3];
        g[1][0] = g[0][1];
        double[] b = gramMap(g, k);
        double[] x = SemidefiniteComplementarity.solve(new double[] {-1, 0, 0, 4}, b, k).x();
        assertEquals(2.0, x[0], 1e-15); // −α₁₁/B₁₁ = 1/(½·1)
        assertEquals(0.0, x[3], 1e-15); // α₂₂ > 0: inactive
        assertEquals(0.0, x[1], 1e-15);
    }
}
