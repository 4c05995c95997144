package org.driftlab.optim;

import org.driftlab.objective.Objective;

/**
 * A discrete map θ_t → θ_{t+1} driven by an {@link Objective}. A rule owns its state explicitly (momentum
 * buffers, moment estimates, the mini-batch sampler) so that a run can be checkpointed through
 * {@link #state()} and continued bitwise-identically after {@link #restore(RuleState)}.
 */
public interface UpdateRule {
    /** The rule's name as used in specs (gd, sgd, momentum, ...). */
    String name();

    /**
     * Takes one step from θ_t with learning rate h. θ is not modified.
     *
     * @param t the index of this step (0 for the first update)
     */
    Step step(Objective objective, double[] theta, long t, double h);

    /**
     * The learning rate the last {@link #step} actually used, given the h it was called with: h itself for
     * every rule with a prescribed rate; an adaptive rule (DAL) reports its own, so the run's time t = Σ h is
     * the time its iterates really travelled.
     */
    default double lastStepRate(double h) {
        return h;
    }

    /** A snapshot of the rule's state (copies). */
    RuleState state();

    /** Restores a state produced by {@link #state()} of a rule built from the same configuration. */
    void restore(RuleState state);

    /**
     * The result of one step.
     *
     * @param theta θ_{t+1}
     * @param loss E (or the mini-batch loss) at θ_t, a by-product of the gradient evaluation
     * @param gradient the (mini-batch) gradient used at θ_t
     */
    record Step(double[] theta, double loss, double[] gradient) {}
}
