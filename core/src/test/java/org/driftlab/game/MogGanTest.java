package org.driftlab.game;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.driftlab.DriftlabException;
import org.driftlab.autodiff.Autodiff;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The MoG GAN: zero-sum structure, the quality measure, and the interaction-term regulariser against finite differences. */
class MogGanTest {
    @Test
    void saturatingLossIsZeroSumAndBatchesAreDeterministic() {
        MogGan gan = new MogGan("fc-tanh:8", "fc-tanh:8", 3, 16, 8, 2, 0.02, false, 5);
        GameField f = new GameField(gan);
        double[] z = gan.initialParameters(1);
        assertEquals(gan.dimPhi() + gan.dimTheta(), z.length);
        gan.onIteration(3);
        double[] l = f.losses(z);
        assertEquals(-l[0], l[1], 1e-15);
        gan.onIteration(4);
        double[] other = f.losses(z);
        gan.onIteration(3);
        assertArrayEquals(l, f.losses(z), 0);
        assertEquals(true, other[0] != l[0]);
        assertThrows(DriftlabException.class, () -> new MogGan("cnn-relu:4", "fc-relu:8", 2, 8, 8, 2, 0.02, true, 0));
    }

    @Test
    void qualityCountsSamplesWithinThreeSigmaOfAMode() {
        MogGan gan = new MogGan("fc-relu:4", "fc-relu:4", 2, 8, 8, 2, 0.02, true, 0);
        double[] z = new double[gan.dimPhi() + gan.dimTheta()];
        // a generator with zero weights outputs its last bias: put it 2σ from mode 3, then 4σ away
        double[] m3 = gan.mode(3);
        z[z.length - 2] = m3[0] + 0.04;
        z[z.length - 1] = m3[1];
        MogGan.Quality q = gan.quality(z, 500, 1);
        assertEquals(1.0, q.highQualityShare(), 0);
        assertEquals(1, q.modesCovered());
        assertEquals(1.0, q.shareByMode()[3], 0);
        z[z.length - 2] = m3[0] + 0.08;
        MogGan.Quality far = gan.quality(z, 500, 1);
        assertEquals(0.0, far.highQualityShare(), 0);
        assertEquals(0, far.modesCovered());
    }

    @Test
    void cancellingTheInteractionTermSubtractsItsGradient() {
        // φ's interaction term is c·∇_θL_φ·sg(∇_θL_θ); its φ-gradient, checked by central differences of
        // ⟨∇_θL_φ(φ + εu, θ), v⟩ with v = ∇_θL_θ(φ, θ) held fixed
        MogGan gan = new MogGan("fc-tanh:6", "fc-tanh:6", 2, 8, 8, 2, 0.05, true, 2);
        GameField f = new GameField(gan);
        double[] z = gan.initialParameters(4);
        int n = gan.dimPhi();
        int d = z.length;
        DriftCoefficients c = DriftCoefficients.of(Scheme.SIMULTANEOUS, 0.2, 0.2, 1, 1);
        double[] plain = f.gradients(z, Regulariser.none(), null);
        double[] cancelled = f.gradients(z, c.explicit(0, -1, 0, -1), null);
        double[] v = thetaGradient(gan, z, false, n, d);
        SplittableRandom rng = new SplittableRandom(9);
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = rng.nextDouble(-1, 1);
        }
        double eps = 1e-5;
        double[] zp = z.clone();
        double[] zm = z.clone();
        for (int i = 0; i < n; i++) {
            zp[i] += eps * u[i];
            zm[i] -= eps * u[i];
        }
        double fd = (dot(thetaGradient(gan, zp, true, n, d), v) - dot(thetaGradient(gan, zm, true, n, d), v)) / (2 * eps);
        double got = 0;
        for (int i = 0; i < n; i++) {
            got += (cancelled[i] - plain[i]) * u[i];
        }
        // central difference of a gradient at ε = 1e-5: ε²/6·|∂³| + u·|∇|/ε ≈ 1e-10 relative for these O(1) networks
        assertEquals(-c.interPhi() * fd, got, 1e-6 * Math.abs(fd) + 1e-10);
    }

    /** ∇_θL_φ (ofPhiLoss) or ∇_θL_θ at z. */
    private static double[] thetaGradient(MogGan gan, double[] z, boolean ofPhiLoss, int n, int d) {
        Var zv = Var.param(Tensor.vector(z.clone()));
        Var phi = F.slice(zv, 0, 0, n);
        Var theta = F.slice(zv, 0, n, d);
        Var loss = ofPhiLoss ? gan.lossPhi(phi, theta) : gan.lossTheta(phi, theta);
        double[] g = Autodiff.grad(loss, zv, false).value().data();
        double[] out = new double[d - n];
        System.arraycopy(g, n, out, 0, d - n);
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
