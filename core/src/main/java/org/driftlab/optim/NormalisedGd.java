package org.driftlab.optim;

import org.driftlab.linalg.Vectors;

/** Normalised GD: θ' = θ − h·g/‖g‖ (no move when g = 0). Every step has length exactly h. */
public final class NormalisedGd extends GradientRule.Stateless {
    /** Normalised GD on the given gradient source. */
    public NormalisedGd(GradientSource source) {
        super("ngd", source);
    }

    @Override
    protected double[] update(double[] theta, double[] g, long t, double h) {
        double norm = Vectors.norm(g);
        double[] next = theta.clone();
        if (norm > 0) {
            for (int i = 0; i < theta.length; i++) {
                next[i] = theta[i] - h * (g[i] / norm);
            }
        }
        return next;
    }
}
