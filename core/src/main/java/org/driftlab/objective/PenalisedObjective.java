package org.driftlab.objective;

import java.util.Map;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;

/**
 * Ẽ(θ) = E(θ) + α·P(θ): an objective with an explicit regulariser. On a mini-batch the penalty is taken on the
 * same mini-batch ({@link #onBatch} penalises the base objective's batch), which is what a regularised SGD step
 * descends. Metrics stay those of the un-penalised E, so logs report the loss being studied, not the surrogate.
 */
public final class PenalisedObjective implements Objective {
    private final Objective base;
    private final Penalty penalty;
    private final double coefficient;

    /** E + coefficient·P on base. */
    public PenalisedObjective(Objective base, Penalty penalty, double coefficient) {
        this.base = base;
        this.penalty = penalty;
        this.coefficient = coefficient;
    }

    /** The un-penalised objective E. */
    public Objective base() {
        return base;
    }

    /** α. */
    public double coefficient() {
        return coefficient;
    }

    /** P(θ) alone. */
    public double penaltyValue(double[] theta) {
        checkDim(theta);
        return GradientLoss.evaluate(t -> penalty.apply(base, t, base.loss(t)), theta);
    }

    /** Ẽ(θ), evaluated with recording on since P takes gradients of θ. */
    @Override
    public double value(double[] theta) {
        checkDim(theta);
        return GradientLoss.evaluate(this::loss, theta);
    }

    @Override
    public int dim() {
        return base.dim();
    }

    @Override
    public Var loss(Var theta) {
        Var e = base.loss(theta);
        return F.add(e, F.scale(penalty.apply(base, theta, e), coefficient));
    }

    @Override
    public int numExamples() {
        return base.numExamples();
    }

    @Override
    public Objective onBatch(int[] indices) {
        return new PenalisedObjective(base.onBatch(indices), penalty, coefficient);
    }

    @Override
    public Map<String, Double> metrics(double[] theta) {
        return base.metrics(theta);
    }

    @Override
    public String toString() {
        return base + " + " + coefficient + "·P";
    }
}
