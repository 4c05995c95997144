package org.driftlab.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.linalg.SymmetricEigen;
import org.junit.jupiter.api.Test;

/**
 * Per-layer curvature, the deflated Hutchinson trace and the N_eff summary against dense oracles: a symmetric matrix
 * with a prescribed spectrum (outliers and negative eigenvalues, as a network Hessian away from a minimum) cut into
 * three groups, one of them two separate ranges.
 */
class LayerSpectraTest {
    private static final double[] SPECTRUM = spectrum();
    private static final int D = SPECTRUM.length;
    private static final double[] MATRIX = Quadratics.rotated(SPECTRUM, 5);
    private static final LinearOperator H = LinearOperator.dense(MATRIX, D);
    private static final List<LayerSpectra.Group> GROUPS = List.of(
            new LayerSpectra.Group("a", "first", new int[] {0}, new int[] {12}),
            new LayerSpectra.Group("b", "second", new int[] {12, 30}, new int[] {8, 10}),
            new LayerSpectra.Group("c", "third", new int[] {20}, new int[] {10}));

    /** Two outliers, a bulk near 0 and a few negative eigenvalues. */
    private static double[] spectrum() {
        double[] s = new double[40];
        for (int i = 0; i < s.length; i++) {
            s[i] = 0.5 * Math.sin(i);
        }
        s[0] = 30;
        s[1] = 12;
        s[2] = -3;
        return s;
    }

    private static double[] topEigenvector() {
        SymmetricEigen.Decomposition e = SymmetricEigen.of(MATRIX, D);
        return e.vector(D - 1);
    }

    @Test
    void estimatesMatchTheExactBlocks() {
        DenseHessian dense = DenseHessian.of(H);
        double[] u = topEigenvector();
        List<LayerSpectra.Entry> exact = LayerSpectra.exact(dense, GROUPS, 2, u);
        // Lanczos with as many steps as the block is large is exact; traces from 4000 shared probes
        List<LayerSpectra.Entry> est = LayerSpectra.estimate(H, GROUPS, 2, 20, 1e-10, 4000, u, 7);
        double shares = 0;
        double traces = 0;
        for (int g = 0; g < GROUPS.size(); g++) {
            LayerSpectra.Entry e = exact.get(g);
            LayerSpectra.Entry s = est.get(g);
            assertEquals(GROUPS.get(g).size(), e.size());
            // the oracle: the block's own dense eigenvalues
            for (int i = 0; i < 2; i++) {
                assertEquals(e.topEigenvalues()[i], s.topEigenvalues()[i], 1e-8 * Math.abs(e.topEigenvalues()[0]), e.name());
            }
            // the estimate is unbiased with the stated standard error: within 4 of them of the exact trace
            assertTrue(Math.abs(s.trace() - e.trace()) < 4 * s.traceStandardError(),
                    e.name() + ": trace " + s.trace() + " ± " + s.traceStandardError() + " vs " + e.trace());
            // and that standard error is the samples' spread: with Rademacher z, z_gᵀ(Hz)_g has variance
            // 4·Σ_{i<j in g} H_ij² + Σ_{i in g, j not in g} H_ij², so over 4000 probes the estimate is within 20% of
            // √(variance/4000) (a sample standard deviation of 4000 draws is off by a few percent)
            double predicted = Math.sqrt(blockSampleVariance(GROUPS.get(g)) / 4000);
            assertEquals(1, s.traceStandardError() / predicted, 0.2, e.name() + " standard error");
            assertEquals(e.topEigenvectorShare(), s.topEigenvectorShare(), 0.0);
            shares += e.topEigenvectorShare();
            traces += e.trace();
        }
        assertEquals(1.0, shares, 1e-12);
        assertEquals(dense.trace(), traces, 1e-10 * Math.abs(SPECTRUM[0]));
        // a block's largest eigenvalue is at most λ_max (Cauchy interlacing): the blocks' curvature never exceeds H's
        for (LayerSpectra.Entry e : exact) {
            assertTrue(e.topEigenvalues()[0] <= 30 + 1e-9);
        }
    }

