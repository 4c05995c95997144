package org.driftlab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.objective.FunctionObjective;
import org.driftlab.objective.Objective;
import org.driftlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Every first-order rule against its formula, by hand: three steps on the separable bowl E(θ) = ½ Σ_i a_i(θ_i − c_i)²
 * with the rule's state carried from step to step. The gradient a⊙(θ − c) is written out here, and each rule's
 * update is written in a form other than its implementation's recursion (momentum and Adam as explicit weighted
 * sums over past gradients), so a wrong formula (Nesterov turned into heavy ball, Adam without its bias
 * correction, RMSProp dividing by v instead of √v, ε inside the root) changes the third decimal, not the last bit.
 *
 * <p>Tolerance: every expected value is O(1) and goes through a few dozen floating-point operations, each exact
 * to half an ulp (1.1e-16 relative); {@value #TOL} allows some 50 ulps, and the smallest effect of the formula
 * errors named above is larger than 1e-4.
 *
 * <p>The rules are built in one place ({@link #gd} and the methods below it), so a change of how rules are
 * constructed touches only those lines.
 */
class UpdateRuleStepsTest {
    static final double TOL = 1e-14;
    static final double[] A = {2.0, 0.5};
    static final double[] C = {1.0, -1.0};
    static final double[] THETA0 = {0.3, 0.8};

    // ---------------------------------------------------------------- the rules under test, built in one place

    static UpdateRule gd() {
        return new Gd("gd", GradientSource.fullBatch());
    }

    static UpdateRule momentum(double beta) {
        return new Momentum("momentum", GradientSource.fullBatch(), beta, false);
    }

    static UpdateRule nesterov(double beta) {
        return new Momentum("nesterov", GradientSource.fullBatch(), beta, true);
    }

    static UpdateRule rmsprop(double rho, double eps) {
        return new RmsProp(GradientSource.fullBatch(), rho, eps);
    }

    static UpdateRule adam(double beta1, double beta2, double eps) {
        return new Adam(GradientSource.fullBatch(), beta1, beta2, eps);
    }

    static UpdateRule ngd() {
        return new NormalisedGd(GradientSource.fullBatch());
    }

    // ---------------------------------------------------------------- the problem, by hand

    /** E(θ) = ½ Σ_i a_i(θ_i − c_i)², written in autodiff primitives (the rules see only this). */
    static Objective bowl(double[] a, double[] c) {
        Var av = Var.constant(Tensor.vector(a.clone()));
        Var cv = Var.constant(Tensor.vector(c.clone()));
        return new FunctionObjective("bowl", a.length, x -> F.scale(F.sum(F.mul(av, F.square(F.sub(x, cv)))), 0.5));
    }

    static Objective bowl() {
        return bowl(A, C);
    }

    /** ∇E = a⊙(θ − c), by hand. */
    static double[] grad(double[] theta) {
        double[] g = new double[theta.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = A[i] * (theta[i] - C[i]);
        }
        return g;
    }

    static double loss(double[] theta) {
        double e = 0;
        for (int i = 0; i < theta.length; i++) {
            e += 0.5 * A[i] * (theta[i] - C[i]) * (theta[i] - C[i]);
        }
        return e;
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /** Runs three steps of rule from θ0 with rate h, checking each against want(t, θ_t, gradients so far). */
    interface Expected {
        /** θ_{t+1} given θ_t and the gradients g_0..g_t (gs[s] = ∇E(θ_s)). */
        double[] next(int t, double[] theta, double[][] gs);
    }

    static void checkThreeSteps(UpdateRule rule, double h, Expected want) {
        Objective e = bowl();
        double[] theta = THETA0.clone();
        double[] handTheta = THETA0.clone();
        double[][] gs = new double[3][];
        for (int t = 0; t < 3; t++) {
            gs[t] = grad(handTheta);
            double[] expected = want.next(t, handTheta, gs);
            double[] before = theta.clone();
            UpdateRule.Step s = rule.step(e, theta, t, h);
            assertArrayEquals(before, theta, 0.0, rule.name() + ": step must not modify θ");
            assertArrayEquals(expected, s.theta(), TOL, rule.name() + " θ_" + (t + 1));
            assertEquals(loss(handTheta), s.loss(), TOL, rule.name() + ": the step reports E(θ_t)");
            assertArrayEquals(gs[t], s.gradient(), TOL, rule.name() + ": the step reports ∇E(θ_t)");
            assertEquals(h, rule.lastStepRate(h), 0.0, rule.name() + " uses the prescribed rate");
            theta = s.theta();
            handTheta = expected;
        }
    }

    // ---------------------------------------------------------------- the rules

    @Test
    void gdFollowsTheClosedFormOfTheBowl() {
        // θ_t − c = (1 − h a)^t (θ_0 − c) coordinate by coordinate
        double h = 0.3;
        checkThreeSteps(gd(), h, (t, th, gs) -> {
            double[] out = new double[2];
            for (int i = 0; i < 2; i++) {
                out[i] = C[i] + Math.pow(1 - h * A[i], t + 1) * (THETA0[i] - C[i]);
            }
            return out;
        });
    }

    @Test
    void heavyBallStepsAlongTheDiscountedSumOfPastGradients() {
        double beta = 0.9;
        double h = 0.1;
        // v_t = Σ_{s≤t} β^{t−s} g_s and θ_{t+1} = θ_t − h v_t (PyTorch's dampening-free convention)
        checkThreeSteps(momentum(beta), h, (t, th, gs) -> {
            double[] out = th.clone();
            for (int i = 0; i < 2; i++) {
                double v = 0;
                for (int s = 0; s <= t; s++) {
                    v += Math.pow(beta, t - s) * gs[s][i];
                }
                out[i] -= h * v;
            }
            return out;
        });
    }

    @Test
    void nesterovLooksAheadAlongTheVelocity() {
        double beta = 0.9;
        double h = 0.1;
        // θ_{t+1} = θ_t − h(g_t + β v_t): at t = 0 the step is (1 + β)h g_0, twice heavy ball's for β near 1
        checkThreeSteps(nesterov(beta), h, (t, th, gs) -> {
            double[] out = th.clone();
            for (int i = 0; i < 2; i++) {
                double v = 0;
                for (int s = 0; s <= t; s++) {
                    v += Math.pow(beta, t - s) * gs[s][i];
                }
                out[i] -= h * (gs[t][i] + beta * v);
            }
            return out;
        });
        double[] first = nesterov(beta).step(bowl(), THETA0, 0, h).theta();
        double[] g0 = grad(THETA0);
        for (int i = 0; i < 2; i++) {
            assertEquals(THETA0[i] - h * (1 + beta) * g0[i], first[i], TOL, "first Nesterov step");
        }
    }

    @Test
    void rmspropDividesByTheRootOfTheMeanSquare() {
        for (double eps : new double[] {1e-8, 0.1}) { // ε = 0.1 tells √s + ε from √(s + ε)
            double rho = 0.9;
            double h = 0.05;
            // s_t = (1 − ρ) Σ_{s≤t} ρ^{t−s} g_s², θ_{t+1} = θ_t − h g_t / (√s_t + ε)
            checkThreeSteps(rmsprop(rho, eps), h, (t, th, gs) -> {
                double[] out = th.clone();
                for (int i = 0; i < 2; i++) {
                    double s2 = 0;
                    for (int s = 0; s <= t; s++) {
                        s2 += (1 - rho) * Math.pow(rho, t - s) * gs[s][i] * gs[s][i];
                    }
                    out[i] -= h * gs[t][i] / (Math.sqrt(s2) + eps);
                }
                return out;
            });
        }
        // the first step is h·g/(√(1 − ρ)|g| + ε): with ε → 0 a step of h/√(1 − ρ) in each coordinate
        double[] first = rmsprop(0.99, 0).step(bowl(), THETA0, 0, 0.01).theta();
        for (int i = 0; i < 2; i++) {
            assertEquals(0.1, Math.abs(first[i] - THETA0[i]), TOL);
        }
    }

    @Test
    void adamBiasCorrectionMakesItsMomentsWeightedAverages() {
        for (double eps : new double[] {1e-8, 0.1}) {
            double b1 = 0.9;
            double b2 = 0.999;
            double h = 0.01;
            // bias-corrected moments are normalised weighted averages of the past:
            // m̂_t = Σ β₁^{t−s} g_s / Σ β₁^{t−s}, v̂_t = Σ β₂^{t−s} g_s² / Σ β₂^{t−s}, θ_{t+1} = θ_t − h m̂_t/(√v̂_t + ε)
            checkThreeSteps(adam(b1, b2, eps), h, (t, th, gs) -> {
                double[] out = th.clone();
                for (int i = 0; i < 2; i++) {
                    double m = 0;
                    double wm = 0;
                    double v = 0;
                    double wv = 0;
                    for (int s = 0; s <= t; s++) {
                        m += Math.pow(b1, t - s) * gs[s][i];
                        wm += Math.pow(b1, t - s);
                        v += Math.pow(b2, t - s) * gs[s][i] * gs[s][i];
                        wv += Math.pow(b2, t - s);
                    }
                    out[i] -= h * (m / wm) / (Math.sqrt(v / wv) + eps);
                }
                return out;
            });
        }
        // so Adam's first step moves every coordinate by h·|g|/(|g| + ε) ≈ h, whatever the gradient's scale
        double[] first = adam(0.9, 0.999, 0).step(bowl(), THETA0, 0, 0.01).theta();
        double[] g0 = grad(THETA0);
        for (int i = 0; i < 2; i++) {
            assertEquals(THETA0[i] - 0.01 * Math.signum(g0[i]), first[i], TOL);
        }
    }

    @Test
    void adamsBiasCorrectionCountsFromTheStepIndex() {
        // a rule continued at step index t (a resumed run) corrects with 1 − β^(t+1): from zero moments at t = 9 the
        // step is h·(1 − β₁)g/(1 − β₁¹⁰) / (√((1 − β₂)g²/(1 − β₂¹⁰)) + ε)
        double b1 = 0.9;
        double b2 = 0.999;
        double h = 0.01;
        double[] got = adam(b1, b2, 0).step(bowl(), THETA0, 9, h).theta();
        double[] g = grad(THETA0);
        for (int i = 0; i < 2; i++) {
            double m = (1 - b1) * g[i] / (1 - Math.pow(b1, 10));
            double v = (1 - b2) * g[i] * g[i] / (1 - Math.pow(b2, 10));
            assertEquals(THETA0[i] - h * m / Math.sqrt(v), got[i], TOL);
        }
    }

    @Test
    void normalisedGdTakesStepsOfLengthHAgainstTheGradient() {
        double h = 0.2;
        checkThreeSteps(ngd(), h, (t, th, gs) -> {
            double n = norm(gs[t]);
            return new double[] {th[0] - h * gs[t][0] / n, th[1] - h * gs[t][1] / n};
        });
        // at the minimum the gradient vanishes and θ stays
        assertArrayEquals(C, ngd().step(bowl(), C, 0, h).theta(), 0.0);
    }

    @Test
    void aRestoredRuleContinuesTheHandComputedTrajectory() {
        // state after one step, restored into a fresh rule, gives step 2 of the heavy-ball sum above
        double beta = 0.5;
        double h = 0.1;
        UpdateRule first = momentum(beta);
        double[] t1 = first.step(bowl(), THETA0, 0, h).theta();
        UpdateRule second = momentum(beta);
        second.restore(first.state());
        double[] t2 = second.step(bowl(), t1, 1, h).theta();
        double[] g0 = grad(THETA0);
        double[] g1 = grad(t1);
        for (int i = 0; i < 2; i++) {
            assertEquals(t1[i] - h * (g1[i] + beta * g0[i]), t2[i], TOL);
        }
        // a fresh rule's state has no velocity yet; restoring it is a fresh start
        UpdateRule fresh = momentum(beta);
        RuleState empty = fresh.state();
        assertEquals(0, empty.vector(0).length);
        UpdateRule again = momentum(beta);
        again.step(bowl(), THETA0, 0, h);
        again.restore(empty);
        assertArrayEquals(t1, again.step(bowl(), THETA0, 0, h).theta(), 0.0);
        assertTrue(rmsprop(0.9, 1e-8).state().vectors().length == 1 && adam(0.9, 0.9, 1e-8).state().vectors().length == 2);
    }
}
