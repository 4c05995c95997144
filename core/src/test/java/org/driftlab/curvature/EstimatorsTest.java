package org.driftlab.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.driftlab.DriftlabException;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.linalg.SymmetricEigen;
import org.junit.jupiter.api.Test;

/**
 * Hutchinson, dense Hessians and power iteration against exact traces and spectra. Exact cases are checked to the
 * rounding of sums of O(10) numbers; statistical bands state their false-alarm rates where they are used.
 */
class EstimatorsTest {

    @Test
    void hutchinsonTraceWithinThreeStandardErrors() {
        int n = 80;
        double[] a = shiftedRandom(n, 2.0, 31);
        LinearOperator op = LinearOperator.dense(a, n);
        Hutchinson.Result r = Hutchinson.trace(op, 200, 17);
        double exact = Quadratics.trace(a, n);
        assertEquals(200, r.samples().length);
        assertEquals(Arrays.stream(r.samples()).average().orElseThrow(), r.estimate(), 1e-12);
        assertTrue(r.standardError() > 0);
        // 3 standard errors: a false-alarm rate of 0.3% for a fresh seed (the seed is fixed, so the test is deterministic)
        assertTrue(Math.abs(r.estimate() - exact) < 3 * r.standardError(), r + " vs exact " + exact);
        // Reproducible from the seed.
        assertEquals(r.estimate(), Hutchinson.trace(op, 200, 17).estimate(), 0);
        // The standard error is the samples' standard deviation (n − 1) over √m, recomputed here in two passes.
        assertEquals(standardError(r.samples(), 200), r.standardError(), 1e-12 * r.standardError());
        assertTrue(Double.isNaN(Hutchinson.trace(op, 1, 17).standardError()), "one probe has no standard error");
    }

    /** A random symmetric n×n matrix (entries of scale 1) plus shift·I, so its trace is well away from 0. */
    private static double[] shiftedRandom(int n, double shift, long seed) {
        double[] a = Quadratics.randomSymmetric(n, 1.0, seed);
        for (int i = 0; i < n; i++) {
            a[i * n + i] += shift;
        }
        return a;
    }

    /** The sample standard deviation of the first m samples over √m, in two passes (the oracle of the running form). */
    private static double standardError(double[] samples, int m) {
        double mean = 0;
        for (int i = 0; i < m; i++) {
            mean += samples[i] / m;
        }
        double ss = 0;
        for (int i = 0; i < m; i++) {
            ss += (samples[i] - mean) * (samples[i] - mean);
        }
        return Math.sqrt(ss / (m - 1) / m);
    }

    /**
     * Adaptive Hutchinson stops at the first probe count m ≥ minProbes whose standard error is below the target times
     * |estimate|, and its running (Welford) standard error equals the two-pass one; checked against the samples it
     * returns, prefix by prefix, for a target that stops early, one never met, and minProbes = maxProbes.
     */
    @Test
    void adaptiveHutchinsonStopsAtTheFirstCountMeetingItsTarget() {
        int n = 60;
        LinearOperator op = LinearOperator.dense(shiftedRandom(n, 3.0, 5), n);
        for (double target : new double[] {0.1, 1e-300}) {
            Hutchinson.Result r = Hutchinson.deflatedTrace(op, new double[0][], 0, target, 5, 300, 11);
            int m = r.probes();
            double[] s = r.samples();
            assertEquals(m, s.length);
            assertEquals(standardError(s, m), r.standardError(), 1e-10 * r.standardError());
            assertEquals(Arrays.stream(s).average().orElseThrow(), r.estimate(), 1e-12 * Math.abs(r.estimate()));
            for (int k = 5; k < m; k++) {
                double mean = Arrays.stream(s, 0, k).average().orElseThrow();
                assertTrue(standardError(s, k) >= target * Math.abs(mean), "met the target at " + k + " < " + m);
            }
            if (target == 1e-300) {
                assertEquals(300, m, "a target never met uses every probe");
            } else {
                assertTrue(m < 300 && r.standardError() < target * Math.abs(r.estimate()), "stopped at " + m);
            }
        }
        assertEquals(7, Hutchinson.deflatedTrace(op, new double[0][], 0, 1e9, 7, 7, 2).probes());
    }

