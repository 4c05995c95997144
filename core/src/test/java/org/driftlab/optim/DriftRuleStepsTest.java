package org.driftlab.optim;

import static org.driftlab.optim.UpdateRuleStepsTest.A;
import static org.driftlab.optim.UpdateRuleStepsTest.C;
import static org.driftlab.optim.UpdateRuleStepsTest.THETA0;
import static org.driftlab.optim.UpdateRuleStepsTest.TOL;
import static org.driftlab.optim.UpdateRuleStepsTest.bowl;
import static org.driftlab.optim.UpdateRuleStepsTest.grad;
import static org.driftlab.optim.UpdateRuleStepsTest.loss;
import static org.driftlab.optim.UpdateRuleStepsTest.norm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.objective.FunctionObjective;
import org.driftlab.objective.Objective;
import org.driftlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * DAL and DAL-p, SAM and ASAM, and SGLD against hand-computed steps on the bowl of {@link UpdateRuleStepsTest}
 * (E = ½ Σ a_i(θ_i − c_i)², so ∇E = a⊙δ and ∇²E∇E = a²⊙δ with δ = θ − c), three steps each, and SGLD's noise
 * against N(0, 2hT·I) by statistical tests. Tolerances as in {@link UpdateRuleStepsTest}.
 */
class DriftRuleStepsTest {
    static Dal dal(double p, double maxRate) {
        return new Dal(p == 1 ? "dal" : "dal-p", GradientSource.fullBatch(), p, maxRate);
    }

    static Sam sam(double rho) {
        return new Sam("sam", GradientSource.fullBatch(), rho, false, 0);
    }

    static Sam asam(double rho, double eta) {
        return new Sam("asam", GradientSource.fullBatch(), rho, true, eta);
    }

    static Sgld sgld(double temperature, long seed) {
        return new Sgld(GradientSource.fullBatch(), temperature, seed);
    }

