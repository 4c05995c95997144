package org.driftlab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.driftlab.DriftlabException;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.curvature.GradientCovariance;
import org.driftlab.data.Synthetic;
import org.driftlab.nn.Init;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Networks;
import org.driftlab.objective.FiniteSumObjective;
import org.driftlab.objective.FunctionObjective;
import org.driftlab.objective.NetObjective;
import org.driftlab.objective.Objective;
import org.driftlab.objective.PenalisedObjective;
import org.driftlab.objective.Penalty;
import org.driftlab.objective.Quadratic;
import org.driftlab.objective.ToyObjectives;
import org.driftlab.tensor.Tensor;
import org.driftlab.testing.FiniteDifferences;
import org.junit.jupiter.api.Test;

/**
 * DAL, SAM/ASAM, SGLD and the regularised rule against hand computations, finite differences and resumes.
 * Tolerances of 1e-12 to 1e-15 are rounding: O(1) quantities after a handful of operations, or after a product with
 * a random rotation (DAL's ζ = 10 to 1e-12, i.e. 1e-13 relative); the finite-difference and statistical bands are
 * explained where they are used.
 */
class DriftRulesTest {
    static NetObjective tinyNet(Loss loss, int n, long seed) {
        return NetObjective.of(Networks.parse("fc-tanh:4", new int[] {3}, 3), loss, Synthetic.blobs(n, 3, 3, 0.7, seed));
    }

    static double[] theta(NetObjective o, long seed) {
        return o.network().initialize(Init.PYTORCH, seed);
    }

