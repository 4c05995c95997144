package org.driftlab.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.objective.Objective;
import org.driftlab.objective.Quadratic;
import org.driftlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Stationary variances of SGD (Euler–Maruyama with dt = h) and of the Langevin SDE (dt ≪ h) on ½aθ². */
class LangevinTest {
    /** E = Σ ½a_iθ_i²: objective.Quadratic, whose gradient is closed-form (the simulations take millions). */
    static Objective diagonalQuadratic(double... a) {
        return new Quadratic(a, null, null, "diagonal quadratic");
    }

    static double stationaryVariance(LangevinSde sde, double dt, long steps, long burnIn, long seed, int coord) {
        double[] sum = new double[2];
        long[] count = {0};
        new EulerMaruyama(dt, seed).simulate(sde, new double[sde.dim()], steps, 1, (theta, n) -> {
            if (n > burnIn) {
                sum[0] += theta[coord];
                sum[1] += theta[coord] * theta[coord];
                count[0]++;
            }
        });
        double mean = sum[0] / count[0];
        return sum[1] / count[0] - mean * mean;
    }

    @Test
    void sgdHasTheExactDiscreteStationaryVariance() {
        double a = 1.5;
        double s2 = 0.8;
        double h = 0.5; // ha = 0.75: discrete and continuous variances differ by a factor 2/(2 − ha) = 1.6
        LangevinSde sde = new LangevinSde(diagonalQuadratic(a), h, LangevinSde.Noise.isotropic(1, s2));
        double v = stationaryVariance(sde, h, 200_000, 100, 1, 0);
        double discrete = h * s2 / (a * (2 - h * a));
        double continuous = h * s2 / (2 * a);
        // AR(1) with ρ = 1 − ha = 0.25: the sample variance of 200,000 steps has relative standard deviation
        // √(2(1 + ρ²)/(n(1 − ρ²))) ≈ 0.0034, so 5% is 15 standard deviations; the discrete and continuous laws differ by 60%
        assertEquals(discrete, v, 0.05 * discrete, "SGD variance " + v + " vs " + discrete);
        assertEquals(1, Math.abs(v - continuous) / continuous > 0.2 ? 1 : 0, "must be distinguishable");
    }

    @Test
    void langevinSdeHasTheContinuousStationaryVariance() {
        double a = 1.5;
        double s2 = 0.8;
        double h = 0.5;
        double dt = h / 40;
        LangevinSde sde = new LangevinSde(diagonalQuadratic(a), h, LangevinSde.Noise.isotropic(1, s2));
        // Correlation time 1/a ≈ 27 steps of dt; 1.2M steps give about 20k independent samples.
        double v = stationaryVariance(sde, dt, 1_200_000, 2000, 2, 0);
        double continuous = h * s2 / (2 * a);
        // ~20k independent samples: relative standard deviation √(2/20000) = 0.01, so 5% is 5 standard deviations (false
        // alarm 6e-7); Euler–Maruyama's own bias at dt·a = 0.019 is about dt·a/2 ≈ 1%
        assertEquals(continuous, v, 0.05 * continuous, "SDE variance " + v + " vs " + continuous);
    }

    @Test
    void perParameterRatesRestoreOneTemperature() {
        // Σ = diag(σ²) with σ² = (0.5, 4) and rates p_i = 1/σ_i²: Var θ_i = h/(2a_i) for both coordinates.
        double[] a = {1, 2};
        double[] s2 = {0.5, 4};
        double h = 0.2;
        LangevinSde sde = new LangevinSde(diagonalQuadratic(a), h, LangevinSde.Noise.diagonal(s2))
                .withPreconditioner(new double[] {1 / s2[0], 1 / s2[1]});
        double dt = 0.01;
        for (int i = 0; i < 2; i++) {
            double v = stationaryVariance(sde, dt, 600_000, 2000, 3 + i, i);
            double expect = h / (2 * a[i]);
            assertEquals(expect, v, 0.06 * expect, "coordinate " + i);
        }
    }

    @Test
    void fullNoiseIsSampledWithItsCovariance() {
        double[] sigma = {2, 0.6, 0.6, 1};
        LangevinSde.Noise noise = LangevinSde.Noise.full(sigma, 2);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        double[] m = new double[3];
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            double[] x = noise.sample(rng);
            m[0] += x[0] * x[0] / n;
            m[1] += x[0] * x[1] / n;
            m[2] += x[1] * x[1] / n;
        }
        assertEquals(2, m[0], 0.03);
        assertEquals(0.6, m[1], 0.02);
        assertEquals(1, m[2], 0.015);
        assertThrows(IllegalArgumentException.class, () -> LangevinSde.Noise.full(new double[] {1, 2, 2, 1}, 2));
    }
}
