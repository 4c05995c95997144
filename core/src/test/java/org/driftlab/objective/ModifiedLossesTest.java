package org.driftlab.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.curvature.DenseHessian;
import org.driftlab.data.Synthetic;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Init;
import org.driftlab.nn.Network;
import org.driftlab.nn.Networks;
import org.driftlab.testing.FiniteDifferences;
import org.junit.jupiter.api.Test;

/** The modified losses against their explicit expansions (exact Hessian-vector products) and finite differences. */
class ModifiedLossesTest {
    /** A tiny tanh classifier on 6 blobs examples (D = 3·4+4 + 4·3+3 = 31). */
    static NetObjective tinyNet(Loss loss, long seed) {
        Network net = Networks.parse("fc-tanh:4", new int[] {3}, 3);
        return NetObjective.of(net, loss, Synthetic.blobs(6, 3, 3, 0.7, seed));
    }

    static double[] theta(NetObjective o, long seed) {
        return o.network().initialize(Init.PYTORCH, seed);
    }

    /** A non-quadratic finite sum of 4 examples on R³ with distinct curvatures (quartic and cross terms). */
    static FiniteSumObjective quartics() {
        List<UnaryOperator<Var>> ex = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(3);
        for (int k = 0; k < 4; k++) {
            double[] c = {r.nextDouble() - 0.5, r.nextDouble() - 0.5, r.nextDouble() - 0.5};
            double a = 0.5 + r.nextDouble();
            ex.add(t -> {
                Var d = F.sub(t, Var.constant(org.driftlab.tensor.Tensor.vector(c)));
                Var sq = F.sum(F.square(d));
                Var x0 = F.slice(t, 0, 0, 1);
                Var x1 = F.slice(t, 0, 1, 2);
                return F.add(F.scale(F.square(sq), a), F.sum(F.mul(F.square(x0), F.exp(x1))));
            });
        }
        return new FiniteSumObjective("quartics", 3, ex);
    }

