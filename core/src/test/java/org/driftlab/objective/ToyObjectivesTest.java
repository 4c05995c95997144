package org.driftlab.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.driftlab.DriftlabException;
import org.driftlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Toy objectives against their closed-form gradients and Hessians at random points. Autodiff and the closed form
 * are two float64 evaluations of one expression of O(1)–O(100) values: 1e-15 to 1e-12 is their rounding; 1e-10 for
 * Rosenbrock's b = 100 terms, whose values reach 1e4.
 */
class ToyObjectivesTest {
    private static double[] column(Objective o, double[] theta, int j) {
        double[] e = new double[o.dim()];
        e[j] = 1;
        return o.hvp(theta, e);
    }

    private static double[] randomPoint(Random r, int d) {
        double[] x = new double[d];
        for (int i = 0; i < d; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }

    @Test
    void quadraticClosedFormsEqualAutodiff() {
        double[] eigs = {3.0, -0.5, 1e-3, 7.0};
        double[] b = {0.1, -0.2, 0.3, 0.4};
        Random r = new Random(5);
        double[] theta = new double[4];
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            theta[i] = r.nextGaussian();
            v[i] = r.nextGaussian();
        }
        for (Quadratic q : new Quadratic[] {new Quadratic(eigs, null, b, "diag"),
            new Quadratic(eigs, Quadratic.randomOrthogonal(4, 3), b, "rotated"), new Quadratic(eigs, null, null, "plain")}) {
            org.driftlab.autodiff.Autodiff.ValueAndGrad ad = org.driftlab.autodiff.Autodiff.valueAndGrad(q::loss, theta);
            org.driftlab.autodiff.Autodiff.ValueAndGrad cf = q.valueAndGradient(theta);
            assertEquals(ad.value(), cf.value(), 1e-13, q.toString());
            assertEquals(ad.value(), q.value(theta), 1e-13, q.toString());
            assertArrayEquals(ad.gradient(), cf.gradient(), 1e-13, q.toString());
            assertArrayEquals(ad.gradient(), q.gradient(theta), 1e-13, q.toString());
            assertArrayEquals(org.driftlab.autodiff.Autodiff.hvp(q::loss, theta, v), q.hvp(theta, v), 1e-13, q.toString());
        }
    }

    @Test
    void linearRegressionHessianIsXtXOverNExactly() {
        LinearRegression o = (LinearRegression) ToyObjectives.parse("linreg:n=30:d=6:noise=0.5:seed=4");
        Tensor h = o.hessianMatrix();
        Random r = new Random(2);
        double[] w = randomPoint(r, 6);
        for (int j = 0; j < 6; j++) {
            double[] col = column(o, w, j);
            for (int i = 0; i < 6; i++) {
                assertEquals(h.get(i, j), col[i], 1e-12);
            }
        }
        // gradient Xᵀ(Xw − y)/n
        double[] x = o.design().data();
        double[] y = o.responses().data();
        double[] g = new double[6];
        for (int i = 0; i < 30; i++) {
            double res = -y[i];
            for (int k = 0; k < 6; k++) {
                res += x[i * 6 + k] * w[k];
            }
            for (int k = 0; k < 6; k++) {
                g[k] += x[i * 6 + k] * res / 30;
            }
        }
        assertArrayEquals(g, o.gradient(w), 1e-12);
        assertEquals(30, o.numExamples());
        assertEquals(6, o.onBatch(new int[] {0, 5}).dim());
    }