    static void assertClose(double[] want, double[] got, double tol, String what) {
        double scale = 1;
        for (double w : want) {
            scale = Math.max(scale, Math.abs(w));
        }
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol * scale, what + " [" + i + "]");
        }
    }

    /** E = ½θᵀAθ with A = Q diag(λ) Qᵀ for a random rotation Q. */
    static Quadratic rotated(double... eigs) {
        return new Quadratic(eigs, Quadratic.randomOrthogonal(eigs.length, 4), null, "q");
    }

    static double[] column(Quadratic q, int j) {
        int d = q.dim();
        double[] u = new double[d];
        for (int i = 0; i < d; i++) {
            u[i] = q.basis().data()[i * d + j];
        }
        return u;
    }

    @Test
    void dalTakesTwoOverLambdaAlongTheTopDirection() {
        Quadratic q = rotated(10, 4, 1);
        double[] u1 = column(q, 0);
        double[] t = new double[3];
        for (int i = 0; i < 3; i++) {
            t[i] = 0.7 * u1[i];
        }
        Dal dal = new Dal("dal", GradientSource.fullBatch(), 1, 5);
        UpdateRule.Step s = dal.step(q, t, 0, 123.0); // the static h is ignored
        assertEquals(10, dal.lastZeta(), 1e-12);
        assertEquals(0.2, dal.lastRate(), 1e-13);
        // h = 2/λ₁ sends the top coordinate c to (1 − 2)c = −c: GD sits exactly at the edge of stability
        for (int i = 0; i < 3; i++) {
            assertEquals(-t[i], s.theta()[i], 1e-13);
        }
        // off an eigenvector ζ = ‖Hg‖/‖g‖ lies between λ_min and λ_max; the cap binds when ζ is small
        Dal capped = new Dal("dal", GradientSource.fullBatch(), 1, 0.05);
        capped.step(q, new double[] {0.3, -0.2, 0.5}, 0, 1);
        assertEquals(0.05, capped.lastRate(), 0);
        Dal p2 = new Dal("dal-p", GradientSource.fullBatch(), 2, 5);
        p2.step(q, t, 0, 1);
        assertEquals(2 / 100.0, p2.lastRate(), 1e-14);
    }

    @Test
    void dalWithPZeroIsGdWithTheCappedRate() {
        Objective e = ToyObjectives.rosenbrock(3, 1, 10);
        double[] a = {0.1, 0.2, -0.3};
        double[] b = a.clone();
        Dal dal = new Dal("dal-p", GradientSource.fullBatch(), 0, 0.01);
        Gd gd = new Gd("gd", GradientSource.fullBatch());
        for (int t = 0; t < 20; t++) {
            a = dal.step(e, a, t, 999).theta();
            b = gd.step(e, b, t, 0.01).theta();
        }
        assertArrayEquals(b, a, 0.0);
        Dal uncapped = new Dal("dal-p", GradientSource.fullBatch(), 0, 5);
        uncapped.step(e, a, 0, 1);
        assertEquals(2.0, uncapped.lastRate(), 0, "p = 0 gives h = min(2, h_max)");
    }

    @Test
    void samStepMatchesAHandComputationOnAQuadratic() {
        Quadratic q = new Quadratic(new double[] {3, 1}, null, null, "diag");
        double[] t = {1.0, -2.0};
        double h = 0.1;
        double rho = 0.05;
        // g = Aθ = (3, −2); ε = ρg/‖g‖; θ' = θ − h·A(θ + ε)
        double n = Math.sqrt(13);
        double[] eps = {rho * 3 / n, rho * -2 / n};
        double[] want = {1.0 - h * 3 * (1.0 + eps[0]), -2.0 - h * 1 * (-2.0 + eps[1])};
        UpdateRule.Step s = new Sam("sam", GradientSource.fullBatch(), rho, false, 0).step(q, t, 0, h);
        assertArrayEquals(want, s.theta(), 1e-13);
        // ASAM: T = |θ| = (1, 2), T g = (3, −4), ε = ρ T² g/‖T g‖ = ρ (3, −8)/5
        double r2 = 0.5;
        double[] ea = {r2 * 3 / 5, r2 * -8 / 5};
        double[] wantA = {1.0 - h * 3 * (1.0 + ea[0]), -2.0 - h * (-2.0 + ea[1])};
        assertArrayEquals(wantA, new Sam("asam", GradientSource.fullBatch(), r2, true, 0).step(q, t, 0, h).theta(), 1e-13);
    }

    @Test
    void samTakesBothGradientsOnTheSameMiniBatch() {
        List<UnaryOperator<Var>> ex = new ArrayList<>();
        double[] centres = {1.0, -3.0, 0.5};
        double[] curv = {2.0, 5.0, 1.0};
        for (int k = 0; k < 3; k++) {
            double c = centres[k];
            double a = curv[k];
            ex.add(x -> F.scale(F.sum(F.square(F.square(F.addScalar(x, -c)))), a / 4)); // (a/4)(x − c)⁴
        }
        FiniteSumObjective e = new FiniteSumObjective("quartic-sum", 1, ex);
        MiniBatches order = new MiniBatches(3, 1, true, 8);
        Sam sam = new Sam("sam", new MiniBatches(3, 1, true, 8), 0.1, false, 0);
        double x = 0.2;
        for (int t = 0; t < 6; t++) {
            int k = order.nextIndices()[0];
            double g = curv[k] * Math.pow(x - centres[k], 3);
            double xe = x + 0.1 * Math.signum(g);
            double want = x - 0.01 * curv[k] * Math.pow(xe - centres[k], 3);
            x = sam.step(e, new double[] {x}, t, 0.01).theta()[0];
            assertEquals(want, x, 1e-13 * Math.max(1, Math.abs(want)), "step " + t);
        }
    }

    @Test
    void sgldAtZeroTemperatureIsGdAndItsStationaryVarianceIsTheDiscreteFormula() {
        Objective e = ToyObjectives.rosenbrock(2, 1, 5);
        double[] a = {0.3, 0.1};
        double[] b = a.clone();
        Sgld cold = new Sgld(GradientSource.fullBatch(), 0, 1);
        Gd gd = new Gd("gd", GradientSource.fullBatch());
        for (int t = 0; t < 10; t++) {
            a = cold.step(e, a, t, 0.01).theta();
            b = gd.step(e, b, t, 0.01).theta();
        }
        assertArrayEquals(b, a, 0.0);
        // E = ½aθ²: θ' = (1 − ha)θ + √(2hT)ξ has Var∞ = 2hT/(1 − (1 − ha)²) = 2T/(a(2 − ha)), exact for any h
        double curvature = 2.0;
        double h = 0.25;
        double temp = 0.3;
        Objective quad = new FunctionObjective("half-a-x2", 1, x -> F.scale(F.sum(F.square(x)), curvature / 2));
        Sgld sgld = new Sgld(GradientSource.fullBatch(), temp, 42);
        double[] x = {0};
        int burn = 200;
        int steps = 40000;
        double sum = 0;
        double sq = 0;
        for (int t = 0; t < burn + steps; t++) {
            x = sgld.step(quad, x, t, h).theta();
            if (t >= burn) {
                sum += x[0];
                sq += x[0] * x[0];
            }
        }
        double var = sq / steps - (sum / steps) * (sum / steps);
        double want = 2 * temp / (curvature * (2 - h * curvature));
        // the iterates are AR(1) with ρ = 1 − ha = 0.5 (the 200 burn-in steps leave ρ^200 of the start): the sample
        // variance of n = 40,000 of them has relative standard deviation √(2(1 + ρ²)/(n(1 − ρ²))) = 0.0091, so 5% is
        // 5.5 standard deviations (false-alarm rate 4e-8; the seed is fixed)
        assertEquals(want, var, 0.05 * want, "stationary variance");
    }

    /** Each penalty's gradient equals finite differences of the penalised loss with the step's draw fixed. */
    @Test
    void everyRegularizerGradientMatchesFiniteDifferences() {
        for (Loss loss : List.of(Loss.CE, Loss.MSE)) {
            NetObjective e = tinyNet(loss, 6, 2);
            double[] t = theta(e, 3);
            for (String name : RegularizedRules.NAMES) {
                Regularized rule = RegularizedRules.of(new Gd("gd", GradientSource.fullBatch()), name,
                        name.equals("igr") ? null : 0.3, name.equals("fisher") ? 1 : 2, 2, 4, 0.1, 1e-3, 7);
                PenalisedObjective p = new PenalisedObjective(e, rule.penaltyAt(5), rule.coefficient(0.4));
                // central differences with ε = 1e-5: truncation ε²/6·|∂³Ẽ| plus rounding u·|Ẽ|/ε ≈ 2e-11, so ≲ 1e-9 for
                // these O(1) losses (measured ≤ 2e-10); G-TRACER weights the Hessian by 1/(G + δ), up to 1/δ = 1e3,
                // and its truncation term with it (measured 4e-8)
                double tol = name.equals("gtracer") ? 2e-7 : 2e-9;
                assertClose(FiniteDifferences.gradient(p::value, t, 1e-5), p.gradient(t), tol, name + " " + loss);
                // the same draw on every evaluation, a different one on another step
                assertEquals(p.value(t), p.value(t), 0.0, name);
                if (name.equals("fisher") || name.equals("hessian-trace")) {
                    PenalisedObjective other = new PenalisedObjective(e, rule.penaltyAt(6), 0.3);
                    assertNotEquals(p.value(t), other.value(t), name + ": step 6 draws afresh");
                }
            }
        }
    }

    @Test
    void igrRegularizerStepIsGdOnTheIgrModifiedLoss() {
        NetObjective e = tinyNet(Loss.CE, 6, 4);
        double[] t = theta(e, 1);
        double h = 0.3;
        Regularized rule = RegularizedRules.of(new Gd("gd", GradientSource.fullBatch()), "igr", null, 2, 1, 1, 0.1, 1e-8, 0);
        double[] g = e.gradient(t);
        double[] hg = e.hvp(t, g);
        double[] got = rule.step(e, t, 0, h).theta();
        for (int i = 0; i < t.length; i++) {
            assertEquals(t[i] - h * (g[i] + h / 2 * hg[i]), got[i], 1e-12);
        }
    }

    /** ‖∇E(x, ŷ)‖ with ŷ from withSampledLabels; E_ŷ of the squared norm is Tr F/B (per-example gradients have mean 0). */
    @Test
    void fisherPenaltyOnATinyClassifier() {
        NetObjective e = tinyNet(Loss.CE, 4, 6);
        double[] t = theta(e, 2);
        long seed = 99;
        Penalty p = Regularized.fisher(1, seed);
        PenalisedObjective po = new PenalisedObjective(e, p, 1);
        double[] gs = GradientCovariance.withSampledLabels(e, t, seed).gradient(t);
        double norm = 0;
        for (double v : gs) {
            norm += v * v;
        }
        assertEquals(Math.sqrt(norm), po.penaltyValue(t), 1e-12);
        // exact Tr F = (1/N)Σ_i Σ_c p_c(x_i)‖∇ℓ(x_i, c)‖², by enumerating the classes
        Tensor out = e.outputs(t);
        double traceF = 0;
        for (int i = 0; i < 4; i++) {
            double[] f = {out.data()[3 * i], out.data()[3 * i + 1], out.data()[3 * i + 2]};
            double z = Math.exp(f[0]) + Math.exp(f[1]) + Math.exp(f[2]);
            for (int c = 0; c < 3; c++) {
                NetObjective one = new NetObjective(e.network(), Loss.CE,
                        org.driftlab.tensor.Layout.slice(e.inputs(), 0, i, i + 1), new int[] {c}, null);
                double[] gi = one.gradient(t);
                double s = 0;
                for (double v : gi) {
                    s += v * v;
                }
                traceF += Math.exp(f[c]) / z * s / 4;
            }
        }
        int samples = 3000;
        double mean = 0;
        double meanSq = 0;
        for (int s = 0; s < samples; s++) {
            double v = new PenalisedObjective(e, Regularized.fisher(2, 1000 + s), 1).penaltyValue(t);
            mean += v / samples;
            meanSq += v * v / samples;
        }
        double se = Math.sqrt((meanSq - mean * mean) / samples);
        // 3000 independent label draws: the mean is within 4 standard errors with probability 1 − 6e-5
        assertEquals(traceF / 4, mean, 4 * se, "E‖∇E(x, ŷ)‖² = Tr F / B");
        assertThrows(DriftlabException.class, () -> new PenalisedObjective(ToyObjectives.rosenbrock(2, 1, 1),
                Regularized.fisher(1, 0), 1).value(new double[] {0, 0}));
    }

    @Test
    void gtracerKeepsAnEmaOfTheSquaredBatchGradient() {
        NetObjective e = tinyNet(Loss.CE, 8, 3);
        double[] t = theta(e, 4);
        double beta = 0.2;
        Regularized rule = RegularizedRules.of(new Gd("sgd", new MiniBatches(8, 4, true, 5)), "gtracer", 1e-3, 2, 1, 1, beta, 1e-4, 11);
        MiniBatches mirror = new MiniBatches(8, 4, true, 5);
        double[] g0 = e.onBatch(mirror.nextIndices()).gradient(t);
        double[] t1 = rule.step(e, t, 0, 0.1).theta();
        double[] g1 = e.onBatch(mirror.nextIndices()).gradient(t1);
        rule.step(e, t1, 1, 0.1);
        double[] got = RegularizedRules.fisherDiagonal(rule);
        for (int i = 0; i < g0.length; i++) {
            double want = (1 - beta) * g0[i] * g0[i] + beta * g1[i] * g1[i]; // G_{-1} = G_0 = g0⊙g0
            assertEquals(want, got[i], 1e-15 + 1e-12 * want);
        }
    }

    @Test
    void randomBatchesAreIidUniformAndResumable() {
        RandomBatches a = new RandomBatches(5, 3, 17);
        int[] counts = new int[5];
        int[][] first = new int[4][];
        for (int t = 0; t < 20000; t++) {
            int[] idx = a.nextIndices();
            if (t < 4) {
                first[t] = idx;
            }
            for (int i : idx) {
                counts[i]++;
            }
        }
        for (int c : counts) {
            // 60,000 draws, each index Binomial(60000, 1/5): 5 standard deviations, false-alarm rate 6e-7 per index
            assertEquals(12000, c, 5 * Math.sqrt(60000 * 0.2 * 0.8), "uniform draws");
        }
        RandomBatches b = new RandomBatches(5, 3, 17);
        b.nextIndices();
        RandomBatches c = new RandomBatches(5, 3, 17);
        c.restore(b.state());
        for (int t = 1; t < 4; t++) {
            assertArrayEquals(first[t], c.nextIndices());
        }
        boolean repeats = false;
        for (int[] idx : first) {
            repeats |= idx[0] == idx[1] || idx[1] == idx[2] || idx[0] == idx[2];
        }
        for (int t = 0; t < 50 && !repeats; t++) {
            int[] idx = b.nextIndices();
            repeats = idx[0] == idx[1] || idx[1] == idx[2] || idx[0] == idx[2];
        }
        assertTrue(repeats, "with replacement, a batch can hold an example twice");
    }

    /** Stop after k steps, restore the state into a fresh rule and continue: identical to never stopping. */
    @Test
    void stochasticRulesResumeBitwise() {
        NetObjective e = tinyNet(Loss.CE, 8, 5);
        double[] t0 = theta(e, 6);
        List<java.util.function.Supplier<UpdateRule>> makers = List.of(
                () -> RegularizedRules.of(new Sgld(new MiniBatches(8, 4, true, 3), 1e-3, 9), "fisher", 0.05, 1, 1, 1, 0.1, 1e-8, 9),
                () -> RegularizedRules.of(new Sam("sam", new MiniBatches(8, 2, true, 3), 0.05, false, 0), "gtracer", 1e-4, 2, 1, 1, 0.3, 1e-3, 4),
                () -> RegularizedRules.of(new Dal("dal", new MiniBatches(8, 4, true, 1), 1, 0.5), "hessian-trace", 1e-3, 2, 2, 1, 0.1, 1e-8, 2));
        for (var make : makers) {
            UpdateRule straight = make.get();
            double[] a = t0.clone();
            RuleState mid = null;
            double[] atMid = null;
            for (int t = 0; t < 7; t++) {
                if (t == 3) {
                    mid = straight.state();
                    atMid = a.clone();
                }
                a = straight.step(e, a, t, 0.1).theta();
            }
            UpdateRule resumed = make.get();
            resumed.restore(mid);
            double[] b = atMid;
            for (int t = 3; t < 7; t++) {
                b = resumed.step(e, b, t, 0.1).theta();
            }
            assertArrayEquals(a, b, 0.0, straight.name());
            assertEquals(straight.state(), resumed.state(), straight.name());
            assertTrue(straight.state().counters().length == 2);
        }
    }
}
