package org.driftlab.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.driftlab.autodiff.F;
import org.driftlab.curvature.DenseHessian;
import org.driftlab.data.Dataset;
import org.driftlab.data.Synthetic;
import org.driftlab.linalg.SymmetricEigen;
import org.driftlab.linalg.Vectors;
import org.driftlab.nn.Init;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Network;
import org.driftlab.nn.Networks;
import org.driftlab.objective.FunctionObjective;
import org.driftlab.objective.NetObjective;
import org.driftlab.objective.Objective;
import org.driftlab.objective.ToyObjectives;
import org.junit.jupiter.api.Test;

/**
 * The network central flow against its oracles: the one-eigenvalue toy central flow on ½(1 − xyzw)² and on
 * quadratics, two independent copies of xyzw (two eigenvalues at the edge, the complementarity problem splits), and
 * ∇λ by autodiff against central differences of a dense Hessian's eigenvalues on a tiny net.
 */
class NetworkCentralFlowTest {
    static final double[] THETA0 = {0.2, 0.2, 1.8, 1.8}; // gradient flow ends at λ₁ ≈ 7.55, above 2/h for h = 0.4

    static double maxDistance(Trajectory a, Trajectory b, int steps) {
        double m = 0;
        for (int n = 0; n <= steps; n++) {
            m = Math.max(m, Vectors.distance(a.real(n), b.real(n)));
        }
        return m;
    }

    @Test
    void onXyzwItIsTheToyCentralFlow() {
        Objective e = ToyObjectives.xyzw();
        double h = 0.4;
        FlowIntegrator integ = FlowIntegrator.dormandPrince().withTolerances(1e-8, 1e-10);
        Trajectory toy = integ.integrate(new CentralFlow(e, h), THETA0, h, 40);
        NetworkCentralFlow net = new NetworkCentralFlow(e, h);
        Trajectory general = integ.integrate(net, THETA0, h, 40);
        assertTrue(toy.complete() && general.complete());
        // One eigenvalue at the edge: the same multiplier and field, hence the same adaptive steps; the bound is
        // the integration tolerance (both trajectories are in fact bitwise equal).
        assertTrue(maxDistance(toy, general, 40) <= 1e-10, "distance " + maxDistance(toy, general, 40));
        NetworkCentralFlow.Point end = net.at(general.real(40));
        CentralFlow.Point toyEnd = new CentralFlow(e, h).at(toy.real(40));
        assertEquals(1, end.k());
        assertEquals(2 / h, end.eigenvalues()[0], 1e-6);
        assertEquals(toyEnd.sigma2(), end.covariance()[0], 1e-12);
        assertEquals(toyEnd.averagedLoss(), end.averagedLoss(), 1e-12);
    }

    @Test
    void onQuadraticsItIsTheToyCentralFlow() {
        // ∇λ = 0 on a quadratic: below 2/h the central flow is gradient flow, and past it no multiplier can act.
        Objective e = ToyObjectives.parse("quadratic:eigs=1,5,20:basis=random:seed=3");
        double[] theta0 = {0.7, -0.4, 1.1};
        FlowIntegrator integ = FlowIntegrator.dormandPrince().withTolerances(1e-10, 1e-12);
        for (double h : new double[] {0.05, 0.15}) {
            Trajectory toy = integ.integrate(new CentralFlow(e, h), theta0, h, 20);
            Trajectory general = integ.integrate(new NetworkCentralFlow(e, h), theta0, h, 20);
            Trajectory gradientFlow = integ.integrate(new GradientFlow(e), theta0, h, 20);
            assertTrue(maxDistance(toy, general, 20) <= 1e-12, "h = " + h);
            assertTrue(maxDistance(gradientFlow, general, 20) <= 1e-12, "h = " + h);
        }
    }

    /** ½(1 − xyzw)² on θ[0..4) plus the same on θ[4..8): the Hessian is block diagonal. */
    static Objective twoCopies() {
        Objective x = ToyObjectives.xyzw();
        return new FunctionObjective("xyzw+xyzw", 8, t -> F.add(x.loss(F.slice(t, 0, 0, 4)), x.loss(F.slice(t, 0, 4, 8))));
    }

    @Test
    void twoIndependentEdgesAreTwoToyCentralFlows() {
        Objective sum = twoCopies();
        double h = 0.4;
        double[] a0 = THETA0;
        double[] b0 = {0.3, 0.25, 1.6, 1.9}; // reaches the edge at another time
        double[] s0 = new double[8];
        System.arraycopy(a0, 0, s0, 0, 4);
        System.arraycopy(b0, 0, s0, 4, 4);
        FlowIntegrator integ = FlowIntegrator.dormandPrince().withTolerances(1e-8, 1e-10);
        NetworkCentralFlow flow = new NetworkCentralFlow(sum, h);
        Trajectory joint = integ.integrate(flow, s0, h, 40);
        Trajectory a = integ.integrate(new CentralFlow(ToyObjectives.xyzw(), h), a0, h, 40);
        Trajectory b = integ.integrate(new CentralFlow(ToyObjectives.xyzw(), h), b0, h, 40);
        assertTrue(joint.complete() && a.complete() && b.complete());
        double max = 0;
        for (int n = 0; n <= 40; n++) {
            double[] ab = new double[8];
            System.arraycopy(a.real(n), 0, ab, 0, 4);
            System.arraycopy(b.real(n), 0, ab, 4, 4);
            max = Math.max(max, Vectors.distance(joint.real(n), ab));
        }
        // Three integrations at rtol 1e-8 of fields whose derivative jumps where a multiplier switches on; the
        // distance shrinks with the tolerance (3e-5, 1.5e-6, 7e-10 at rtol 1e-6, 1e-8, 1e-10 over 60 steps).
        assertTrue(max < 1e-5, "distance " + max);
        NetworkCentralFlow.Point end = flow.at(joint.real(40));
        assertEquals(2, end.k(), "both eigenvalues tracked");
        for (int i = 0; i < 2; i++) {
            assertEquals(2 / h, end.eigenvalues()[i], 1e-6, "both at the edge");
            assertTrue(end.covariance()[i * 2 + i] > 0, "both oscillate");
        }
    }

