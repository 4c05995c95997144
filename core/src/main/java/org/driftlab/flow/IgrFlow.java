package org.driftlab.flow;

import java.util.Objects;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.objective.Objective;

/**
 * The implicit-gradient-regularisation flow (Barrett &amp; Dherin, ICLR 2021) θ̇ = −∇E − (h/2)∇²E∇E, the gradient
 * flow of the modified loss E + (h/4)‖∇E‖². GD with learning rate h follows it with a one-step local error O(h³).
 */
public final class IgrFlow implements VectorField {
    private final Objective objective;
    private final double h;

    /** IGR flow of E for learning rate h ≥ 0 (h = 0 is the NGF). */
    public IgrFlow(Objective objective, double h) {
        this.objective = Objects.requireNonNull(objective, "objective");
        this.h = Checks.learningRate(h);
    }

    /** The learning rate h. */
    public double h() {
        return h;
    }

    @Override
    public int dim() {
        return objective.dim();
    }

    @Override
    public double[] derivative(double[] state) {
        checkState(state);
        Objective.SecondOrder local = objective.secondOrder(state);
        double[] g = local.gradient();
        double[] hg = local.hessian().apply(g);
        double[] out = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = -g[i] - 0.5 * h * hg[i];
        }
        return out;
    }

    @Override
    public String name() {
        return "igr";
    }
}
