package org.driftlab.optim;

import static org.driftlab.optim.UpdateRuleStepsTest.A;
import static org.driftlab.optim.UpdateRuleStepsTest.C;
import static org.driftlab.optim.UpdateRuleStepsTest.THETA0;
import static org.driftlab.optim.UpdateRuleStepsTest.TOL;
import static org.driftlab.optim.UpdateRuleStepsTest.bowl;
import static org.driftlab.optim.UpdateRuleStepsTest.loss;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.driftlab.DriftlabException;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.curvature.GradientCovariance;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Network;
import org.driftlab.nn.Networks;
import org.driftlab.objective.FiniteSumObjective;
import org.driftlab.objective.FunctionObjective;
import org.driftlab.objective.NetObjective;
import org.driftlab.objective.Objective;
import org.driftlab.objective.PenalisedObjective;
import org.driftlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Each explicit regulariser on GD against a hand-computed step: the penalty's value (the step reports Ẽ = E + αP)
 * and its gradient, over two or three steps with any state (G-TRACER's G) carried. The problems are chosen so
 * that every penalty has a closed form: the bowl ½Σa_i(θ_i − c_i)² (∇E = a⊙δ, ∇²E∇E = a²⊙δ), a separable quartic
 * Σ(b_i/4)θ_i⁴ (diagonal Hessian 3b⊙θ², so a Hutchinson estimate with Rademacher probes, v_i² = 1, is exact), a
 * three-point finite sum (micro-batches of unequal size) and a linear network (the Fisher penalty). Tolerances
 * as in {@link UpdateRuleStepsTest}: O(1) values after a few dozen roundings.
 */
class RegularizerStepsTest {
    static final double[] B = {1.0, 3.0};

    /** GD on E + α·P, P named as in specs. */
    static Regularized onGd(String name, Double coef, double q, int samples, int microBatch, double beta, double delta) {
        return RegularizedRules.of(new Gd("gd", GradientSource.fullBatch()), name, coef, q, samples, microBatch, beta, delta, 5);
    }

    static Regularized onGd(String name, Double coef, double q) {
        return onGd(name, coef, q, 1, 1, 0.1, 1e-8);
    }

    /** θ_{t+1} and Ẽ(θ_t) by hand. */
    interface Hand {
        double[][] stepAndLoss(int t, double[] theta);
    }

    static void checkSteps(UpdateRule rule, Objective e, double[] theta0, double h, int steps, Hand hand) {
        double[] theta = theta0.clone();
        for (int t = 0; t < steps; t++) {
            double[][] want = hand.stepAndLoss(t, theta);
            UpdateRule.Step s = rule.step(e, theta, t, h);
            assertArrayEquals(want[0], s.theta(), TOL, rule.name() + " θ_" + (t + 1));
            assertEquals(want[1][0], s.loss(), TOL, rule.name() + ": the step reports the penalised loss at θ_" + t);
            theta = s.theta();
        }
    }

    @Test
    void igrWithItsDefaultCoefficientIsGdOnEPlusHOverFourGradientNormSquared() {
        // α = h/4: ∇Ẽ = a⊙δ + (h/2)a²⊙δ, so δ_t = (1 − ha − h²a²/2)^t δ_0, and Ẽ = E + (h/4)‖a⊙δ‖²
        double h = 0.3;
        Regularized rule = onGd("igr", null, 2);
        assertEquals(h / 4, rule.coefficient(h), 0.0);
        checkSteps(rule, bowl(), THETA0, h, 3, (t, th) -> {
            double[] next = new double[2];
            double pen = 0;
            for (int i = 0; i < 2; i++) {
                double d0 = THETA0[i] - C[i];
                next[i] = C[i] + Math.pow(1 - h * A[i] - h * h * A[i] * A[i] / 2, t + 1) * d0;
                pen += Math.pow(A[i] * (th[i] - C[i]), 2);
            }
            return new double[][] {next, {loss(th) + h / 4 * pen}};
        });
        assertEquals("gd+igr", rule.name());
        // a given coefficient overrides h/4
        assertEquals(0.7, onGd("igr", 0.7, 2).coefficient(h), 0.0);
    }

    @Test
    void gradNormPenalisesTheQthPowerOfTheGradientNorm() {
        double h = 0.1;
        double alpha = 0.3;
        for (double q : new double[] {1, 2, 3}) {
            // P = ‖g‖^q with g = a⊙δ, ∇P = q‖g‖^(q−2) a²⊙δ (for q ≠ 2 under the documented floor 1e-30 in ‖g‖², far
            // below the rounding of ‖g‖² ≈ 2.8)
            checkSteps(onGd("grad-norm", alpha, q), bowl(), THETA0, h, 3, (t, th) -> {
                double[] g = UpdateRuleStepsTest.grad(th);
                double n = Math.hypot(g[0], g[1]);
                double[] next = new double[2];
                for (int i = 0; i < 2; i++) {
                    next[i] = th[i] - h * (g[i] + alpha * q * Math.pow(n, q - 2) * A[i] * g[i]);
                }
                return new double[][] {next, {loss(th) + alpha * Math.pow(n, q)}};
            });
        }
    }

    @Test
    void microBatchPenaltyAveragesTheSquaredGradientNormsOfConsecutiveMicroBatches() {
        // three examples f_k = ½Σ_i a_i(θ_i − c_ki)², E their mean; micro-batches of 2: {0, 1} and {2}, so
        // P = ½(‖a⊙(θ − m₀₁)‖² + ‖a⊙(θ − c₂)‖²) with m₀₁ the mean centre of the first two, ∇P = a²⊙(2θ − m₀₁ − c₂)
        double[][] centres = {{1.0, -1.0}, {0.0, 2.0}, {-0.5, 0.5}};
        List<UnaryOperator<Var>> ex = new ArrayList<>();
        for (double[] c : centres) {
            Var av = Var.constant(Tensor.vector(A.clone()));
            Var cv = Var.constant(Tensor.vector(c.clone()));
            ex.add(x -> F.scale(F.sum(F.mul(av, F.square(F.sub(x, cv)))), 0.5));
        }
        Objective e = new FiniteSumObjective("three-points", 2, ex);
        double h = 0.1;
        double alpha = 0.2;
        double[] m01 = {(centres[0][0] + centres[1][0]) / 2, (centres[0][1] + centres[1][1]) / 2};
        checkSteps(onGd("micro-batch", alpha, 2, 1, 2, 0.1, 1e-8), e, THETA0, h, 3, (t, th) -> {
            double[] next = new double[2];
            double lossE = 0;
            double pen = 0;
            for (int i = 0; i < 2; i++) {
                double meanCentre = (centres[0][i] + centres[1][i] + centres[2][i]) / 3;
                double grad = A[i] * (th[i] - meanCentre);
                next[i] = th[i] - h * (grad + alpha * A[i] * A[i] * (2 * th[i] - m01[i] - centres[2][i]));
                for (double[] c : centres) {
                    lossE += 0.5 * A[i] * Math.pow(th[i] - c[i], 2) / 3;
                }
                pen += 0.5 * (Math.pow(A[i] * (th[i] - m01[i]), 2) + Math.pow(A[i] * (th[i] - centres[2][i]), 2));
            }
            return new double[][] {next, {lossE + alpha * pen}};
        });
    }

    /** E = Σ(b_i/4)θ_i⁴: ∇E = b⊙θ³, ∇²E = diag(3b⊙θ²). */
    static Objective quartic() {
        Var bv = Var.constant(Tensor.vector(B.clone()));
        return new FunctionObjective("quartic", 2, x -> F.scale(F.sum(F.mul(bv, F.square(F.square(x)))), 0.25));
    }

    static double quarticLoss(double[] th) {
        return B[0] / 4 * Math.pow(th[0], 4) + B[1] / 4 * Math.pow(th[1], 4);
    }

    @Test
    void hessianTracePenaltyOnADiagonalHessianIsExact() {
        // Rademacher probes give vᵀHv = Σ H_ii exactly when H is diagonal: P = Σ 3b_iθ_i², ∇P = 6b⊙θ
        double h = 0.05;
        double alpha = 0.1;
        double[] t0 = {0.8, -0.6};
        checkSteps(onGd("hessian-trace", alpha, 2, 3, 1, 0.1, 1e-8), quartic(), t0, h, 3, (t, th) -> {
            double[] next = new double[2];
            double pen = 0;
            for (int i = 0; i < 2; i++) {
                next[i] = th[i] - h * (B[i] * Math.pow(th[i], 3) + alpha * 6 * B[i] * th[i]);
                pen += 3 * B[i] * th[i] * th[i];
            }
            return new double[][] {next, {quarticLoss(th) + alpha * pen}};
        });
    }

    @Test
    void gtracerWeightsTheTraceByTheInverseOfAnEmaOfSquaredGradients() {
        // P_t = Σ H_ii/(G_i + δ) = Σ 3b_iθ_i²/(G_i + δ) with G = G_{t−1} held fixed, so ∇P = 6b⊙θ/(G + δ);
        // G_{−1} = g₀⊙g₀ and after each step G_t = (1 − β)G_{t−1} + β g_t⊙g_t, g_t = b⊙θ_t³ the un-penalised gradient
        double h = 0.05;
        double rho = 0.01;
        double beta = 0.3;
        double delta = 1e-3;
        double[] t0 = {0.8, -0.6};
        Regularized rule = onGd("gtracer", rho, 2, 1, 1, beta, delta);
        assertNull(RegularizedRules.fisherDiagonal(rule), "no G before the first step");
        double[] g0 = {B[0] * Math.pow(t0[0], 3), B[1] * Math.pow(t0[1], 3)};
        double[][] fisher = {{g0[0] * g0[0], g0[1] * g0[1]}};
        double[] theta = t0.clone();
        for (int t = 0; t < 3; t++) {
            double[] prev = fisher[0];
            double[] next = new double[2];
            double pen = 0;
            double[] g = new double[2];
            for (int i = 0; i < 2; i++) {
                g[i] = B[i] * Math.pow(theta[i], 3);
                next[i] = theta[i] - h * (g[i] + rho * 6 * B[i] * theta[i] / (prev[i] + delta));
                pen += 3 * B[i] * theta[i] * theta[i] / (prev[i] + delta);
            }
            UpdateRule.Step s = rule.step(quartic(), theta, t, h);
            assertArrayEquals(next, s.theta(), TOL, "θ_" + (t + 1));
            assertEquals(quarticLoss(theta) + rho * pen, s.loss(), TOL);
            fisher[0] = new double[] {(1 - beta) * prev[0] + beta * g[0] * g[0], (1 - beta) * prev[1] + beta * g[1] * g[1]};
            assertArrayEquals(fisher[0], RegularizedRules.fisherDiagonal(rule), TOL, "G_" + t);
            theta = s.theta();
        }
        // G is part of the checkpointed state: a restored rule continues with it
        Regularized copy = onGd("gtracer", rho, 2, 1, 1, beta, delta);
        copy.restore(rule.state());
        assertArrayEquals(RegularizedRules.fisherDiagonal(rule), RegularizedRules.fisherDiagonal(copy), 0.0);
        assertArrayEquals(rule.step(quartic(), theta, 3, h).theta(), copy.step(quartic(), theta, 3, h).theta(), 0.0);
        assertEquals(rule.state(), copy.state());
        Regularized fresh = onGd("gtracer", rho, 2, 1, 1, beta, delta);
        fresh.restore(onGd("gtracer", rho, 2, 1, 1, beta, delta).state());
        assertNull(RegularizedRules.fisherDiagonal(fresh), "an empty G restores as none");
        assertThrows(IllegalArgumentException.class, () -> fresh.restore(new RuleState(new double[0][], new long[0])));
    }

    /**
     * The Fisher penalty ‖∇E(x, ŷ)‖^q on a linear model f(x) = Wx + b, where everything is a matrix product:
     * with x̃ = [x, 1], W̃ = [W | b] and M = Σ x̃x̃ᵀ, the sampled-label gradient is G = (1/N)Σ r_i x̃_iᵀ (r_i = f(x_i) − ŷ_i
     * for MSE, softmax(f(x_i)) − onehot(ŷ_i) for CE) and ∇‖G‖² = (2/N)Σ J_i G x̃_i x̃_iᵀ, J_i = ∂r_i/∂f_i (I for MSE,
     * diag(s_i) − s_i s_iᵀ for CE). ŷ is drawn once, at the first θ the penalty sees, and then held: checked here
     * at that θ and at another.
     */
    @Test
    void fisherPenaltyOnALinearModelMatchesItsMatrixForm() {
        int n = 4;
        int d = 2;
        int k = 2;
        double[] x = {0.5, -1.0, 1.5, 0.2, -0.7, 0.9, 0.1, -0.4};
        int[] y = {0, 1, 1, 0};
        Network net = Networks.parse(Networks.LINEAR, new int[] {d}, k);
        double[] theta = {0.3, -0.2, 0.5, 0.4, 0.1, -0.3}; // W [2, 2] row-major, then b [2]
        double[] other = {-0.1, 0.6, 0.2, -0.5, 0.3, 0.2};
        for (Loss kind : new Loss[] {Loss.MSE, Loss.CE}) {
            Tensor targets = kind == Loss.MSE ? Tensor.of(new double[] {1, 0, 0, 1, 0, 1, 1, 0}, n, k) : null;
            NetObjective e = new NetObjective(net, kind, Tensor.of(x, n, d), kind == Loss.CE ? y : null, targets);
            for (double q : new double[] {1, 2}) {
                long seed = 31;
                PenalisedObjective pen = new PenalisedObjective(e, Regularized.fisher(q, seed), 0.7);
                NetObjective sampled = GradientCovariance.withSampledLabels(e, theta, seed);
                for (double[] at : new double[][] {theta, other}) { // labels drawn at theta, held at other
                    double[][] want = fisherByHand(kind, x, sampled, at, n, d, k, q);
                    String what = kind + " q=" + q;
                    assertEquals(e.value(at) + 0.7 * want[1][0], pen.value(at), TOL, what);
                    double[] ge = e.gradient(at);
                    double[] got = pen.gradient(at);
                    for (int i = 0; i < theta.length; i++) {
                        assertEquals(ge[i] + 0.7 * want[0][i], got[i], TOL, what + " ∇P[" + i + "]");
                    }
                }
            }
        }
        assertThrows(DriftlabException.class, () -> new PenalisedObjective(bowl(), Regularized.fisher(2, 1), 1).value(THETA0));
    }

    /** {∇P, {P}} for P = ‖G‖^q by the matrix form above. */
    static double[][] fisherByHand(Loss kind, double[] x, NetObjective sampled, double[] th, int n, int d, int k, double q) {
        double[][] w = new double[k][d + 1];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                w[c][j] = th[c * d + j];
            }
            w[c][d] = th[k * d + c];
        }
        double[][] xt = new double[n][d + 1];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                xt[i][j] = x[i * d + j];
            }
            xt[i][d] = 1;
        }
        double[][] r = new double[n][k];
        double[][][] jac = new double[n][k][k];
        for (int i = 0; i < n; i++) {
            double[] f = new double[k];
            for (int c = 0; c < k; c++) {
                for (int j = 0; j <= d; j++) {
                    f[c] += w[c][j] * xt[i][j];
                }
            }
            if (kind == Loss.MSE) {
                for (int c = 0; c < k; c++) {
                    r[i][c] = f[c] - sampled.targets().data()[i * k + c];
                    jac[i][c][c] = 1;
                }
            } else {
                double z = 0;
                for (double v : f) {
                    z += Math.exp(v);
                }
                double[] s = new double[k];
                for (int c = 0; c < k; c++) {
                    s[c] = Math.exp(f[c]) / z;
                    r[i][c] = s[c] - (sampled.labels()[i] == c ? 1 : 0);
                }
                for (int a = 0; a < k; a++) {
                    for (int b = 0; b < k; b++) {
                        jac[i][a][b] = (a == b ? s[a] : 0) - s[a] * s[b];
                    }
                }
            }
        }
        double[][] g = new double[k][d + 1]; // G = (1/N) Σ r_i x̃_iᵀ
        double norm2 = 0;
        for (int c = 0; c < k; c++) {
            for (int j = 0; j <= d; j++) {
                for (int i = 0; i < n; i++) {
                    g[c][j] += r[i][c] * xt[i][j] / n;
                }
                norm2 += g[c][j] * g[c][j];
            }
        }
        double[][] dp = new double[k][d + 1]; // ∇‖G‖² = (2/N) Σ_i J_i G x̃_i x̃_iᵀ
        for (int i = 0; i < n; i++) {
            double[] gx = new double[k];
            for (int c = 0; c < k; c++) {
                for (int j = 0; j <= d; j++) {
                    gx[c] += g[c][j] * xt[i][j];
                }
            }
            for (int a = 0; a < k; a++) {
                double jg = 0;
                for (int b = 0; b < k; b++) {
                    jg += jac[i][a][b] * gx[b];
                }
                for (int j = 0; j <= d; j++) {
                    dp[a][j] += 2.0 / n * jg * xt[i][j];
                }
            }
        }
        // ‖G‖^q = (‖G‖²)^(q/2): its gradient is (q/2)(‖G‖²)^(q/2 − 1) ∇‖G‖²
        double chain = q / 2 * Math.pow(norm2, q / 2 - 1);
        double[] grad = new double[th.length];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                grad[c * d + j] = chain * dp[c][j];
            }
            grad[k * d + c] = chain * dp[c][d];
        }
        return new double[][] {grad, {Math.pow(norm2, q / 2)}};
    }

    @Test
    void aRegularisedRuleStepsOnTheStepsPenaltyWithTheInnerRule() {
        // the wrapper hands the inner rule E + αP_t with P_t = penaltyAt(t): checked for a sampled penalty on SGD,
        // whose mini-batch the penalty shares, and DAL keeps reporting its own rate under a penalty
        NetObjective e = DriftRulesTest.tinyNet(Loss.CE, 8, 2);
        double[] theta = DriftRulesTest.theta(e, 3);
        Regularized rule = RegularizedRules.of(new Gd("sgd", new MiniBatches(8, 4, true, 9)), "fisher", 0.2, 2, 1, 1, 0.1, 1e-8, 13);
        MiniBatches mirror = new MiniBatches(8, 4, true, 9);
        for (int t = 0; t < 2; t++) {
            Objective batch = e.onBatch(mirror.nextIndices());
            PenalisedObjective p = new PenalisedObjective(batch, rule.penaltyAt(t), 0.2);
            double[] g = p.gradient(theta);
            double[] want = new double[theta.length];
            for (int i = 0; i < want.length; i++) {
                want[i] = theta[i] - 0.1 * g[i];
            }
            UpdateRule.Step s = rule.step(e, theta, t, 0.1);
            assertArrayEquals(want, s.theta(), 1e-15, "step " + t);
            assertEquals(p.value(theta), s.loss(), 1e-15);
            theta = s.theta();
        }
        Dal inner = new Dal("dal", GradientSource.fullBatch(), 1, 3);
        Regularized dal = RegularizedRules.of(inner, "grad-norm", 0.1, 2, 1, 1, 0.1, 1e-8, 0);
        dal.step(bowl(), THETA0, 0, 99);
        assertEquals(inner.lastRate(), dal.lastStepRate(99), 0.0);
        assertTrue(inner.lastRate() < 3);
        assertEquals("dal+grad-norm", dal.name());
    }
}
