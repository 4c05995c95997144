package org.driftlab.autodiff;

import java.util.function.UnaryOperator;
import org.driftlab.tensor.Tensor;

/** Central finite differences: the test oracle for every derivative rule (never used by the library). */
final class FiniteDifferences {
    private FiniteDifferences() {}

    static double value(UnaryOperator<Var> f, double[] x) {
        return GradMode.noGrad(() -> f.apply(Var.constant(Tensor.vector(x.clone()))).item());
    }

    /** ∂f/∂x_i by (f(x+εe_i) − f(x−εe_i))/2ε. */
    static double[] gradient(UnaryOperator<Var> f, double[] x, double eps) {
        double[] g = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double[] p = x.clone();
            double[] m = x.clone();
            p[i] += eps;
            m[i] -= eps;
            g[i] = (value(f, p) - value(f, m)) / (2 * eps);
        }
        return g;
    }

    /** H·v by central differences of the exact gradient along v. */
    static double[] hvp(UnaryOperator<Var> f, double[] x, double[] v, double eps) {
        double[] p = x.clone();
        double[] m = x.clone();
        for (int i = 0; i < x.length; i++) {
            p[i] += eps * v[i];
            m[i] -= eps * v[i];
        }
        double[] gp = Autodiff.valueAndGrad(f, p).gradient();
        double[] gm = Autodiff.valueAndGrad(f, m).gradient();
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = (gp[i] - gm[i]) / (2 * eps);
        }
        return r;
    }

    static double maxRelError(double[] a, double[] b) {
        double scale = 1e-3;
        for (double v : b) {
            scale = Math.max(scale, Math.abs(v));
        }
        double e = 0;
        for (int i = 0; i < a.length; i++) {
            e = Math.max(e, Math.abs(a[i] - b[i]));
        }
        return e / scale;
    }
}
