package org.driftlab.optim;

import org.driftlab.autodiff.Autodiff;
import org.driftlab.objective.Objective;

/**
 * Base of the first-order rules: take a gradient g from a {@link GradientSource}, then map (θ, g, h) to θ'
 * with the rule's buffers. Buffers are allocated at the first step, when D is known.
 */
public abstract class GradientRule implements UpdateRule {
    private final String name;
    private final GradientSource source;

    protected GradientRule(String name, GradientSource source) {
        this.name = name;
        this.source = source;
    }

    @Override
    public final String name() {
        return name;
    }

    /** θ' from θ, the gradient g at θ, the step index t and the learning rate h. */
    protected abstract double[] update(double[] theta, double[] g, long t, double h);

    /** The rule's vector buffers (null entries when not yet allocated). */
    protected abstract double[][] buffers();

    /** Replaces the buffers (null entries for unallocated ones). */
    protected abstract void setBuffers(double[][] buffers);

    @Override
    public final Step step(Objective objective, double[] theta, long t, double h) {
        Autodiff.ValueAndGrad vg = source.next(objective, theta);
        double[] g = vg.gradient();
        return new Step(update(theta, g, t, h), vg.value(), g);
    }

    @Override
    public final RuleState state() {
        double[][] b = buffers();
        double[][] copy = new double[b.length][];
        for (int i = 0; i < b.length; i++) {
            copy[i] = b[i] == null ? new double[0] : b[i];
        }
        return new RuleState(copy, source.state());
    }

    @Override
    public final void restore(RuleState state) {
        double[][] v = state.vectors();
        if (v.length != buffers().length) {
            throw new IllegalArgumentException(name + ": state has " + v.length + " vectors, expected " + buffers().length);
        }
        double[][] b = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i].length == 0 ? null : v[i];
        }
        setBuffers(b);
        source.restore(state.counters());
    }

    /** A rule without buffers (GD, normalised GD): its state is its gradient source's counters alone. */
    public abstract static class Stateless extends GradientRule {
        /** A stateless rule named name on the given gradient source. */
        protected Stateless(String name, GradientSource source) {
            super(name, source);
        }

        @Override
        protected final double[][] buffers() {
            return new double[0][];
        }

        @Override
        protected final void setBuffers(double[][] buffers) {
            // nothing to restore: restore() has checked that there are no buffers
        }
    }

    /** Zeros of length n when the buffer is not yet allocated. */
    static double[] orZeros(double[] buffer, int n) {
        return buffer == null ? new double[n] : buffer;
    }

    @Override
    public String toString() {
        return name;
    }
}
