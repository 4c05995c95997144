package org.driftlab.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.objective.FunctionObjective;
import org.driftlab.objective.Objective;
import org.driftlab.objective.ToyObjectives;
import org.driftlab.tensor.Tensor;
import org.hipparchus.complex.Complex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Principal Flow against gradient descent, its closed forms and its truncated variant. */
class PrincipalFlowTest {
    /** The DeepMind colab's loss E = θᵀ diag(1, 0.01) θ (no ½), so H = diag(2, 0.02). */
    static Objective colabQuadratic() {
        Var a = Var.constant(Tensor.vector(1.0, 0.01));
        return new FunctionObjective("dd-quadratic", 2, t -> F.dot(F.mul(t, a), t));
    }

    static final FlowIntegrator TIGHT = FlowIntegrator.dormandPrince()
            .withMethod(FlowIntegrator.Method.DORMAND_PRINCE_853).withTolerances(1e-13, 1e-14);

    @ParameterizedTest(name = "h = {0}: PF = GD at t = nh")
    @CsvSource({"0.5, 20", "0.9, 40", "1.05, 5"})
    void principalFlowEqualsGdAtIntegerTimes(double h, int steps) {
        Objective e = colabQuadratic();
        double[] theta0 = {-0.35, -0.2};
        List<double[]> gd = Comparison.gradientDescent(e, theta0, h, steps);
        Trajectory pf = TIGHT.integrate(PrincipalFlow.exact(e, h), theta0, h, steps);
        assertTrue(pf.complete(), pf.stopReason());
        assertEquals(steps, pf.steps());
        for (int n = 0; n <= steps; n++) {
            double[] re = pf.real(n);
            for (int i = 0; i < 2; i++) {
                assertEquals(gd.get(n)[i], re[i], 1e-10, "n = " + n + ", coordinate " + i);
            }
            assertTrue(pf.imagNorm(n) < 1e-10, "Im θ at t = nh must vanish, got " + pf.imagNorm(n));
        }
        // Closed form of GD on the top coordinate: multiplied by 1 − 2h per step (−0.8 at h = 0.9, −1.1 at 1.05).
        assertEquals(-0.35 * Math.pow(1 - 2 * h, steps), gd.get(steps)[0], 1e-15);
        assertEquals(-0.2 * Math.pow(1 - 0.02 * h, steps), pf.real(steps)[1], 1e-10);
    }

    @Test
    void betweenIntegerTimesTheFlowIsComplexPastHLambdaOne() {
        Objective e = colabQuadratic();
        double h = 0.9;
        // Sampled at half steps: the top coordinate is −0.35·(−0.8)^{1/2} = −0.35·√0.8·i at t = h/2.
        Trajectory pf = TIGHT.integrate(PrincipalFlow.exact(e, h), new double[] {-0.35, -0.2}, h / 2, 2);
        assertEquals(0, pf.real(1)[0], 1e-10);
        assertEquals(-0.35 * Math.sqrt(0.8), pf.imag(1)[0], 1e-10);
        assertEquals(0, pf.imag(1)[1], 1e-12);
        assertEquals(-0.35 * -0.8, pf.real(2)[0], 1e-10);
    }

    @Test
    void rotatedQuadraticAcrossAllRegimes() {
        // Eigenvalues with hλ = 0.3, 1.5, 2.2, −0.4 (a saddle direction) in a random basis.
        double h = 0.1;
        Objective e = ToyObjectives.quadratic(new double[] {3, 15, 22, -4}, 7L, null, "rotated");
        double[] theta0 = {0.3, -0.2, 0.1, 0.25};
        int steps = 8;
        List<double[]> gd = Comparison.gradientDescent(e, theta0, h, steps);
        Trajectory pf = TIGHT.integrate(PrincipalFlow.exact(e, h), theta0, h, steps);
        Comparison c = Comparison.of(e, gd, pf, new double[0][]);
        assertTrue(c.maxDistance() < 1e-10, "max ‖GD − PF‖ = " + c.maxDistance());
        // The NGF does not track GD here (sanity check that the comparison can fail).
        Trajectory ngf = TIGHT.integrate(new GradientFlow(e), theta0, h, steps);
        assertTrue(Comparison.of(e, gd, ngf, new double[0][]).maxDistance() > 0.1);
    }

    @Test
    void coefficientAtHLambdaOneIsTheClampedLimit() {
        assertEquals(Math.log(Math.pow(2, -52)), PrincipalFlow.coefficient(1.0).getReal(), 1e-15);
        assertEquals(0, PrincipalFlow.coefficient(1.0).getImaginary());
        // Continuous from below at one ulp: log(1 − x)/x at x = 1 − 2⁻⁵² is ln(2⁻⁵²)/(1 − 2⁻⁵²).
        double below = 1 - Math.ulp(1.0);
        assertEquals(PrincipalFlow.COEFFICIENT_AT_ONE, PrincipalFlow.coefficient(below).getReal(), 1e-12);
        Complex above = PrincipalFlow.coefficient(1.5);
        assertEquals(Math.log(0.5) / 1.5, above.getReal(), 1e-15);
        assertEquals(Math.PI / 1.5, above.getImaginary(), 1e-15);
        // With h = 0.5 on the colab loss hλ₁ = 1 exactly: one PF step lands on GD's zero to double precision.
        Trajectory pf = TIGHT.integrate(PrincipalFlow.exact(colabQuadratic(), 0.5), new double[] {-0.35, -0.2}, 0.5, 1);
        assertEquals(0, pf.real(1)[0], 1e-14);
    }

    @Test
    void truncatedWithKEqualsDIsTheExactFlow() {
        Objective e = ToyObjectives.rosenbrock(4, 1, 10);
        double h = 0.05;
        double[] state = {0.3, -0.4, 0.8, 1.1, 0.02, -0.01, 0.03, 0.005}; // complex: [Re, Im]
        double[] exact = PrincipalFlow.exact(e, h).derivative(state);
        double[] truncated = PrincipalFlow.truncated(e, h, 4).derivative(state);
        for (int i = 0; i < exact.length; i++) {
            assertEquals(exact[i], truncated[i], 1e-8 * (1 + Math.abs(exact[i])), "component " + i);
        }
        // With k < D the remainder follows the NGF: different, but still close when the top pair dominates.
        double[] top1 = PrincipalFlow.truncated(e, h, 1).derivative(state);
        double diff = 0;
        for (int i = 0; i < exact.length; i++) {
            diff = Math.max(diff, Math.abs(exact[i] - top1[i]));
        }
        assertTrue(diff > 1e-6, "k = 1 should differ from the exact PF");
    }

    @Test
    void realStateSeriesMatchesTheModifiedFlowsToOrderHSquared() {
        // PF = −(g + (h/2)Hg + (h²/3)H²g + O(h³)) at a real point.
        Objective e = ToyObjectives.xyzw();
        double[] theta = {0.9, 0.7, 1.1, 0.8};
        double[][] t = new ThirdOrderFlow(e, 0).terms(theta);
        for (double h : new double[] {1e-2, 5e-3}) {
            double[] pf = PrincipalFlow.exact(e, h).derivative(concat(theta, new double[4]));
            for (int i = 0; i < 4; i++) {
                double series = -(t[0][i] + 0.5 * h * t[1][i] + h * h / 3 * t[2][i]);
                assertEquals(series, pf[i], 50 * h * h * h, "h = " + h + ", i = " + i);
                assertEquals(0, pf[4 + i], 0);
            }
        }
    }

    static double[] concat(double[] a, double[] b) {
        double[] out = new double[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