    static NetObjective tinyNet() {
        Dataset ds = Synthetic.blobs(20, 4, 3, 1.0, 3);
        Network net = Networks.parse("fc-tanh:3", ds.inputShape(), ds.outputSize());
        return NetObjective.of(net, Loss.MSE, ds);
    }

    @Test
    void gradientOfTheTopEigenvaluesMatchesCentralDifferencesOnATinyNet() {
        NetObjective e = tinyNet();
        double[] theta = e.network().initialize(Init.PYTORCH, 4);
        int d = e.dim();
        SymmetricEigen.Decomposition eig = DenseHessian.of(e.hessian(theta)).eigen();
        double[] u1 = eig.vector(d - 1);
        double[] u2 = eig.vector(d - 2);
        assertTrue(eig.value(d - 1) - eig.value(d - 2) > 1e-3 * eig.value(d - 1), "λ₁ must be simple here");
        ThirdOrderGraph graph = ThirdOrderGraph.at(e, theta);
        double[] grad1 = graph.contraction(u1, u1);
        double[] grad12 = graph.contraction(u1, u2);
        double eps = 1e-5;
        for (int i = 0; i < d; i++) {
            double[] p = theta.clone();
            double[] m = theta.clone();
            p[i] += eps;
            m[i] -= eps;
            // ∂λ₁/∂θ_i by central differences of the dense Hessian's top eigenvalue: error O(ε²) plus rounding
            // ~1e-16·λ/ε ≈ 1e-10.
            double fd = (CentralFlowTest.topEigenvalue(e, p) - CentralFlowTest.topEigenvalue(e, m)) / (2 * eps);
            assertEquals(fd, grad1[i], 1e-6 * (1 + Math.abs(fd)), "∂λ₁/∂θ_" + i);
            // ∂(u₁ᵀH(θ)u₂)/∂θ_i with u fixed, from exact Hessian-vector products at θ ± εe_i.
            double fd12 = (Vectors.dot(u1, e.hvp(p, u2)) - Vectors.dot(u1, e.hvp(m, u2))) / (2 * eps);
            assertEquals(fd12, grad12[i], 1e-6 * (1 + Math.abs(fd12)), "∂(u₁ᵀHu₂)/∂θ_" + i);
        }
        assertTrue(Vectors.norm(grad1) > 1e-2, "the test point must have a non-trivial ∇λ₁");
    }

    @Test
    void rmsPropWithAFrozenConstantPreconditionerIsGdsCentralFlowInRescaledTime() {
        // ρ = 1 freezes ν; with ν ≡ 4 and ε = 0 the preconditioner is d = 2: θ̇ = −(g + ½∇H[X])/2 with the edge at
        // λ/2 = 2/h, which is GD's central flow for h' = h/2 in the time t/2. Sampled at n·h and n·h', they agree.
        Objective e = ToyObjectives.xyzw();
        double h = 0.8;
        NetworkCentralFlow rms = NetworkCentralFlow.rmsProp(e, h, 1.0, 0.0, NetworkCentralFlow.Settings.defaults());
        double[] state0 = {0.2, 0.2, 1.8, 1.8, 4, 4, 4, 4};
        FlowIntegrator integ = FlowIntegrator.dormandPrince().withTolerances(1e-8, 1e-10);
        int[] at = {0, 10, 20, 30};
        NetworkCentralFlow.Run a = rms.run(state0, 30, at, integ);
        NetworkCentralFlow.Run b = NetworkCentralFlow.trajectory(e, THETA0, h / 2, 30, at,
                NetworkCentralFlow.Settings.defaults(), integ);
        assertTrue(a.complete() && b.complete());
        for (int i = 0; i < at.length; i++) {
            double[] s = a.samples().get(i).theta();
            for (int c = 0; c < 4; c++) {
                // two adaptive integrations of the same curve at rtol 1e-8 (their steps differ by the scaling)
                assertEquals(b.samples().get(i).theta()[c], s[c], 1e-6, "n = " + at[i] + ", θ_" + c);
                assertEquals(4.0, s[4 + c], 0.0, "ν is frozen");
            }
            NetworkCentralFlow.Point p = a.samples().get(i).point();
            NetworkCentralFlow.Point q = b.samples().get(i).point();
            assertEquals(q.eigenvalues()[0] / 2, p.eigenvalues()[0], 1e-6, "μ = λ/d");
            assertEquals(q.averagedLoss(), p.averagedLoss(), 1e-6);
        }
        NetworkCentralFlow.Point end = a.samples().get(at.length - 1).point();
        assertEquals(2 / h, end.eigenvalues()[0], 1e-6, "the preconditioned sharpness is held at 2/h");
        assertTrue(end.covariance()[0] > 0);
    }
}
