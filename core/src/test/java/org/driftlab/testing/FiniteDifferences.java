package org.driftlab.testing;

import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Central finite differences on flat vectors, the tests' oracle for gradients, Hessian-vector products and third
 * derivatives computed by autodiff: the one definition the objective, optim and flow tests share. The truncation
 * error is O(ε²) times the next odd derivative, the rounding error O(u·|f|/ε) (u ≈ 1.1e-16), so ε ≈ 1e-5 leaves
 * about 1e-10 relative on smooth test problems; callers state their tolerance against that.
 */
public final class FiniteDifferences {
    private FiniteDifferences() {}

    /** ∂f/∂x_i by (f(x + εe_i) − f(x − εe_i)) / 2ε for every i. */
    public static double[] gradient(ToDoubleFunction<double[]> f, double[] x, double eps) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double[] p = x.clone();
            double[] m = x.clone();
            p[i] += eps;
            m[i] -= eps;
            g[i] = (f.applyAsDouble(p) - f.applyAsDouble(m)) / (2 * eps);
        }
        return g;
    }

    /**
     * The derivative of a vector function along v, (f(x + εv) − f(x − εv)) / 2ε: H·v when f is the gradient, the
     * third derivative along (v, w) when f is x ↦ H(x)·w.
     */
    public static double[] directional(Function<double[], double[]> f, double[] x, double[] v, double eps) {
        double[] p = x.clone();
        double[] m = x.clone();
        for (int i = 0; i < x.length; i++) {
            p[i] += eps * v[i];
            m[i] -= eps * v[i];
        }
        double[] a = f.apply(p);
        double[] b = f.apply(m);
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (a[i] - b[i]) / (2 * eps);
        }
        return out;
    }

    /** The Jacobian J[i][c] = ∂f_i/∂x_c of a map R^d → R^d, column c the directional derivative along e_c. */
    public static double[][] jacobian(Function<double[], double[]> f, double[] x, double eps) {
        int d = x.length;
        double[][] j = new double[d][d];
        for (int c = 0; c < d; c++) {
            double[] e = new double[d];
            e[c] = 1;
            double[] col = directional(f, x, e, eps);
            for (int i = 0; i < d; i++) {
                j[i][c] = col[i];
            }
        }
        return j;
    }
}
