package org.driftlab.autodiff;

import java.util.function.UnaryOperator;
import org.driftlab.tensor.Tensor;

/**
 * Central finite differences of expressions in {@link Var}: the test oracle for every derivative rule (never used by
 * the library), through the shared {@link org.driftlab.testing.FiniteDifferences}.
 */
final class FiniteDifferences {
    private FiniteDifferences() {}

    static double value(UnaryOperator<Var> f, double[] x) {
        return GradMode.noGrad(() -> f.apply(Var.constant(Tensor.vector(x.clone()))).item());
    }

    /** ∂f/∂x_i by (f(x+εe_i) − f(x−εe_i))/2ε. */
    static double[] gradient(UnaryOperator<Var> f, double[] x, double eps) {
        return org.driftlab.testing.FiniteDifferences.gradient(p -> value(f, p), x, eps);
    }

    /** H·v by central differences of the exact gradient along v. */
    static double[] hvp(UnaryOperator<Var> f, double[] x, double[] v, double eps) {
        return org.driftlab.testing.FiniteDifferences.directional(p -> Autodiff.valueAndGrad(f, p).gradient(), x, v, eps);
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