    @Test
    void quadraticHessianIsAAndGradientIsAThetaPlusB() {
        Quadratic q = (Quadratic) ToyObjectives.parse("quadratic:eigs=1,10,100,0.5:basis=random:seed=3:b=1,0,-1,2");
        Tensor a = q.matrix();
        Tensor qb = q.basis();
        // Q is orthogonal and A has the requested spectrum along its columns
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double qtq = 0;
                for (int k = 0; k < 4; k++) {
                    qtq += qb.get(k, i) * qb.get(k, j);
                }
                assertEquals(i == j ? 1 : 0, qtq, 1e-13);
            }
        }
        Random r = new Random(9);
        double[] t = randomPoint(r, 4);
        double[] b = {1, 0, -1, 2};
        double[] g = q.gradient(t);
        for (int j = 0; j < 4; j++) {
            double[] col = column(q, t, j);
            double at = b[j];
            for (int i = 0; i < 4; i++) {
                assertEquals(a.get(i, j), col[i], 1e-12);
                at += a.get(j, i) * t[i];
            }
            assertEquals(at, g[j], 1e-12);
            // A q_j = λ_j q_j
            double[] qj = new double[4];
            for (int i = 0; i < 4; i++) {
                qj[i] = qb.get(i, j);
            }
            double[] aq = q.hvp(t, qj);
            for (int i = 0; i < 4; i++) {
                assertEquals(q.eigenvalues()[j] * qj[i], aq[i], 1e-12);
            }
        }
        Quadratic diag = (Quadratic) ToyObjectives.parse("quadratic:eigs=2,3");
        assertEquals(0.5 * (2 * 1 + 3 * 4), diag.value(new double[] {1, 2}), 1e-15);
    }

    @Test
    void xyzwGradientAndHessianClosedForm() {
        Objective o = ToyObjectives.parse("xyzw");
        Random r = new Random(4);
        for (int rep = 0; rep < 3; rep++) {
            double[] v = randomPoint(r, 4);
            double p = v[0] * v[1] * v[2] * v[3];
            double[] dp = new double[4];
            for (int i = 0; i < 4; i++) {
                dp[i] = p / v[i];
            }
            assertEquals(0.5 * (1 - p) * (1 - p), o.value(v), 1e-14);
            double[] g = o.gradient(v);
            for (int i = 0; i < 4; i++) {
                assertEquals(-(1 - p) * dp[i], g[i], 1e-12);
            }
            for (int j = 0; j < 4; j++) {
                double[] col = column(o, v, j);
                for (int i = 0; i < 4; i++) {
                    double d2p = i == j ? 0 : p / (v[i] * v[j]);
                    assertEquals(dp[i] * dp[j] - (1 - p) * d2p, col[i], 1e-12);
                }
            }
        }
        // the symmetric reduction agrees with xyzw on the diagonal x = y = u, z = w = v
        Objective sym = ToyObjectives.parse("xyzw-sym");
        assertEquals(o.value(new double[] {0.7, 0.7, -1.3, -1.3}), sym.value(new double[] {0.7, -1.3}), 1e-15);
    }

    @Test
    void productModelsClosedForm() {
        Random r = new Random(6);
        double[] v = randomPoint(r, 2);
        double x = v[0];
        double y = v[1];
        Objective x2y2 = ToyObjectives.parse("x2y2");
        double s = 1 - x * x * y * y;
        assertEquals(s * s, x2y2.value(v), 1e-14);
        assertArrayEquals(new double[] {-4 * s * x * y * y, -4 * s * x * x * y}, x2y2.gradient(v), 1e-12);
        Objective xy = ToyObjectives.parse("xy");
        double u = 1 - x * y;
        assertArrayEquals(new double[] {-2 * u * y, -2 * u * x}, xy.gradient(v), 1e-12);
        assertArrayEquals(new double[] {2 * y * y, 2 * (2 * x * y - 1)}, column(xy, v, 0), 1e-12);
    }

    @Test
    void rosenbrockClosedForm() {
        Objective o = ToyObjectives.parse("rosenbrock");
        Random r = new Random(8);
        double[] v = randomPoint(r, 2);
        double x = v[0];
        double y = v[1];
        double a = 1;
        double b = 100;
        assertEquals(b * Math.pow(y - x * x, 2) + Math.pow(a - x, 2), o.value(v), 1e-12);
        assertArrayEquals(new double[] {-2 * (a - x) - 4 * b * x * (y - x * x), 2 * b * (y - x * x)}, o.gradient(v), 1e-10);
        assertArrayEquals(new double[] {2 - 4 * b * (y - x * x) + 8 * b * x * x, -4 * b * x}, column(o, v, 0), 1e-10);
        assertArrayEquals(new double[] {-4 * b * x, 2 * b}, column(o, v, 1), 1e-10);
        assertEquals(0, ToyObjectives.parse("rosenbrock:d=5").value(new double[] {1, 1, 1, 1, 1}), 0);
    }

    @Test
    void sgdPickyPairIsATwoExampleDataSet() {
        Objective o = ToyObjectives.parse("sgd-picky");
        assertInstanceOf(FiniteSumObjective.class, o);
        assertEquals(2, o.numExamples());
        // near 0 both examples take the x² branch
        assertEquals(0.04, o.value(new double[] {0.2}), 1e-15);
        assertArrayEquals(new double[] {0.4}, o.gradient(new double[] {0.2}), 1e-15);
        // near 1 both take the c(x − 1)² branch: f1 = 0.004, f2 = 0.076
        assertEquals(0.5 * (0.004 + 0.076), o.value(new double[] {0.8}), 1e-15);
        assertArrayEquals(new double[] {0.5 * (0.2 * -0.2 + 3.8 * -0.2)}, o.gradient(new double[] {0.8}), 1e-14);
        assertArrayEquals(new double[] {0.5 * (0.2 + 3.8)}, o.hvp(new double[] {0.8}, new double[] {1}), 1e-14);
        assertEquals(0.004, o.onBatch(new int[] {0}).value(new double[] {0.8}), 1e-15);
        assertArrayEquals(new double[] {3.8 * -0.2}, o.onBatch(new int[] {1}).gradient(new double[] {0.8}), 1e-14);
        assertArrayEquals(new double[] {0.004, 0.076}, ((FiniteSumObjective) o).perExampleLosses(new double[] {0.8}), 1e-15);
    }

    @Test
    void badSpecsAreOneLineErrors() {
        for (String bad : new String[] {"", "banana", "quadratic", "quadratic:eigs=1,x", "quadratic:eigs=1:basis=odd",
            "rosenbrock:d=1", "linreg:n=0", "xyzw:foo", "xyzw:seed=1", "linreg:eigs=2"}) {
            DriftlabException e = assertThrows(DriftlabException.class, () -> ToyObjectives.parse(bad), bad);
            assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
        }
    }
}