    static void assertClose(double[] want, double[] got, double tol, String what) {
        double scale = 0;
        for (double w : want) {
            scale = Math.max(scale, Math.abs(w));
        }
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol * Math.max(1, scale), what + " [" + i + "]");
        }
    }

    static double[] axpy(double[] x, double a, double[] y) {
        double[] r = x.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] += a * y[i];
        }
        return r;
    }

    @Test
    void igrGradientIsGradientPlusHalfHTimesHessianGradient() {
        double h = 0.37;
        for (Objective e : List.of(ToyObjectives.rosenbrock(3, 1, 10), tinyNet(Loss.CE, 1), tinyNet(Loss.MSE, 2))) {
            double[] t = e instanceof NetObjective n ? theta(n, 5) : new double[] {0.3, -0.4, 0.8};
            double[] g = e.gradient(t);
            double[] want = axpy(g, h / 2, e.hvp(t, g));
            Objective igr = ModifiedLosses.igr(e, h);
            assertClose(want, igr.gradient(t), 1e-10, "IGR " + e);
            double gg = 0;
            for (double v : g) {
                gg += v * v;
            }
            assertEquals(e.value(t) + h / 4 * gg, igr.value(t), 1e-12 * Math.max(1, Math.abs(igr.value(t))));
            // central differences at ε = 1e-5: ε²/6·|∂³Ẽ| + u·|Ẽ|/ε ≈ 1e-10 for these O(1) losses; 1e-6 is a wide margin
            assertClose(FiniteDifferences.gradient(igr::value, t, 1e-5), igr.gradient(t), 1e-6, "IGR fd " + e);
        }
    }

    @Test
    void smithGradientIsItsExplicitExpansion() {
        double h = 0.2;
        int[][] batches = {{0, 1}, {2, 3}};
        for (Objective e : List.<Objective>of(quartics(), tinyNet(Loss.CE, 3).onBatch(new int[] {0, 1, 2, 3}))) {
            double[] t = e instanceof NetObjective n ? theta(n, 7) : new double[] {0.2, 0.1, -0.3};
            double[] want = e.gradient(t);
            for (int[] b : batches) {
                Objective part = e.onBatch(b);
                double[] gk = part.gradient(t);
                want = axpy(want, h / (2.0 * batches.length), part.hvp(t, gk));
            }
            Objective smith = ModifiedLosses.smith(e, h, batches);
            assertClose(want, smith.gradient(t), 1e-10, "Smith " + e);
            assertClose(FiniteDifferences.gradient(smith::value, t, 1e-5), smith.gradient(t), 1e-6, "Smith fd " + e);
        }
    }

    /** Rosca's field is ∇E + h[(n/2)∇²E∇E − (1/n)Σ_{j<k} H_k g_j]; averaged over all orders it is Smith's. */
    @Test
    void roscaFieldMatchesItsDerivationAndAveragesToSmithOverOrders() {
        double h = 0.15;
        FiniteSumObjective e = quartics();
        double[] t = {0.25, -0.1, 0.4};
        int[][] base = {{0}, {1}, {2}};
        Objective mean = e.onBatch(new int[] {0, 1, 2});
        int[][][] orders = {{base[0], base[1], base[2]}, {base[0], base[2], base[1]}, {base[1], base[0], base[2]},
            {base[1], base[2], base[0]}, {base[2], base[0], base[1]}, {base[2], base[1], base[0]}};
        double[] avg = new double[3];
        for (int[][] order : orders) {
            int n = order.length;
            double[] g = mean.gradient(t);
            double[] want = axpy(g, h * n / 2.0, mean.hvp(t, g));
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < k; j++) {
                    want = axpy(want, -h / n, e.onBatch(order[k]).hvp(t, e.onBatch(order[j]).gradient(t)));
                }
            }
            double[] got = ModifiedLosses.rosca(e, h, order).gradient(t);
            assertClose(want, got, 1e-10, "Rosca");
            avg = axpy(avg, 1.0 / orders.length, got);
        }
        assertClose(ModifiedLosses.smith(mean, h, base).gradient(t), avg, 1e-10, "Rosca averaged over orders");
    }

    /** The point of the n-step loss: its flow over time nh tracks n SGD steps to O(h³), NGF's only to O(h²). */
    @Test
    void roscaFlowTracksSgdOneOrderBetterThanGradientFlow() {
        FiniteSumObjective e = quartics();
        double[] t0 = {0.25, -0.1, 0.4};
        int[][] order = {{2}, {0}, {3}};
        Objective mean = e.onBatch(new int[] {2, 0, 3});
        double[] hs = {0.02, 0.01, 0.005};
        double[] errRosca = new double[hs.length];
        double[] errNgf = new double[hs.length];
        for (int s = 0; s < hs.length; s++) {
            double h = hs[s];
            double[] sgd = t0.clone();
            for (int[] b : order) {
                sgd = axpy(sgd, -h, e.onBatch(b).gradient(sgd));
            }
            errRosca[s] = distance(sgd, rk4(ModifiedLosses.rosca(e, h, order), t0, order.length * h, 24));
            errNgf[s] = distance(sgd, rk4(mean, t0, order.length * h, 24));
        }
        // the slope of log error against log h over a factor 4 in h: the next order of the local error shifts it by
        // about c·h/ln 4 (≲ 0.05 at these h), RK4's own error (24 substeps, O(h⁵)) is far below; hence ±0.15
        double slopeRosca = Math.log(errRosca[0] / errRosca[2]) / Math.log(hs[0] / hs[2]);
        double slopeNgf = Math.log(errNgf[0] / errNgf[2]) / Math.log(hs[0] / hs[2]);
        assertEquals(2, slopeNgf, 0.15, "NGF local error order");
        assertEquals(3, slopeRosca, 0.15, "Rosca local error order");
        assertTrue(errRosca[2] < 0.05 * errNgf[2]);
    }

    static double[] rk4(Objective e, double[] t0, double time, int steps) {
        double dt = time / steps;
        double[] x = t0.clone();
        for (int i = 0; i < steps; i++) {
            double[] k1 = e.gradient(x);
            double[] k2 = e.gradient(axpy(x, -dt / 2, k1));
            double[] k3 = e.gradient(axpy(x, -dt / 2, k2));
            double[] k4 = e.gradient(axpy(x, -dt, k3));
            for (int j = 0; j < x.length; j++) {
                x[j] -= dt / 6 * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
            }
        }
        return x;
    }

    static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    @Test
    void penaltiesHaveFiniteDifferenceGradientsAndExactValues() {
        NetObjective e = tinyNet(Loss.MSE, 4);
        double[] t = theta(e, 9);
        double[] g = e.gradient(t);
        double gn2 = 0;
        for (double v : g) {
            gn2 += v * v;
        }
        PenalisedObjective q1 = new PenalisedObjective(e, Penalties.gradientNorm(1), 0.3);
        assertEquals(Math.sqrt(gn2), q1.penaltyValue(t), 1e-12);
        PenalisedObjective micro = new PenalisedObjective(e, Penalties.microBatchGradientNorm(4), 0.5);
        double want = 0;
        for (int[] b : new int[][] {{0, 1, 2, 3}, {4, 5}}) {
            double[] gk = e.onBatch(b).gradient(t);
            for (double v : gk) {
                want += v * v / 2;
            }
        }
        assertEquals(want, micro.penaltyValue(t), 1e-12);
        DenseHessian dense = DenseHessian.of(e.hessian(t));
        double[][] probes = Penalties.rademacher(3, e.dim(), 17);
        double[] diag = new double[e.dim()];
        for (int i = 0; i < diag.length; i++) {
            diag[i] = 1 + 0.1 * i;
        }
        double wantTrace = 0;
        double wantWeighted = 0;
        for (double[] v : probes) {
            double[] hv = dense.operator().apply(v);
            for (int i = 0; i < v.length; i++) {
                wantTrace += v[i] * hv[i] / 3;
                wantWeighted += diag[i] * v[i] * hv[i] / 3;
            }
        }
        PenalisedObjective trace = new PenalisedObjective(e, Penalties.hessianTrace(3, 17), 0.1);
        PenalisedObjective weighted = new PenalisedObjective(e, Penalties.weightedHessianTrace(diag, 3, 17), 0.1);
        assertEquals(wantTrace, trace.penaltyValue(t), 1e-10 * Math.max(1, Math.abs(wantTrace)));
        assertEquals(wantWeighted, weighted.penaltyValue(t), 1e-10 * Math.max(1, Math.abs(wantWeighted)));
        for (PenalisedObjective p : List.of(q1, micro, trace, weighted,
                new PenalisedObjective(e, Penalties.gradientNorm(2), 2.0))) {
            assertClose(FiniteDifferences.gradient(p::value, t, 1e-5), p.gradient(t), 1e-6, "penalty " + p);
        }
        // on a mini-batch the penalty is taken on that batch
        PenalisedObjective onBatch = (PenalisedObjective) q1.onBatch(new int[] {1, 3});
        double[] gb = e.onBatch(new int[] {1, 3}).gradient(t);
        double nb = 0;
        for (double v : gb) {
            nb += v * v;
        }
        assertEquals(Math.sqrt(nb), onBatch.penaltyValue(t), 1e-12);
        assertEquals(e.value(t), q1.metrics(t).get("loss"), 0.0, "metrics report E, not the penalised loss");
    }
}
