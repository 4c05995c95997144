package org.driftlab.optim;

import org.driftlab.linalg.Gaussian;
import java.util.SplittableRandom;
import org.driftlab.autodiff.Autodiff;
import org.driftlab.objective.Objective;

/**
 * Stochastic gradient Langevin dynamics: θ' = θ − h·g + √(2hT)·ξ, ξ ∼ N(0, I), with g the (mini-)batch gradient
 * and T the temperature (T = 1/β). This is Euler–Maruyama for dθ = −∇E dt + √(2T) dW, whose stationary law is the
 * Gibbs density ∝ exp(−E/T) as h → 0 (Welling &amp; Teh's convention with their ½ absorbed into h). McAllester's
 * notes write SGD's own noise as dθ = −∇E dt + √(hΣ) dW (temperature hσ²/2 in one dimension); SGLD adds an
 * explicit isotropic temperature on top of whatever noise the mini-batches bring. T = 0 is (S)GD.
 *
 * <p>ξ for step t is drawn from (seed, t) alone ({@link StepRandom}), so the rule has no noise state and resumes
 * bitwise.
 */
public final class Sgld extends SourcedRule {
    private final double temperature;
    private final long seed;

    /** SGLD at temperature T ≥ 0 with noise seeded by seed. */
    public Sgld(GradientSource source, double temperature, long seed) {
        super("sgld", source);
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("SGLD: temperature must be >= 0, got " + temperature);
        }
        this.temperature = temperature;
        this.seed = seed;
    }

    @Override
    public Step step(Objective objective, double[] theta, long t, double h) {
        Autodiff.ValueAndGrad vg = source.next(objective, theta);
        double[] g = vg.gradient();
        double sigma = Math.sqrt(2 * h * temperature);
        SplittableRandom rng = StepRandom.at(seed, t, 1);
        double[] next = descend(theta, h, g); // then + σξ: the same sum, in the same order, as θ − hg + σξ
        for (int i = 0; i < theta.length; i++) {
            next[i] += sigma * Gaussian.draw(rng);
        }
        return new Step(next, vg.value(), g);
    }

    @Override
    public String toString() {
        return "sgld(T=" + temperature + ")";
    }
}
