package org.driftlab.optim;

/**
 * Gradient descent θ' = θ − h·g. With the full-batch source it is GD; with mini-batches, SGD. Both use this
 * one expression, so SGD with one batch of all examples in order equals GD bitwise.
 */
public final class Gd extends GradientRule.Stateless {
    /** GD (full batch) or SGD (mini-batches), named after the spec. */
    public Gd(String name, GradientSource source) {
        super(name, source);
    }

    @Override
    protected double[] update(double[] theta, double[] g, long t, double h) {
        double[] next = new double[theta.length];
        for (int i = 0; i < theta.length; i++) {
            next[i] = theta[i] - h * g[i];
        }
        return next;
    }
}
