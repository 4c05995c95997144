package org.driftlab.optim;

/**
 * Base of the rules that hold no vectors of their own but drive their {@link GradientSource} themselves (DAL and
 * SAM evaluate more than one quantity on one batch; SGLD adds noise drawn from the step index): their state is the
 * source's counters, and their step ends in θ − h·d.
 */
public abstract class SourcedRule implements UpdateRule {
    private final String name;
    /** Where the step's batch comes from. */
    protected final GradientSource source;

    protected SourcedRule(String name, GradientSource source) {
        this.name = name;
        this.source = source;
    }

    @Override
    public final String name() {
        return name;
    }

    /** θ − h·d, a new array (θ is not modified). */
    protected static double[] descend(double[] theta, double h, double[] d) {
        double[] next = new double[theta.length];
        for (int i = 0; i < theta.length; i++) {
            next[i] = theta[i] - h * d[i];
        }
        return next;
    }

    /** No vectors; the source's counters (epoch, position). */
    @Override
    public final RuleState state() {
        return new RuleState(new double[0][], source.state());
    }

    @Override
    public final void restore(RuleState state) {
        source.restore(state.counters());
    }
}
