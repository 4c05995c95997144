package org.driftlab.flow;

import java.util.Objects;
import org.driftlab.objective.Objective;

/**
 * The negative gradient flow (NGF) θ̇ = −∇E(θ): the h → 0 limit of gradient descent. GD's one-step local error
 * against it is O(h²).
 */
public final class GradientFlow implements VectorField {
    private final Objective objective;

    /** NGF of E. */
    public GradientFlow(Objective objective) {
        this.objective = Objects.requireNonNull(objective, "objective");
    }

    @Override
    public int dim() {
        return objective.dim();
    }

    @Override
    public double[] derivative(double[] state) {
        checkState(state);
        double[] g = objective.gradient(state);
        double[] out = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = -g[i];
        }
        return out;
    }

    @Override
    public String name() {
        return "ngf";
    }
}
