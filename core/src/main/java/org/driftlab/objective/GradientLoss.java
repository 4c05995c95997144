package org.driftlab.objective;

import java.util.function.UnaryOperator;
import org.driftlab.autodiff.GradMode;
import org.driftlab.autodiff.Var;
import org.driftlab.tensor.Tensor;

/**
 * An analytic objective whose expression itself takes gradients (a modified loss such as E + (h/4)‖∇E‖²). Its
 * value cannot be computed with recording switched off, as {@link Objective#value} does by default, because ∇E
 * inside it would vanish; so this class evaluates the value on a recorded θ.
 */
public final class GradientLoss extends FunctionObjective {
    /** Ẽ(θ) = f(θ) on R^dim, f free to call {@code Autodiff.grad} on θ. */
    public GradientLoss(String name, int dim, UnaryOperator<Var> f) {
        super(name, dim, f);
    }

    /** The value of an expression that takes gradients of θ, with recording on whatever the caller's mode. */
    public static double evaluate(UnaryOperator<Var> f, double[] theta) {
        return GradMode.with(true, () -> f.apply(Var.param(Tensor.vector(theta.clone()))).item());
    }

    @Override
    public double value(double[] theta) {
        checkDim(theta);
        return evaluate(this::loss, theta);
    }
}
