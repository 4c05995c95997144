package org.driftlab.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.UnaryOperator;
import org.driftlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Closed-form oracles for grad, hvp, vjp and jvp, and the error contract of the engine. */
class AutodiffTest {

    private static double[] randn(Random r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }

    @Test
    void hvpOfQuadraticIsAv() {
        Random r = new Random(3);
        int n = 7;
        double[] b = randn(r, n * n);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = b[i * n + j] + b[j * n + i];
            }
        }
        Var am = Var.constant(Tensor.of(a, n, n));
        UnaryOperator<Var> f = t -> F.scale(F.sum(F.mul(F.reshape(t, n, 1), F.matmul(am, F.reshape(t, n, 1)))), 0.5);
        double[] theta = randn(r, n);
        double[] v = randn(r, n);
        double[] hv = Autodiff.hvp(f, theta, v);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += a[i * n + j] * v[j];
            }
            assertEquals(s, hv[i], 1e-12 * Math.max(1, Math.abs(s)));
        }
        double[] g = Autodiff.valueAndGrad(f, theta).gradient();
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += a[i * n + j] * theta[j];
            }
            assertEquals(s, g[i], 1e-12 * Math.max(1, Math.abs(s)));
        }
    }

    /** E(x,y,z,w) = ½(1 − xyzw)²: the Hessian in closed form. */
    @Test
    void hessianOfDeepLinearToyMatchesClosedForm() {
        UnaryOperator<Var> f = t -> {
            Var p = F.mul(F.mul(F.slice(t, 0, 0, 1), F.slice(t, 0, 1, 2)), F.mul(F.slice(t, 0, 2, 3), F.slice(t, 0, 3, 4)));
            return F.scale(F.sum(F.square(F.addScalar(F.neg(p), 1.0))), 0.5);
        };
        Random r = new Random(11);
        for (int trial = 0; trial < 5; trial++) {
            double[] t = randn(r, 4);
            double prod = t[0] * t[1] * t[2] * t[3];
            double[][] h = new double[4][4];
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    double pi = prod / t[i];
                    double pj = prod / t[j];
                    if (i == j) {
                        h[i][j] = pi * pi;
                    } else {
                        double pij = prod / (t[i] * t[j]);
                        h[i][j] = pi * pj - (1 - prod) * pij;
                    }
                }
            }
            for (int j = 0; j < 4; j++) {
                double[] e = new double[4];
                e[j] = 1;
                double[] col = Autodiff.hvp(f, t, e);
                for (int i = 0; i < 4; i++) {
                    assertEquals(h[i][j], col[i], 1e-12 * Math.max(1, Math.abs(h[i][j])), "H[" + i + "," + j + "]");
                }
            }
        }
    }

    /** A tiny tanh MLP: the Hessian built from D HVPs is symmetric and matches differences of gradients. */
    @Test
    void tinyMlpHessianIsSymmetricAndMatchesFiniteDifferences() {
        Random r = new Random(5);
        int nIn = 3, hidden = 4, out = 2, batch = 5;
        Var x = Var.constant(Tensor.of(randn(r, batch * nIn), batch, nIn));
        Var y = Var.constant(Tensor.of(randn(r, batch * out), batch, out));
        int d = hidden * nIn + hidden + out * hidden + out;
        UnaryOperator<Var> f = t -> {
            int o = 0;
            Var w1 = F.reshape(F.slice(t, 0, o, o += hidden * nIn), hidden, nIn);
            Var b1 = F.slice(t, 0, o, o += hidden);
            Var w2 = F.reshape(F.slice(t, 0, o, o += out * hidden), out, hidden);
            Var b2 = F.slice(t, 0, o, o + out);
            Var h = F.tanh(F.add(F.matmul(x, false, w1, true), b1));
            Var z = F.add(F.matmul(h, false, w2, true), b2);
            return F.scale(F.sum(F.square(F.sub(z, y))), 0.5 / batch);
        };
        double[] theta = randn(r, d);
        double[][] h = new double[d][];
        Autodiff.HessianProduct hp = Autodiff.hessianAt(f, theta);
        for (int j = 0; j < d; j++) {
            double[] e = new double[d];
            e[j] = 1;
            h[j] = hp.apply(e);
            double[] fd = FiniteDifferences.hvp(f, theta, e, 1e-5);
            assertTrue(FiniteDifferences.maxRelError(h[j], fd) < 1e-7, "column " + j);
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                assertEquals(h[i][j], h[j][i], 1e-10, "asymmetry at " + i + "," + j);
            }
        }
    }

    @Test
    void jvpAndVjpAreTransposesOfEachOther() {
        Random r = new Random(9);
        Var a = Var.constant(Tensor.of(randn(r, 12), 4, 3));
        UnaryOperator<Var> f = t -> F.tanh(F.reshape(F.matmul(a, F.reshape(F.square(t), 3, 1)), 4));
        double[] theta = randn(r, 3);
        double[] v = randn(r, 3);
        double[] u = randn(r, 4);
        double[] jv = Autodiff.jvp(f, theta, v);
        double[] uj = Autodiff.vjp(f, theta, u);
        double lhs = 0;
        double rhs = 0;
        for (int i = 0; i < 4; i++) {
            lhs += u[i] * jv[i];
        }
        for (int i = 0; i < 3; i++) {
            rhs += uj[i] * v[i];
        }
        assertEquals(lhs, rhs, 1e-12);
        // and J·v against finite differences of f
        double eps = 1e-6;
        double[] p = theta.clone();
        double[] m = theta.clone();
        for (int i = 0; i < 3; i++) {
            p[i] += eps * v[i];
            m[i] -= eps * v[i];
        }
        double[] fp = GradMode.noGrad(() -> f.apply(Var.constant(Tensor.vector(p))).value().data());
        double[] fm = GradMode.noGrad(() -> f.apply(Var.constant(Tensor.vector(m))).value().data());
        // central differences at ε = 1e-6 of O(1) outputs: ε²/6·|∂³f| + u·|f|/ε ≈ 1e-10
        for (int i = 0; i < 4; i++) {
            assertEquals((fp[i] - fm[i]) / (2 * eps), jv[i], 1e-8);
        }
    }

    /** Differentiating through a gradient: ∇(‖∇E‖²) = 2 H ∇E. */
    @Test
    void gradientOfGradientNormIsTwiceHessianTimesGradient() {
        UnaryOperator<Var> e = t -> F.sum(F.mul(F.tanh(t), F.square(t)));
        UnaryOperator<Var> penalty = t -> {
            Var g = Autodiff.grad(e.apply(t), t, true);
            return F.sum(F.square(g));
        };
        double[] theta = {0.3, -1.1, 0.7};
        double[] g = Autodiff.valueAndGrad(e, theta).gradient();
        double[] hg = Autodiff.hvp(e, theta, g);
        double[] pg = Autodiff.valueAndGrad(penalty, theta).gradient();
        for (int i = 0; i < 3; i++) {
            assertEquals(2 * hg[i], pg[i], 1e-12);
        }
    }

    @Test
    void shapeMismatchNamesTheOpAndBothShapes() {
        Var a = Var.param(Tensor.zeros(2, 3));
        Var b = Var.param(Tensor.zeros(4, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.matmul(a, b));
        assertTrue(e.getMessage().contains("matmul") && e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 5]"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> F.add(a, b));
        assertTrue(e2.getMessage().contains("add") && e2.getMessage().contains("[2, 3]") && e2.getMessage().contains("[4, 5]"), e2.getMessage());
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class, () -> F.mul(a, Var.param(Tensor.zeros(3, 2))));
        assertTrue(e3.getMessage().contains("mul") && e3.getMessage().contains("[3, 2]"), e3.getMessage());
    }

    @Test
    void nanPropagatesThroughValuesAndDerivatives() {
        UnaryOperator<Var> f = t -> F.sum(F.mul(F.relu(t), F.tanh(t)));
        double[] theta = {1.0, Double.NaN, -2.0};
        Autodiff.ValueAndGrad vg = Autodiff.valueAndGrad(f, theta);
        assertTrue(Double.isNaN(vg.value()));
        assertTrue(Double.isNaN(vg.gradient()[1]), "NaN input must give NaN derivative, got " + vg.gradient()[1]);
        double[] hv = Autodiff.hvp(f, theta, new double[] {1, 1, 1});
        assertTrue(Double.isNaN(hv[1]));
        UnaryOperator<Var> ce = t -> F.softmaxCrossEntropy(F.reshape(t, 1, 3), new int[] {0});
        assertTrue(Double.isNaN(Autodiff.valueAndGrad(ce, theta).value()));
    }

    @Test
    void gradientOfUnusedVariableIsZeroAndConstantsGetNoGraph() {
        Var x = Var.param(Tensor.vector(1, 2));
        Var unused = Var.param(Tensor.vector(3));
        Var y = F.sum(F.square(x));
        Var[] g = Autodiff.grad(y, new Var[] {x, unused}, false);
        assertEquals(0.0, g[1].value().data()[0]);
        assertTrue(!g[0].requiresGrad(), "first-order gradients are constants");
        Var c = F.exp(Var.constant(Tensor.vector(1, 2)));
        assertTrue(!c.requiresGrad());
    }

    /**
     * Inside a workspace a backward pass without createGraph hands each cotangent back as soon as no waiting
     * contribution holds it: through a chain of twelve tanh layers on [200, 100] (every cotangent large enough to be
     * recycled) the pass ends holding only its result's array, where keeping everything would hold about three per
     * layer; and the gradients are bitwise those computed outside any workspace, though the build poisons every
     * recycled array with NaN.
     */
    @Test
    void aBackwardPassInsideAWorkspaceHoldsOnlyWhatIsStillWaiting() {
        Random r = new Random(11);
        int rows = 200;
        int width = 100;
        assertTrue(rows * width >= org.driftlab.tensor.Workspace.MIN_LENGTH, "cotangents must be recyclable");
        Var x = Var.param(Tensor.of(r.doubles(rows * width, -1, 1).toArray(), rows, width));
        Var[] weights = new Var[12];
        Var h = x;
        for (int l = 0; l < weights.length; l++) {
            weights[l] = Var.param(Tensor.of(r.doubles(width * width, -0.2, 0.2).toArray(), width, width));
            h = F.tanh(F.matmul(h, weights[l]));
        }
        Var y = F.sum(F.mul(h, h));
        Var[] wrt = new Var[weights.length + 1];
        wrt[0] = x;
        System.arraycopy(weights, 0, wrt, 1, weights.length);
        Var[] reference = Autodiff.grad(y, wrt, false);
        for (int round = 0; round < 2; round++) { // the second round runs on recycled, poisoned arrays
            try (org.driftlab.tensor.Workspace ws = org.driftlab.tensor.Workspace.open()) {
                Var[] g = Autodiff.grad(y, wrt, false);
                // x's gradient [200, 100] is the one large array the pass hands out and keeps (the weights' are small)
                assertEquals(1, org.driftlab.tensor.Workspace.mark(), "arrays still lent after the pass, round " + round);
                for (int i = 0; i < wrt.length; i++) {
                    assertTrue(java.util.Arrays.equals(reference[i].value().data(), g[i].value().data()),
                            "gradient " + i + ", round " + round);
                }
            }
        }
    }
}
