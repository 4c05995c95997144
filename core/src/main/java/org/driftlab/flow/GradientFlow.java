package org.driftlab.flow;

import org.driftlab.objective.Objective;

/**
 * The negative gradient flow (NGF) θ̇ = −∇E(θ): the h → 0 limit of gradient descent. GD's one-step local error
 * against it is O(h²).
 */
public final class GradientFlow extends ObjectiveField {
    /** NGF of E. */
    public GradientFlow(Objective objective) {
        super(objective, 0);
    }

    @Override
    protected double[] evaluate(double[] state) {
        return descent(objective().gradient(state), 0, null);
    }

    @Override
    public String name() {
        return "ngf";
    }
}
