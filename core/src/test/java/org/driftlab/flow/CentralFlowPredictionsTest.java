package org.driftlab.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.driftlab.curvature.DenseHessian;
import org.driftlab.data.Dataset;
import org.driftlab.data.Synthetic;
import org.driftlab.linalg.Vectors;
import org.driftlab.nn.Init;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Network;
import org.driftlab.nn.Networks;
import org.driftlab.objective.NetObjective;
import org.driftlab.objective.Objective;
import org.driftlab.objective.ToyObjectives;
import org.junit.jupiter.api.Test;

/**
 * What the central flow predicts about GD, checked against GD itself, and the pieces that measure it: the window
 * averages, the eigenvalue tracker, the fixed-step integrators.
 */
class CentralFlowPredictionsTest {
    @Test
    void predictsTheTimeAveragedLossAndGradientNormOfGdAtTheEdge() {
        // ½(1 − xyzw)² from an unbalanced start: GD reaches 2/h = 5 at step ≈ 8 and oscillates about the central flow.
        Objective e = ToyObjectives.xyzw();
        double h = 0.4;
        double[] theta0 = {0.2, 0.2, 1.8, 1.8};
        int[] at = {20, 30, 40, 50};
        List<GdAverages.Sample> gd = GdAverages.run(e, theta0, h, 5, at, new EigenTracker(0.75 * 2 / h, 4, 1e-8));
        NetworkCentralFlow.Run cf = NetworkCentralFlow.trajectory(e, theta0, h, 50, at,
                NetworkCentralFlow.Settings.defaults(), FlowIntegrator.dormandPrince().withTolerances(1e-9, 1e-11));
        Trajectory gf = FlowIntegrator.dormandPrince().integrate(new GradientFlow(e), theta0, h, 50);
        assertTrue(cf.complete() && gd.size() == at.length);
        for (int i = 0; i < at.length; i++) {
            GdAverages.Sample g = gd.get(i);
            NetworkCentralFlow.Point p = cf.samples().get(i).point();
            String where = "step " + at[i];
            // The sharpness is held at 2/h (to the soft constraint's relaxation, ~1e-8 here).
            assertEquals(2 / h, p.eigenvalues()[0], 1e-6, where);
            // GD's time averages against the predictions (measured errors 3–18% on loss, 3–8% on ‖∇E‖²), while the
            // flow's own loss E(θ_CF), without the oscillation term, is off by a factor of five or more.
            assertEquals(1, p.averagedLoss() / g.averagedLoss(), 0.25, where + " loss");
            assertEquals(1, p.averagedGradNormSquared() / g.averagedGradNormSquared(), 0.15, where + " ‖∇E‖²");
            assertTrue(p.loss() < 0.2 * g.averagedLoss(), where + ": the oscillation carries most of GD's loss");
            // The flow tracks GD's averaged iterate, gradient flow does not.
            double dCentral = Vectors.distance(g.averagedTheta(), cf.samples().get(i).theta());
            double dGradient = Vectors.distance(g.averagedTheta(), gf.real(at[i]));
            assertTrue(dCentral < 0.2 * dGradient, where + ": " + dCentral + " vs gradient flow " + dGradient);
        }
    }

    @Test
    void theComparisonWithGdInOneCall() {
        // The same story through CentralFlowComparison (Euler, h/4, as the public code): from θ_0 and from GD's
        // averaged iterate at step 20, inside the edge of stability.
        Objective e = ToyObjectives.xyzw();
        double h = 0.4;
        double[] theta0 = {0.2, 0.2, 1.8, 1.8};
        for (int start : new int[] {0, 20}) {
            CentralFlowComparison.Result r = CentralFlowComparison.run(e, theta0, h, start, 40, 10, 5);
            assertTrue(r.stopReason() == null && r.rows().size() == 5, "start " + start);
            CentralFlowComparison.Summary s = r.summary();
            assertTrue(s.distance() < 0.3 * s.gradientFlowDistance(), "start " + start + ": " + s);
            assertTrue(s.lossError() < 0.25 && s.flowLossError() > 0.5 && s.gradientFlowLossError() > 0.5, s.toString());
            for (CentralFlowComparison.Row row : r.rows().subList(1, 5)) {
                assertEquals(2 / h, row.flowEigenvalues()[0], 1e-3 * (2 / h), "held at 2/h (Euler, κ = 1/dt)");
                assertTrue(row.gradientFlowSharpness() > 2 / h, "gradient flow sharpens past the edge");
            }
        }
    }

