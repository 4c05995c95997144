package org.driftlab.objective;

import java.util.function.UnaryOperator;
import org.driftlab.autodiff.Var;

/**
 * An analytic objective given by one differentiable expression of θ (no data set). Not final: {@link GradientLoss}
 * is the same objective with an expression that takes gradients itself, and changes only how the value is evaluated.
 */
public class FunctionObjective implements Objective {
    private final String name;
    private final int dim;
    private final UnaryOperator<Var> f;

    /** E(θ) = f(θ) for θ ∈ R^dim; name is used in logs (e.g. the spec it was parsed from). */
    public FunctionObjective(String name, int dim, UnaryOperator<Var> f) {
        this.name = name;
        this.dim = dim;
        this.f = f;
    }

    @Override
    public final int dim() {
        return dim;
    }

    @Override
    public final Var loss(Var theta) {
        return f.apply(theta);
    }

    @Override
    public final String toString() {
        return name;
    }
}
