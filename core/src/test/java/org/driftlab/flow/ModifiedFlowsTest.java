package org.driftlab.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleFunction;
import org.driftlab.objective.Objective;
import org.driftlab.objective.ToyObjectives;
import org.driftlab.testing.FiniteDifferences;
import org.junit.jupiter.api.Test;
import org.driftlab.linalg.LeastSquares;
import org.driftlab.linalg.Vectors;

/** NGF, IGR and third-order flows: fields against finite differences, local error orders against GD. */
class ModifiedFlowsTest {
    static final double[] THETA = {0.9, 0.7, 1.1, 0.8};

    @Test
    void igrFieldMatchesFiniteDifferenceOfTheGradient() {
        Objective e = ToyObjectives.xyzw();
        double h = 0.3;
        double[] g = e.gradient(THETA);
        double[] hg = FiniteDifferences.directional(x -> e.gradient(x), THETA, g, 1e-5);
        double[] f = new IgrFlow(e, h).derivative(THETA);
        for (int i = 0; i < 4; i++) {
            assertEquals(-g[i] - 0.5 * h * hg[i], f[i], 1e-7);
        }
    }

    @Test
    void thirdOrderTermsMatchFiniteDifferences() {
        Objective e = ToyObjectives.xyzw();
        ThirdOrderFlow flow = new ThirdOrderFlow(e, 0.2);
        double[][] t = flow.terms(THETA);
        double[] g = e.gradient(THETA);
        double[] hg = e.hvp(THETA, g);
        double[] h2g = e.hvp(THETA, hg);
        // ∇³E[g, g] = d/dε H(θ + εg)g at ε = 0, by a central difference of exact Hessian-vector products.
        double[] third = FiniteDifferences.directional(x -> e.hvp(x, g), THETA, g, 1e-5);
        for (int i = 0; i < 4; i++) {
            assertEquals(g[i], t[0][i], 1e-14);
            assertEquals(hg[i], t[1][i], 1e-12);
            assertEquals(h2g[i], t[2][i], 1e-11);
            assertEquals(third[i], t[3][i], 1e-6 * (1 + Math.abs(third[i])));
        }
        assertTrue(norm(third) > 1e-2, "the test point must have a non-trivial third derivative");
        double[] f = flow.derivative(THETA);
        for (int i = 0; i < 4; i++) {
            double expect = -(g[i] + 0.1 * hg[i] + 0.04 * (h2g[i] / 3 + third[i] / 12));
            assertEquals(expect, f[i], 1e-6);
        }
    }

    @Test
    void localErrorOrdersAgainstOneGdStep() {
        Objective e = ToyObjectives.xyzw();
        FlowIntegrator integ = FlowIntegrator.dormandPrince().withMethod(FlowIntegrator.Method.DORMAND_PRINCE_853)
                .withTolerances(1e-14, 1e-15);
        double[] hs = {0.0025, 0.005, 0.01, 0.02, 0.04};
        double[] slopes = new double[3];
        String[] names = {"ngf", "igr", "third-order"};
        for (int k = 0; k < 3; k++) {
            final int kind = k;
            DoubleFunction<VectorField> field = h -> kind == 0 ? new GradientFlow(e)
                    : kind == 1 ? new IgrFlow(e, h) : new ThirdOrderFlow(e, h);
            double[] x = new double[hs.length];
            double[] y = new double[hs.length];
            for (int j = 0; j < hs.length; j++) {
                double h = hs[j];
                double[] gd = Comparison.gradientDescent(e, THETA, h, 1).get(1);
                double[] flow = integ.integrate(field.apply(h), THETA, h, 1).real(1);
                x[j] = Math.log(h);
                y[j] = Math.log(Vectors.distance(gd, flow));
            }
            slopes[k] = LeastSquares.slope(x, y);
        }
        assertEquals(2, slopes[0], 0.15, names[0] + " slope " + slopes[0]);
        assertEquals(3, slopes[1], 0.15, names[1] + " slope " + slopes[1]);
        assertEquals(4, slopes[2], 0.2, names[2] + " slope " + slopes[2]);
    }

    static double norm(double[] v) {
        return Math.sqrt(Vectors.dot(v, v));
    }
}
