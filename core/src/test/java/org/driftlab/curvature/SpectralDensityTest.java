package org.driftlab.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.driftlab.DriftlabException;
import org.driftlab.linalg.LinearOperator;
import org.junit.jupiter.api.Test;

class SpectralDensityTest {

    private static double[] spectrum(int n) {
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = -2 + 12.0 * i * i / (n * (double) n);
        }
        return lambda;
    }

    @Test
    void exactQuadratureWhenStepsReachDimension() {
        // For a diagonal A, zᵀf(A)z = Tr f(A) for every Rademacher z, so with m ≥ D SLQ is exact.
        int n = 60;
        double[] lambda = spectrum(n);
        LinearOperator op = Quadratics.diagonal(lambda);
        SpectralDensity.Result r = SpectralDensity.estimate(op, SpectralDensity.Config.defaults().withRuns(3).withSteps(100).withSeed(9));
        double trace = Arrays.stream(lambda).sum();
        double trace2 = Arrays.stream(lambda).map(x -> x * x).sum();
        assertEquals(trace, r.traceOf(x -> x), 1e-10 * n);
        assertEquals(trace2, r.traceOf(x -> x * x), 1e-9 * n);
        assertEquals(n, r.traceOf(x -> 1), 1e-10);
        assertEquals(3 * n, r.matvecs());
        for (int run = 0; run < 3; run++) {
            assertEquals(1, Arrays.stream(r.weights(run)).sum(), 1e-12);
        }
        assertEquals(EffectiveParameters.nEff(lambda, 3.0), EffectiveParameters.nEff(r, 3.0), 1e-9);
        // Negative mass: the eigenvalues below zero.
        long negatives = Arrays.stream(lambda).filter(x -> x < 0).count();
        assertEquals(negatives / (double) n, r.massBelow(0), 1e-10);
    }

    @Test
    void densityIntegratesToOneWithMeanNearTraceOverD() {
        int n = 120;
        // Evenly spread eigenvalues: with mass piled at an edge, the renormalisation after the grid cuts the
        // kernel tails shifts the mean by more (that is the PyHessian convention, not an error).
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = -2 + 12.0 * i / (n - 1) + 0.3 * Math.sin(i);
        }
        Arrays.sort(lambda);
        LinearOperator op = Quadratics.diagonal(lambda);
        SpectralDensity.Result r = SpectralDensity.estimate(op, SpectralDensity.Config.defaults().withSteps(n));
        double[] grid = r.grid();
        double[] rho = r.density();
        assertEquals(10000, grid.length);
        double dt = grid[1] - grid[0];
        assertEquals(1, Arrays.stream(rho).sum() * dt, 1e-12);
        assertEquals(lambda[0] - 0.01, grid[0], 1e-9);
        assertEquals(lambda[n - 1] + 0.01, grid[grid.length - 1], 1e-9);
        double width = grid[grid.length - 1] - grid[0];
        assertEquals(1e-5 * Math.max(1, width), r.sigmaSquared(), 1e-15);
        // With the default overhead 0.01 ≈ σ the grid cuts the edge kernels' tails (mean shift up to ~1e-2 here);
        // with a wide overhead the broadened density keeps the quadrature's mean Tr(A)/D.
        assertEquals(Arrays.stream(lambda).sum() / n, r.firstMoment(), 1e-2);
        SpectralDensity.Result wide = SpectralDensity.estimate(op, SpectralDensity.Config.defaults().withSteps(n).withOverhead(0.2));
        assertEquals(Arrays.stream(lambda).sum() / n, wide.firstMoment(), 1e-9);
        assertEquals(Arrays.stream(lambda).sum(), r.traceOf(x -> x), 1e-10 * n);
        assertTrue(r.convention().contains("variance") && r.convention().contains("rectangle"), r.convention());
    }

    @Test
    void fewStepsOnRotatedOperatorGiveAProbabilityMeasureInsideTheSpectrum() {
        int n = 150;
        double[] lambda = spectrum(n);
        double[] a = Quadratics.rotated(lambda, 4);
        LinearOperator op = LinearOperator.dense(a, n);
        SpectralDensity.Result r = SpectralDensity.estimate(op, SpectralDensity.Config.defaults().withRuns(10).withSteps(30).withSeed(2));
        double exactTrace = Quadratics.trace(a, n);
        for (int run = 0; run < r.runs(); run++) {
            double[] nodes = r.nodes(run);
            assertEquals(30, nodes.length);
            assertTrue(nodes[0] >= lambda[0] - 1e-9 && nodes[29] <= lambda[n - 1] + 1e-9);
            assertEquals(1, Arrays.stream(r.weights(run)).sum(), 1e-12);
        }
        // Extreme Ritz values converge first: the outermost node is close to λ_max after 30 steps.
        assertEquals(lambda[n - 1], r.nodes(0)[29], 1e-3);
        // Tr A by SLQ is Hutchinson with the same probes: unbiased, here within a loose band.
        double hutch = Hutchinson.trace(op, 10, 2).standardError();
        assertEquals(exactTrace, r.traceOf(x -> x), 5 * hutch + 1e-8);
    }

    @Test
    void nEffGuardsThePole() {
        assertEquals(1.5, EffectiveParameters.nEff(new double[] {1, 3, 0}, 1.0), 1e-15 + 0.25);
        assertEquals(0.5 + 0.75, EffectiveParameters.nEff(new double[] {1, 3, 0}, 1.0), 1e-15);
        assertThrows(DriftlabException.class, () -> EffectiveParameters.nEff(new double[] {2, -0.5}, 0.5));
    }
}