    @Test
    void rmsPropsCentralFlowHoldsThePreconditionedSharpnessWhereRmsPropHovers() {
        // A small MLP whose preconditioned sharpness starts far above 2/h = 200 (μ₁ ≈ 781): the flow brings it to
        // 2/h and holds it there; RMSProp itself hovers around 2/h (the adaptive edge of stability, Cohen et al. 2022).
        Dataset ds = Synthetic.blobs(60, 6, 3, 1.0, 1);
        Network net = Networks.parse("fc-tanh:8", ds.inputShape(), ds.outputSize());
        NetObjective e = NetObjective.of(net, Loss.MSE, ds);
        double[] theta0 = net.initialize(Init.PYTORCH, 0);
        double h = 0.01;
        double rho = 0.99;
        double eps = 1e-7;
        NetworkCentralFlow flow = NetworkCentralFlow.rmsProp(e, h, rho, eps,
                NetworkCentralFlow.Settings.defaults().withStiffness(4));
        NetworkCentralFlow.Run run = flow.run(flow.initialState(theta0), 40, new int[] {0, 20, 40},
                FlowIntegrator.euler(h / 4));
        assertTrue(run.complete());
        assertTrue(run.samples().get(0).point().eigenvalues()[0] > 3 * (2 / h), "starts far above the edge");
        for (int i = 1; i < 3; i++) {
            // Euler with κ = 1/dt puts μ₁ back on 2/h every substep, up to the second-order drift within one
            double mu = run.samples().get(i).point().eigenvalues()[0];
            assertEquals(2 / h, mu, 1e-3 * (2 / h), "μ₁ on the flow at step " + (20 * i));
        }
        // Discrete RMSProp (driftlab's rule), its preconditioned sharpness averaged over steps 20..40.
        int d = e.dim();
        double[] theta = theta0.clone();
        double[] nu = new double[d];
        double sum = 0;
        for (int n = 0; n <= 40; n++) {
            double[] g = e.gradient(theta);
            for (int c = 0; c < d; c++) {
                nu[c] = rho * nu[c] + (1 - rho) * g[c] * g[c];
            }
            if (n >= 20) {
                double[] hess = DenseHessian.of(e.hessian(theta)).matrix();
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        hess[a * d + b] /= Math.sqrt((Math.sqrt(nu[a]) + eps) * (Math.sqrt(nu[b]) + eps));
                    }
                }
                sum += org.driftlab.linalg.SymmetricEigen.of(hess, d).value(d - 1);
            }
            for (int c = 0; c < d; c++) {
                theta[c] -= h * g[c] / (Math.sqrt(nu[c]) + eps);
            }
        }
        // measured mean 1.04·2/h (single steps swing by about ±10%)
        assertEquals(1, sum / 21 / (2 / h), 0.1, "RMSProp's mean preconditioned sharpness against 2/h");
    }

    @Test
    void theTrapezoidWindowCancelsAPeriodTwoOscillation() {
        // ½λθ² with h = 2/λ: GD flips θ → −θ exactly, so the window average of θ is 0 and that of E is E(θ_0).
        Objective e = ToyObjectives.parse("quadratic:eigs=4,1");
        double[] theta0 = {0.75, 0.0};
        List<GdAverages.Sample> gd = GdAverages.run(e, theta0, 0.5, 3, new int[] {0, 1, 6, 7}, null);
        assertArrayEquals(theta0, gd.get(0).averagedTheta()); // the window shrinks to stay centred at n = 0
        assertArrayEquals(new double[] {0, 0}, gd.get(1).averagedTheta()); // w' = 1: (θ₀ + 2θ₁ + θ₂)/4
        for (int i = 1; i < 4; i++) {
            assertArrayEquals(new double[] {0, 0}, gd.get(i).averagedTheta(), 0.0);
            assertEquals(e.value(theta0), gd.get(i).averagedLoss(), 0.0);
        }
        assertArrayEquals(new double[] {-0.75, 0}, gd.get(3).theta(), 0.0);
    }

    @Test
    void eulerWithStepHIsGradientDescent() {
        Objective e = ToyObjectives.xyzw();
        double h = 0.1;
        double[] theta0 = {0.9, 0.7, 1.1, 0.8};
        Trajectory euler = FlowIntegrator.euler(h).integrate(new GradientFlow(e), theta0, h, 30);
        List<double[]> gd = Comparison.gradientDescent(e, theta0, h, 30);
        for (int n = 0; n <= 30; n++) {
            assertArrayEquals(gd.get(n), euler.real(n), 0.0, "n = " + n); // the same arithmetic, bit for bit
        }
        // Classical Runge–Kutta with step h/4 against the adaptive reference: fourth-order accurate.
        Trajectory ref = FlowIntegrator.dormandPrince().withTolerances(1e-13, 1e-14).integrate(new GradientFlow(e),
                theta0, h, 30);
        double coarse = Vectors.distance(ref.real(30),
                FlowIntegrator.rungeKutta4(h / 2).integrate(new GradientFlow(e), theta0, h, 30).real(30));
        double fine = Vectors.distance(ref.real(30),
                FlowIntegrator.rungeKutta4(h / 4).integrate(new GradientFlow(e), theta0, h, 30).real(30));
        assertEquals(16, coarse / fine, 3, "error ratio at half the step (" + coarse + ", " + fine + ")");
    }

    @Test
    void warmStartedTrackingFindsTheDenseEigenvaluesAboveTheThreshold() {
        Dataset ds = Synthetic.blobs(40, 10, 3, 1.0, 6);
        Network net = Networks.parse("fc-tanh:8", ds.inputShape(), ds.outputSize());
        NetObjective e = NetObjective.of(net, Loss.MSE, ds);
        assertTrue(e.dim() > EigenTracker.DENSE_LIMIT, "the Lanczos path");
        double[] theta = net.initialize(Init.PYTORCH, 2);
        double h = 0.3;
        double[] dense = DenseHessian.of(e.hessian(theta)).eigen().values();
        double top = dense[dense.length - 1];
        // A threshold between the 3rd and 4th eigenvalues: exactly three are tracked.
        double threshold = 0.5 * (dense[dense.length - 3] + dense[dense.length - 4]);
        EigenTracker tracker = new EigenTracker(threshold, 8, 1e-10);
        double[] step = theta.clone();
        for (int n = 0; n < 3; n++) {
            EigenTracker.Eigenpairs p = tracker.track(e.hessian(step));
            double[] want = DenseHessian.of(e.hessian(step)).eigen().values();
            int d = want.length;
            int expected = 0;
            while (expected < 8 && want[d - 1 - expected] >= threshold) {
                expected++;
            }
            assertEquals(Math.max(1, expected), p.size(), "n = " + n);
            for (int i = 0; i < p.size(); i++) {
                // Lanczos at residual 1e-10 relative: eigenvalues to ~1e-10·λ.
                assertEquals(want[d - 1 - i], p.values()[i], 1e-8 * top, "λ_" + (i + 1));
            }
            double[] g = e.gradient(step);
            Vectors.axpy(-h, g, step); // the next point of a path, warm-started from this one
        }
    }
}