    /** ζ = ‖∇²E g‖/‖g‖ on the bowl: √(Σ a⁴δ²/Σ a²δ²). */
    static double zeta(double[] theta) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < theta.length; i++) {
            double d = theta[i] - C[i];
            num += Math.pow(A[i], 4) * d * d;
            den += A[i] * A[i] * d * d;
        }
        return Math.sqrt(num / den);
    }

    @Test
    void dalStepsWithTwoOverZetaToThePAndIgnoresTheStaticRate() {
        for (double p : new double[] {1, 0.5, 2}) {
            for (double cap : new double[] {5, 0.6}) {
                Dal rule = dal(p, cap);
                assertTrue(Double.isNaN(rule.lastRate()) && Double.isNaN(rule.lastZeta()), "nothing before the first step");
                double[] theta = THETA0.clone();
                for (int t = 0; t < 3; t++) {
                    double z = zeta(theta);
                    // ζ lies between the curvatures 0.5 and 2, so 2/ζ^p is in [2^(1−p), 2·2^p]: the cap 0.6 binds for p ≤ 1
                    double rate = Math.min(2 / Math.pow(z, p), cap);
                    double[] g = grad(theta);
                    UpdateRule.Step s = rule.step(bowl(), theta, t, 1e6);
                    String what = rule + " step " + t;
                    assertEquals(z, rule.lastZeta(), TOL, what);
                    assertEquals(rate, rule.lastRate(), TOL, what);
                    assertEquals(rate, rule.lastStepRate(1e6), TOL, what + ": the run's clock advances by DAL's own rate");
                    assertArrayEquals(new double[] {theta[0] - rate * g[0], theta[1] - rate * g[1]}, s.theta(), TOL, what);
                    assertEquals(loss(theta), s.loss(), TOL, what);
                    assertArrayEquals(g, s.gradient(), TOL, what);
                    theta = s.theta();
                }
            }
        }
        // p = 0 needs no ζ: the rate is min(2, h_max)
        Dal zero = dal(0, 5);
        double[] g = grad(THETA0);
        assertArrayEquals(new double[] {THETA0[0] - 2 * g[0], THETA0[1] - 2 * g[1]}, zero.step(bowl(), THETA0, 0, 1).theta(), TOL);
        assertTrue(Double.isNaN(zero.lastZeta()));
        assertEquals(2.0, zero.lastRate(), 0.0);
    }

    @Test
    void dalRateFunctionAndItsEdges() {
        assertEquals(0.5, Dal.rate(4, 1, 5), 0.0);
        assertEquals(0.125, Dal.rate(4, 2, 5), 0.0);
        assertEquals(1.0, Dal.rate(4, 0.5, 5), 0.0);
        assertEquals(2.0, Dal.rate(1, 1, 2.5), 0.0, "2/ζ below the cap");
        assertEquals(2.5, Dal.rate(0.5, 1, 2.5), 0.0, "the cap binds");
        assertEquals(5.0, Dal.rate(0, 1, 5), 0.0, "ζ = 0: h_max");
        assertEquals(5.0, Dal.rate(Double.NaN, 1, 5), 0.0, "ζ undefined at g = 0: h_max");
        assertEquals(2.0, Dal.rate(Double.NaN, 0, 5), 0.0, "p = 0: 2 whatever ζ");
        assertEquals(1.5, Dal.rate(7, 0, 1.5), 0.0);
        // at the minimum g = 0: ζ is undefined, θ does not move
        Dal rule = dal(1, 5);
        assertArrayEquals(C, rule.step(bowl(), C, 0, 1).theta(), 0.0);
        assertTrue(Double.isNaN(rule.lastZeta()));
        assertThrows(IllegalArgumentException.class, () -> dal(-0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> dal(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> dal(1, 0));
        assertThrows(IllegalArgumentException.class, () -> dal(1, Double.NaN));
        assertEquals("dal-p(p=0.5, h_max=2.0)", dal(0.5, 2).toString());
        assertEquals("dal", dal(1, 2).name());
    }

    @Test
    void samDescendsWithTheGradientAtTheAscentPoint() {
        double rho = 0.05;
        double h = 0.1;
        Sam rule = sam(rho);
        double[] theta = THETA0.clone();
        for (int t = 0; t < 3; t++) {
            // ε = ρ g/(‖g‖ + 1e-12) (davda54's guard against g = 0, documented), θ' = θ − h ∇E(θ + ε) = θ − h a⊙(θ + ε − c)
            double[] g = grad(theta);
            double n = norm(g) + 1e-12;
            double[] shifted = {theta[0] + rho * g[0] / n, theta[1] + rho * g[1] / n};
            double[] gs = grad(shifted);
            assertArrayEquals(new double[] {rho * g[0] / n, rho * g[1] / n}, rule.perturbation(theta, g), TOL);
            UpdateRule.Step s = rule.step(bowl(), theta, t, h);
            assertArrayEquals(new double[] {theta[0] - h * gs[0], theta[1] - h * gs[1]}, s.theta(), TOL, "SAM step " + t);
            assertEquals(loss(theta), s.loss(), TOL, "the step reports E at θ_t, not at the ascent point");
            assertArrayEquals(gs, s.gradient(), TOL, "the gradient the step used is the one at θ + ε");
            theta = s.theta();
        }
        // ‖ε‖ = ρ whatever the gradient's scale; at g = 0 there is no ascent direction and ε = 0
        double[] e = rule.perturbation(THETA0, new double[] {300, -400});
        assertEquals(rho, norm(e), TOL);
        assertArrayEquals(new double[] {0, 0}, rule.perturbation(THETA0, new double[] {0, 0}), 0.0);
    }

    @Test
    void asamRescalesTheAscentByTheParameterMagnitudes() {
        double rho = 0.3;
        double eta = 0.01;
        double h = 0.1;
        Sam rule = asam(rho, eta);
        double[] theta = THETA0.clone();
        for (int t = 0; t < 3; t++) {
            // T = |θ| + η; ε = ρ T²g/‖Tg‖ (the ascent of radius ρ in the coordinates θ/T)
            double[] g = grad(theta);
            double[] tw = {Math.abs(theta[0]) + eta, Math.abs(theta[1]) + eta};
            double n = Math.hypot(tw[0] * g[0], tw[1] * g[1]) + 1e-12;
            double[] eps = {rho * tw[0] * tw[0] * g[0] / n, rho * tw[1] * tw[1] * g[1] / n};
            // ‖ε/T‖ = ρ: the radius is measured in the rescaled coordinates (up to the guard, 1e-12 relative)
            assertEquals(rho, Math.hypot(eps[0] / tw[0], eps[1] / tw[1]), 1e-11);
            assertArrayEquals(eps, rule.perturbation(theta, g), TOL);
            double[] gs = grad(new double[] {theta[0] + eps[0], theta[1] + eps[1]});
            UpdateRule.Step s = rule.step(bowl(), theta, t, h);
            assertArrayEquals(new double[] {theta[0] - h * gs[0], theta[1] - h * gs[1]}, s.theta(), TOL, "ASAM step " + t);
            theta = s.theta();
        }
        // with η = 0 a parameter at exactly zero is never perturbed
        double[] e = asam(rho, 0).perturbation(new double[] {0, 2}, new double[] {5, 1});
        assertEquals(0.0, e[0], 0.0);
        assertEquals(rho * 2, e[1], 1e-11); // T = 2, g = 1: ε = ρ·4/(2 + 1e-12)
        assertThrows(IllegalArgumentException.class, () -> sam(0));
        assertThrows(IllegalArgumentException.class, () -> sam(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> asam(0.1, -1e-3));
        assertEquals("sam(rho=0.05)", sam(0.05).toString());
        assertEquals("asam(rho=0.3, eta=0.01)", asam(0.3, 0.01).toString());
        assertEquals("asam", asam(0.3, 0.01).name());
    }

    /**
     * SGLD's increment θ' − (θ − h∇E) is N(0, 2hT·I), independent across coordinates and steps. From one θ, steps
     * t = 0..n−1 in D = 50 coordinates give N = 20,000 draws ξ. Four statistics, each tested at a two-sided
     * false-alarm rate of 1e-6 (|z| &lt; 4.89), so a correct rule fails for a fresh seed with probability below 4e-6:
     * the mean (z = x̄√N/σ), the variance (s²/σ² − 1 has standard deviation √(2/(N − 1)) for a normal sample; a
     * temperature off by a factor 2, or √(hT) in place of √(2hT), is 50 standard deviations away), the excess
     * kurtosis (standard deviation √(24/N); uniform noise of the right variance has −1.2, 35 standard deviations
     * away) and the correlation of a coordinate's draws at consecutive steps (standard deviation 1/√N').
     */
    @Test
    void sgldNoiseHasVarianceTwoHTAndIsIndependentAcrossSteps() {
        int d = 50;
        int steps = 400;
        double h = 0.01;
        double temp = 2.0;
        double sigma = Math.sqrt(2 * h * temp);
        // E = ½‖θ‖²: the drift part of the step is −hθ
        Objective e = new FunctionObjective("half-norm", d, x -> F.scale(F.sum(F.square(x)), 0.5));
        double[] theta = new double[d];
        for (int i = 0; i < d; i++) {
            theta[i] = 0.5 - 0.01 * i;
        }
        Sgld rule = sgld(temp, 1234);
        double[][] xi = new double[steps][d];
        for (int t = 0; t < steps; t++) {
            double[] next = rule.step(e, theta, t, h).theta();
            for (int i = 0; i < d; i++) {
                xi[t][i] = (next[i] - (theta[i] - h * theta[i])) / sigma;
            }
        }
        int n = steps * d;
        double mean = 0;
        for (double[] row : xi) {
            for (double x : row) {
                mean += x / n;
            }
        }
        double m2 = 0;
        double m4 = 0;
        for (double[] row : xi) {
            for (double x : row) {
                m2 += (x - mean) * (x - mean) / n;
                m4 += Math.pow(x - mean, 4) / n;
            }
        }
        double z = 4.89;
        assertEquals(0, mean * Math.sqrt(n), z, "mean of the noise");
        assertEquals(0, (m2 * n / (n - 1) - 1) / Math.sqrt(2.0 / (n - 1)), z, "variance 2hT: got " + m2 * sigma * sigma);
        assertEquals(0, (m4 / (m2 * m2) - 3) / Math.sqrt(24.0 / n), z, "excess kurtosis of a normal law");
        double lag = 0;
        int pairs = (steps - 1) * d;
        for (int t = 0; t + 1 < steps; t++) {
            for (int i = 0; i < d; i++) {
                lag += (xi[t][i] - mean) * (xi[t + 1][i] - mean) / pairs;
            }
        }
        assertEquals(0, lag / m2 * Math.sqrt(pairs), z, "steps draw independent noise");
    }

    @Test
    void sgldNoiseIsAFunctionOfSeedAndStepOnly() {
        Objective e = bowl();
        double[] a = sgld(0.5, 7).step(e, THETA0, 3, 0.1).theta();
        Sgld other = sgld(0.5, 7);
        other.step(e, THETA0, 0, 0.1); // whatever came before
        assertArrayEquals(a, other.step(e, THETA0, 3, 0.1).theta(), 0.0, "step 3's draw depends on (seed, 3) alone");
        assertFalse(a[0] == sgld(0.5, 8).step(e, THETA0, 3, 0.1).theta()[0], "another seed draws otherwise");
        assertFalse(a[0] == sgld(0.5, 7).step(e, THETA0, 4, 0.1).theta()[0], "another step draws otherwise");
        // T = 0 is plain GD, the loss and gradient are those at θ_t
        UpdateRule.Step cold = sgld(0, 7).step(e, THETA0, 0, 0.1);
        double[] g = grad(THETA0);
        assertArrayEquals(new double[] {THETA0[0] - 0.1 * g[0], THETA0[1] - 0.1 * g[1]}, cold.theta(), TOL);
        assertEquals(loss(THETA0), cold.loss(), TOL);
        assertArrayEquals(g, cold.gradient(), TOL);
        assertThrows(IllegalArgumentException.class, () -> sgld(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> sgld(Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> sgld(Double.POSITIVE_INFINITY, 0));
        assertEquals("sgld", sgld(1, 0).name());
        assertEquals("sgld(T=0.5)", sgld(0.5, 0).toString());
        RuleState s = sgld(1, 0).state();
        assertEquals(0, s.vectors().length);
        assertEquals(0, s.counters().length);
    }

    /** The stateless rules keep only their sampler's counters, so a restore moves the sampler. */
    @Test
    void stateOfTheBufferlessRulesIsTheirSampler() {
        double[] t0 = {0.2};
        java.util.List<java.util.function.UnaryOperator<Var>> ex = new java.util.ArrayList<>();
        for (int k = 0; k < 4; k++) {
            double c = k;
            ex.add(x -> F.scale(F.sum(F.square(F.addScalar(x, -c))), 0.5));
        }
        Objective e = new org.driftlab.objective.FiniteSumObjective("points", 1, ex);
        java.util.List<java.util.function.Supplier<UpdateRule>> makers = java.util.List.of(
                () -> new Dal("dal", new MiniBatches(4, 1, true, 3), 1, 0.5),
                () -> new Sam("sam", new MiniBatches(4, 1, true, 3), 0.1, false, 0),
                () -> new Sgld(new MiniBatches(4, 1, true, 3), 0.1, 3));
        for (var make : makers) {
            UpdateRule a = make.get();
            a.step(e, t0, 0, 0.1);
            a.step(e, t0, 1, 0.1);
            UpdateRule b = make.get();
            b.restore(a.state());
            assertEquals(a.state(), b.state());
            assertArrayEquals(a.step(e, t0, 2, 0.1).theta(), b.step(e, t0, 2, 0.1).theta(), 0.0, a.name());
            assertArrayEquals(new long[] {0, 3}, a.state().counters(), a.name());
        }
    }
}