    /** The variance of one per-layer Hutchinson sample z_gᵀ(Hz)_g for Rademacher z, from the dense MATRIX. */
    private static double blockSampleVariance(LayerSpectra.Group group) {
        boolean[] in = new boolean[D];
        for (int b = 0; b < group.starts().length; b++) {
            for (int i = group.starts()[b]; i < group.starts()[b] + group.lengths()[b]; i++) {
                in[i] = true;
            }
        }
        double v = 0;
        for (int i = 0; i < D; i++) {
            for (int j = i + 1; j < D; j++) {
                double hij = MATRIX[i * D + j];
                if (in[i] && in[j]) {
                    v += 4 * hij * hij;
                } else if (in[i] || in[j]) {
                    v += hij * hij;
                }
            }
        }
        return v;
    }

    @Test
    void groupsMustPartitionTheParameters() {
        List<LayerSpectra.Group> overlapping = List.of(new LayerSpectra.Group("a", "a", new int[] {0}, new int[] {30}),
                new LayerSpectra.Group("b", "b", new int[] {20}, new int[] {20}));
        assertThrows(IllegalArgumentException.class, () -> LayerSpectra.estimate(H, overlapping, 1, 5, 1e-6, 4, null, 1));
        List<LayerSpectra.Group> partial = List.of(new LayerSpectra.Group("a", "a", new int[] {0}, new int[] {30}));
        assertThrows(IllegalArgumentException.class, () -> LayerSpectra.exact(DenseHessian.of(H), partial, 1, null));
    }

    @Test
    void deflationCutsTheVarianceAndKeepsTheTraceUnbiased() {
        double trace = 0;
        for (double l : SPECTRUM) {
            trace += l;
        }
        SymmetricEigen.Decomposition e = SymmetricEigen.of(MATRIX, D);
        double[][] top = {e.vector(D - 1), e.vector(D - 2)};
        double ritz = e.value(D - 1) + e.value(D - 2);
        Hutchinson.Result plain = Hutchinson.deflatedTrace(H, new double[0][], 0, 1e-300, 400, 400, 3);
        Hutchinson.Result deflated = Hutchinson.deflatedTrace(H, top, ritz, 1e-300, 400, 400, 3);
        // Hutchinson's variance is 2Σ_{i≠j} A_ij², dominated by the outliers 30 and 12 that deflation removes
        assertTrue(deflated.standardError() < plain.standardError() / 5,
                "deflated " + deflated.standardError() + " vs plain " + plain.standardError());
        assertTrue(Math.abs(deflated.estimate() - trace) < 4 * deflated.standardError(), deflated + " vs " + trace);
        assertTrue(Math.abs(plain.estimate() - trace) < 4 * plain.standardError(), plain + " vs " + trace);
        assertEquals(2, deflated.deflated());
        // adaptive: stops as soon as the standard error is below 5% of the estimate, at least minProbes
        Hutchinson.Result adaptive = Hutchinson.deflatedTrace(H, top, ritz, 0.05, 10, 400, 4);
        assertTrue(adaptive.probes() >= 10 && adaptive.probes() < 400, "probes " + adaptive.probes());
        assertTrue(adaptive.relativeStandardError() < 0.05);
        // a basis of the whole space leaves nothing to estimate
        double[][] all = new double[D][];
        for (int i = 0; i < D; i++) {
            all[i] = e.vector(i);
        }
        Hutchinson.Result complete = Hutchinson.deflatedTrace(H, all, trace, 0.05, 2, 10, 5);
        assertEquals(trace, complete.estimate(), 1e-10 * Math.abs(SPECTRUM[0]));
    }

    @Test
    void effectiveParametersSayWhenTheHessianIsIndefinite() {
        double alpha = 0.1;
        EffectiveParameters.Summary s = EffectiveParameters.summary(SPECTRUM, alpha);
        int negative = 0;
        double positive = 0;
        for (double l : SPECTRUM) {
            negative += l < 0 ? 1 : 0;
            positive += l > 0 ? l / (l + alpha) : 0;
        }
        assertEquals(negative, s.negativeEigenvalues(), 0.0);
        assertEquals(positive, s.nEffPositive(), 1e-12);
        assertTrue(s.note().contains("indefinite") && s.note().contains(negative + " of " + D), s.note());
        EffectiveParameters.Summary definite = EffectiveParameters.summary(new double[] {3, 1, 0.01}, alpha);
        assertEquals(0, definite.negativeEigenvalues(), 0.0);
        assertEquals(definite.nEff(), definite.nEffPositive(), 0.0);
        assertTrue(definite.note().contains("no negative eigenvalues"), definite.note());
    }
}
