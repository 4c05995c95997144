package org.driftlab.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.driftlab.linalg.LinearOperator;
import org.driftlab.linalg.SymmetricEigen;
import org.driftlab.linalg.Vectors;
import org.junit.jupiter.api.Test;

class LanczosTest {

    /** Spectrum with large negative eigenvalues: |λ_min| = 50 > λ_max = 10. */
    private static double[] spectrumWithNegatives(int n) {
        double[] lambda = new double[n];
        lambda[0] = -50;
        lambda[1] = -20;
        for (int i = 2; i < n - 3; i++) {
            lambda[i] = -1 + 6.0 * i / n;
        }
        lambda[n - 3] = 8;
        lambda[n - 2] = 9;
        lambda[n - 1] = 10;
        return lambda;
    }

    @Test
    void largestAlgebraicIgnoresBigNegativeEigenvalues() {
        int n = 100;
        double[] a = Quadratics.rotated(spectrumWithNegatives(n), 3);
        LinearOperator op = LinearOperator.dense(a, n);
        Lanczos.Result top = Lanczos.run(op, Lanczos.Config.builder().k(3).tolerance(1e-10).seed(1).build());
        assertTrue(top.converged());
        assertEquals(10, top.eigenvalue(0), 1e-9);
        assertEquals(9, top.eigenvalue(1), 1e-9);
        assertEquals(8, top.eigenvalue(2), 1e-9);
        assertEquals(10, Lanczos.sharpness(op), 1e-5);

        Lanczos.Result bottom = Lanczos.run(op, Lanczos.Config.builder().k(2)
                .which(Lanczos.Which.SMALLEST_ALGEBRAIC).tolerance(1e-10).build());
        assertEquals(-50, bottom.eigenvalue(0), 1e-9);
        assertEquals(-20, bottom.eigenvalue(1), 1e-9);

        // The PyHessian-style power iteration returns the largest |λ|: the trap Lanczos avoids.
        PowerIteration.Result power = PowerIteration.run(op, 1, 500, 1e-10, 2);
        assertEquals(-50, power.eigenvalues()[0], 1e-6);
    }

    @Test
    void topFiveMatchDenseEigenOfRandomSymmetricMatrix() {
        int n = 200;
        double[] a = Quadratics.randomSymmetric(n, 1.0 / Math.sqrt(n), 11);
        SymmetricEigen.Decomposition exact = SymmetricEigen.of(a, n);
        LinearOperator op = LinearOperator.dense(a, n);
        Lanczos.Result r = Lanczos.run(op, Lanczos.Config.builder().k(5).tolerance(1e-10).seed(5).build());
        assertTrue(r.converged(), r.toString());
        assertEquals(Lanczos.ResidualMode.TRUE, r.residualMode());
        for (int i = 0; i < 5; i++) {
            assertEquals(exact.value(n - 1 - i), r.eigenvalue(i), 1e-8);
            assertTrue(r.residuals()[i] < 1e-8, "true residual " + r.residuals()[i]);
            double[] u = r.eigenvector(i);
            assertEquals(1, Vectors.norm(u), 1e-12);
            double[] au = op.apply(u);
            Vectors.axpy(-r.eigenvalue(i), u, au);
            assertEquals(r.residuals()[i], Vectors.norm(au), 1e-12);
        }
        assertEquals(r.iterations() + 5, r.matvecs());

        Lanczos.Result bottom = Lanczos.run(op, Lanczos.Config.builder().k(4)
                .which(Lanczos.Which.SMALLEST_ALGEBRAIC).tolerance(1e-10).seed(6).build());
        assertTrue(bottom.converged());
        for (int i = 0; i < 4; i++) {
            assertEquals(exact.value(i), bottom.eigenvalue(i), 1e-8);
        }
    }

    @Test
    void ritzEstimatesTrackTrueResiduals() {
        int n = 150;
        double[] a = Quadratics.randomSymmetric(n, 1.0, 13);
        LinearOperator op = LinearOperator.dense(a, n);
        Lanczos.Config base = Lanczos.Config.builder().k(2).tolerance(1e-6).maxIterations(40).seed(3).build();
        Lanczos.Result est = Lanczos.run(op, base.toBuilder().residualMode(Lanczos.ResidualMode.RITZ_ESTIMATE).build());
        Lanczos.Result tru = Lanczos.run(op, base);
        assertEquals(est.iterations(), est.matvecs());
        for (int i = 0; i < 2; i++) {
            assertEquals(tru.residuals()[i], est.residuals()[i], 1e-8 * Math.max(1, tru.residuals()[i]) + 1e-3 * tru.residuals()[i]);
        }
    }

