package org.driftlab.objective;

import java.util.function.UnaryOperator;
import org.driftlab.autodiff.Var;

/** An analytic objective given by one differentiable expression of θ (no data set). */
public final class FunctionObjective implements Objective {
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
    public int dim() {
        return dim;
    }

    @Override
    public Var loss(Var theta) {
        return f.apply(theta);
    }

    @Override
    public String toString() {
        return name;
    }
}
