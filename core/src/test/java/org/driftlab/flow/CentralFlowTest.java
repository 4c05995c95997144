package org.driftlab.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.driftlab.curvature.DenseHessian;
import org.driftlab.objective.Objective;
import org.driftlab.objective.ToyObjectives;
import org.junit.jupiter.api.Test;
import org.driftlab.linalg.Vectors;

/** The central flow: ∇S against finite differences of λ₁, NGF off the edge, S held at 2/h on it. */
class CentralFlowTest {
    static double topEigenvalue(Objective e, double[] theta) {
        double[] v = DenseHessian.of(e.hessian(theta)).eigen().values();
        return v[v.length - 1];
    }

    @Test
    void curvatureGradientIsTheGradientOfTheSharpness() {
        Objective e = ToyObjectives.xyzw();
        double[] theta = {0.3, 0.4, 1.5, 1.7};
        double[] u = CentralFlow.top(e, theta)[1];
        double[] gs = CentralFlow.curvatureGradient(e, theta, u);
        double eps = 1e-6;
        for (int i = 0; i < 4; i++) {
            double[] p = theta.clone();
            double[] m = theta.clone();
            p[i] += eps;
            m[i] -= eps;
            double fd = (topEigenvalue(e, p) - topEigenvalue(e, m)) / (2 * eps);
            assertEquals(fd, gs[i], 1e-5 * (1 + Math.abs(fd)), "component " + i);
        }
    }

    @Test
    void belowTheEdgeItIsGradientFlow() {
        Objective e = ToyObjectives.xyzw();
        double[] theta = {0.3, 0.4, 1.5, 1.7};
        double h = 0.01; // 2/h = 200, far above λ₁
        CentralFlow.Point p = new CentralFlow(e, h).at(theta);
        assertEquals(0, p.sigma2());
        double[] g = e.gradient(theta);
        for (int i = 0; i < 4; i++) {
            assertEquals(-g[i], p.derivative()[i], 1e-14);
        }
    }

    @Test
    void onTheEdgeTheSharpnessIsHeldAtTwoOverH() {
        Objective e = ToyObjectives.xyzw();
        double[] theta0 = {0.2, 0.2, 1.8, 1.8}; // gradient flow ends at λ₁ ≈ 7.55
        double h = 0.4;
        CentralFlow cf = new CentralFlow(e, h);
        Trajectory tr = FlowIntegrator.dormandPrince().withTolerances(1e-8, 1e-10).integrate(cf, theta0, h, 40);
        assertTrue(tr.complete(), tr.stopReason());
        CentralFlow.Point end = cf.at(tr.real(40));
        assertEquals(2 / h, end.sharpness(), 1e-4);
        assertTrue(end.sigma2() > 0, "on the edge GD oscillates: σ² > 0");
        // On the edge θ̇ is tangent to {S = 2/h}: ∇S·θ̇ = −κ(S − 2/h) ≈ 0.
        double[] gs = CentralFlow.curvatureGradient(e, tr.real(40), CentralFlow.top(e, tr.real(40))[1]);
        assertEquals(0, Vectors.dot(gs, end.derivative()), 1e-3 * Math.sqrt(Vectors.dot(gs, gs)));
        // Gradient flow from the same start overshoots the edge.
        Trajectory gf = FlowIntegrator.dormandPrince().integrate(new GradientFlow(e), theta0, h, 40);
        assertTrue(topEigenvalue(e, gf.real(40)) > 1.4 * (2 / h));
    }
}