    @Test
    void warmStartReducesIterations() {
        int n = 300;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = 10.0 * i / n; // uniformly spaced: small relative gap at the top, slow from random starts
        }
        double[] a = Quadratics.rotated(lambda, 21);
        Lanczos.Config cfg = Lanczos.Config.builder().tolerance(1e-8).seed(4).build();
        Lanczos.Result before = Lanczos.run(LinearOperator.dense(a, n), cfg);
        // A nearby operator, as one training step later.
        double[] drift = Quadratics.randomSymmetric(n, 1e-7, 22);
        double[] b = a.clone();
        for (int i = 0; i < b.length; i++) {
            b[i] += drift[i];
        }
        LinearOperator next = LinearOperator.dense(b, n);
        Lanczos.Result cold = Lanczos.run(next, cfg);
        Lanczos.Result warm = Lanczos.run(next, cfg.toBuilder().warmStart(before.eigenvector(0)).build());
        Lanczos.Result tracked = Lanczos.trackSharpness(next, before.eigenvector(0), 1e-8);
        assertTrue(cold.converged() && warm.converged() && tracked.converged());
        assertEquals(cold.eigenvalue(0), warm.eigenvalue(0), 1e-10);
        assertEquals(cold.eigenvalue(0), tracked.eigenvalue(0), 1e-10);
        assertTrue(warm.iterations() < cold.iterations() * 0.7, "warm " + warm.iterations() + " vs cold " + cold.iterations());
    }

    @Test
    void invariantSubspacesRestartAndSmallSpacesAreExhausted() {
        // Three distinct eigenvalues in dimension 40: the Krylov space of one vector has dimension 3.
        int n = 40;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = i < 20 ? 1 : (i < 39 ? 2 : 5);
        }
        LinearOperator op = LinearOperator.dense(Quadratics.rotated(lambda, 8), n);
        Lanczos.Result r = Lanczos.run(op, Lanczos.Config.builder().k(3).tolerance(1e-10).build());
        assertTrue(r.converged());
        assertEquals(5, r.eigenvalue(0), 1e-10);
        assertEquals(2, r.eigenvalue(1), 1e-10);
        assertEquals(2, r.eigenvalue(2), 1e-10);
        assertTrue(r.restarts() >= 1);
        assertTrue(Math.abs(Vectors.dot(r.eigenvector(1), r.eigenvector(2))) < 1e-10, "distinct vectors for a double eigenvalue");

        // k = D: every eigenvalue.
        double[] small = {3, -1, 4, 1, -5};
        Lanczos.Result all = Lanczos.run(Quadratics.diagonal(small), Lanczos.Config.builder().k(5).build());
        assertTrue(all.converged());
        assertEquals(5, all.iterations());
        double[] expected = {4, 3, 1, -1, -5};
        for (int i = 0; i < 5; i++) {
            assertEquals(expected[i], all.eigenvalue(i), 1e-12);
        }
    }

    /**
     * An eigenvalue of multiplicity k = 3 beside one of multiplicity 5: each Krylov block (two-dimensional here) holds one
     * copy of each, so the top three are only found after three restarts, and the Ritz values after the second block,
     * [3, 3, 1], are exact for the space spanned so far but not the answer. Lanczos must go on until a restarted block
     * leaves the wanted values unchanged. Oracle: the spectrum the operator was built from.
     */
    @Test
    void aTripleEigenvalueIsFoundOnlyWhenARestartNoLongerChangesTheWantedValues() {
        int n = 8;
        double[] lambda = {3, 3, 3, 1, 1, 1, 1, 1};
        LinearOperator op = LinearOperator.dense(Quadratics.rotated(lambda, 3), n);
        Lanczos.Result r = Lanczos.run(op, Lanczos.Config.builder().k(3).tolerance(1e-10).build());
        assertTrue(r.converged());
        for (int i = 0; i < 3; i++) {
            assertEquals(3, r.eigenvalue(i), 1e-10, "copy " + i + " of λ = 3");
        }
        assertTrue(r.restarts() >= 3, r.restarts() + " restarts");
        assertTrue(Math.abs(Vectors.dot(r.eigenvector(0), r.eigenvector(2))) < 1e-10, "distinct vectors for the copies");
    }

    @Test
    void notConvergedIsReported() {
        int n = 300;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = i;
        }
        Lanczos.Result r = Lanczos.run(Quadratics.diagonal(lambda),
                Lanczos.Config.builder().k(1).maxIterations(5).tolerance(1e-12).build());
        assertFalse(r.converged());
        assertEquals(5, r.iterations());
    }
}
