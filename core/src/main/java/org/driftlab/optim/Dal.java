package org.driftlab.optim;

import org.driftlab.autodiff.Autodiff;
import org.driftlab.linalg.Vectors;
import org.driftlab.objective.Objective;

/**
 * Drift-adaptive learning rate (DAL, Rosca et al. TMLR 2023; DeepMind's {@code dal.py}): θ' = θ − h(θ)·g with
 * g = ∇E(θ), ζ = ‖∇²E g‖/‖g‖ and h(θ) = min(2/ζ^p, h_max). DAL is p = 1 (h = 2/ζ puts the step at the edge of
 * stability of the direction g is aligned with, since ζ = λ when g is an eigenvector); p = 0 is fixed-rate GD
 * with h = min(2, h_max). h_max defaults to 5 as in {@code dal.py}, where the gradient is scaled by
 * clip(2/(h·ζ^p), 0, h_max/h) and then applied with the static rate h, so <b>the static rate h cancels: the
 * {@code h} passed to {@link #step} is ignored</b>. ζ comes from one exact Hessian-vector product on the same
 * (mini-)batch as g. At a stationary point (g = 0) θ does not move.
 */
public final class Dal extends SourcedRule {
    private final double p;
    private final double maxRate;
    private double lastRate = Double.NaN;
    private double lastZeta = Double.NaN;

    /** DAL-p with exponent p ≥ 0 and cap h_max &gt; 0. */
    public Dal(String name, GradientSource source, double p, double maxRate) {
        super(name, source);
        if (!(p >= 0) || !(maxRate > 0)) {
            throw new IllegalArgumentException("DAL: p must be >= 0 and h_max > 0, got p=" + p + ", h_max=" + maxRate);
        }
        this.p = p;
        this.maxRate = maxRate;
    }

    /** The DAL rate min(2/ζ^p, h_max) for a given ζ (for p &gt; 0, ζ = 0 or NaN gives h_max; p = 0 gives min(2, h_max)). */
    public static double rate(double zeta, double p, double maxRate) {
        double r = 2 / Math.pow(zeta, p);
        return Double.isNaN(r) ? maxRate : Math.min(r, maxRate);
    }

    @Override
    public Step step(Objective objective, double[] theta, long t, double h) {
        Objective batch = source.nextBatch(objective);
        double value;
        double[] g;
        if (p == 0) { // h = min(2, h_max) whatever ζ is: no Hessian product needed
            Autodiff.ValueAndGrad vg = batch.valueAndGradient(theta);
            value = vg.value();
            g = vg.gradient();
            lastZeta = Double.NaN;
        } else { // ∇E and ∇²E·∇E from one graph
            Objective.SecondOrder local = batch.secondOrder(theta);
            value = local.value();
            g = local.gradient();
            double gn = Vectors.norm(g);
            lastZeta = gn == 0 ? Double.NaN : Vectors.norm(local.hessian().apply(g)) / gn;
        }
        lastRate = rate(lastZeta, p, maxRate);
        return new Step(descend(theta, lastRate, g), value, g);
    }

    /** h(θ) of the last step: the spec's h plays no part in DAL. */
    @Override
    public double lastStepRate(double h) {
        return lastRate;
    }

    /** The learning rate h(θ) of the last step (NaN before the first). */
    public double lastRate() {
        return lastRate;
    }

    /** ζ = ‖∇²E g‖/‖g‖ at the last step's θ (NaN before the first step or at g = 0). */
    public double lastZeta() {
        return lastZeta;
    }

    @Override
    public String toString() {
        return name() + "(p=" + p + ", h_max=" + maxRate + ")";
    }
}