    @Test
    void hutchinsonIsExactOnDiagonalOperators() {
        double[] d = {3, -1, 0.5, 7, 2};
        LinearOperator op = Quadratics.diagonal(d);
        Hutchinson.Result r = Hutchinson.trace(op, 4, 1);
        // Rademacher probes make vᵀDv = Tr D exactly; what remains is the rounding of sums of O(10) numbers
        assertEquals(11.5, r.estimate(), 1e-14);
        assertEquals(0, r.standardError(), 1e-14);
        double[] diag = Hutchinson.diagonal(op, 3, 5);
        for (int i = 0; i < d.length; i++) {
            assertEquals(d[i], diag[i], 1e-14);
        }
    }

    @Test
    void hutchinsonDiagonalConvergesOnDenseMatrix() {
        int n = 30;
        double[] a = Quadratics.randomSymmetric(n, 0.1, 3);
        double[] diag = Hutchinson.diagonal(LinearOperator.dense(a, n), 4000, 8);
        for (int i = 0; i < n; i++) {
            // Per-entry standard deviation is sqrt(Σ_{j≠i} A_ij²)/sqrt(m) ≈ 0.1·sqrt(29/4000) ≈ 0.0085, so 0.045 is 5.3
            // standard deviations: a false-alarm rate of 1.2e-7 per entry, 3.5e-6 for the 30.
            assertEquals(a[i * n + i], diag[i], 0.045);
        }
    }

    @Test
    void denseHessianReportsAsymmetryAndDecomposes() {
        int n = 25;
        double[] a = Quadratics.randomSymmetric(n, 1.0, 12);
        DenseHessian h = DenseHessian.of(LinearOperator.dense(a, n));
        assertEquals(0, h.maxAsymmetry(), 0);
        for (int i = 0; i < n * n; i++) {
            assertEquals(a[i], h.matrix()[i], 0);
        }
        SymmetricEigen.Decomposition e = h.eigen();
        // the eigenvalues of a backward-stable solver sum to the trace up to n·u·‖A‖ ≈ 25·1.1e-16·10 ≈ 3e-14 each
        assertEquals(h.trace(), Arrays.stream(e.values()).sum(), 1e-11);

        double[] skewed = a.clone();
        skewed[1] += 0.25; // entry (0,1)
        DenseHessian hs = DenseHessian.of(LinearOperator.dense(skewed, n));
        assertEquals(0.25, hs.maxAsymmetry(), 1e-15);
        assertEquals(a[1] + 0.125, hs.get(0, 1), 1e-15);
        assertEquals(hs.get(1, 0), hs.get(0, 1), 0);
        assertTrue(hs.relativeAsymmetry() > 0);
    }

    @Test
    void powerIterationFollowsPyHessian() {
        double[] d = new double[50];
        for (int i = 0; i < d.length; i++) {
            d[i] = 0.1 * i;
        }
        d[49] = 20;
        d[48] = 10;
        LinearOperator op = LinearOperator.dense(Quadratics.rotated(d, 6), d.length);
        // PyHessian's stop: the relative change of the estimate below 1e-3. With λ₂/λ₁ = 1/2 the remaining error is
        // about the last change, so λ₁ to 1e-3 relative; λ₂ (ratio 4.7/10 after deflation) also inherits the error of
        // the deflated λ₁ and its vector, hence 1e-2.
        PowerIteration.Result r = PowerIteration.run(op, 2, 100, 1e-3, 0);
        assertEquals(20, r.eigenvalues()[0], 20 * 1e-3);
        assertEquals(10, r.eigenvalues()[1], 10 * 1e-2);
        assertTrue(r.converged(0) && r.converged(1));
        assertEquals(Arrays.stream(r.iterations()).sum(), r.matvecs());
        assertTrue(PowerIteration.run(op, 0).iterations()[0] <= 100);
    }

    @Test
    void nonFiniteOperatorOutputIsAUserError() {
        LinearOperator bad = LinearOperator.of(3, x -> new double[] {Double.NaN, 0, 0});
        assertThrows(DriftlabException.class, () -> Lanczos.sharpness(bad));
        assertThrows(IllegalArgumentException.class, () -> Lanczos.sharpness(x -> x));
    }
}
