package org.driftlab.flow;

import org.driftlab.objective.Objective;

/**
 * The implicit-gradient-regularisation flow (Barrett &amp; Dherin, ICLR 2021) θ̇ = −∇E − (h/2)∇²E∇E, the gradient
 * flow of the modified loss E + (h/4)‖∇E‖². GD with learning rate h follows it with a one-step local error O(h³).
 */
public final class IgrFlow extends ObjectiveField {
    /** IGR flow of E for learning rate h ≥ 0 (h = 0 is the NGF). */
    public IgrFlow(Objective objective, double h) {
        super(objective, Checks.learningRate(h));
    }

    @Override
    protected double[] evaluate(double[] state) {
        Objective.SecondOrder local = objective().secondOrder(state);
        double[] g = local.gradient();
        return descent(g, 0.5 * h(), local.hessian().apply(g));
    }

    @Override
    public String name() {
        return "igr";
    }
}
