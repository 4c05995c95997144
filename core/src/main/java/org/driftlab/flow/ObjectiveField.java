package org.driftlab.flow;

import java.util.Objects;
import org.driftlab.objective.Objective;

/**
 * What the vector fields of an {@link Objective} share (gradient flow, the IGR and third-order modified flows, the
 * Principal Flow, the central flows): the objective E, the learning rate h they model, D = E's dimension, and the
 * check of a state's length before {@link #evaluate} sees it. Subclasses check h (≥ 0 for the modified flows,
 * &gt; 0 where 2/h appears) and implement {@link #evaluate}. Immutable.
 */
public abstract class ObjectiveField implements VectorField {
    private final Objective objective;
    private final double h;

    /** A field of E at learning rate h (already checked by the subclass). */
    protected ObjectiveField(Objective objective, double h) {
        this.objective = Objects.requireNonNull(objective, "objective");
        this.h = h;
    }

    /** The objective E. */
    public final Objective objective() {
        return objective;
    }

    /** The learning rate h (0 for gradient flow, the h → 0 limit of every modified flow). */
    public final double h() {
        return h;
    }

    @Override
    public final int dim() {
        return objective.dim();
    }

    @Override
    public final double[] derivative(double[] state) {
        checkState(state);
        return evaluate(state);
    }

    /** f(state) for a state whose length has been checked; a new array of length {@link #stateDim()}. */
    protected abstract double[] evaluate(double[] state);

    /** −g − c·v, a new array: the form θ̇ = −∇E − c·v of the first-order corrected flows (v = null: −g). */
    static double[] descent(double[] g, double c, double[] v) {
        double[] out = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = v == null ? -g[i] : -g[i] - c * v[i];
        }
        return out;
    }
}
