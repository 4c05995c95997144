package org.driftlab.optim;

import org.driftlab.autodiff.Autodiff;
import org.driftlab.autodiff.Var;
import org.driftlab.objective.Objective;
import org.driftlab.objective.Penalties;
import org.driftlab.objective.Penalty;

/**
 * G-TRACER's penalty (Williams &amp; Roberts 2023, the seed slides): Ẽ = E + ρ·Tr(G⁻¹H) with G ← (1−β)G + βF.
 * Implemented exactly as: F is the diagonal empirical Fisher of the step's batch, g⊙g with g = ∇E_batch(θ_t)
 * (Adam's second-moment reading, the "G-ADAM" of the slides); the penalty at step t uses G_{t−1} (G_{−1} := g_0⊙g_0,
 * no zero start), damped as G⁻¹ = diag(1/(G_i + δ)) and held constant in ∇P; Tr(G⁻¹H) is estimated by Hutchinson,
 * (1/m)Σ_j (G⁻¹v_j)ᵀH v_j with m = {@code samples} Rademacher probes. After the step G_t = (1−β)G_{t−1} + β g_t⊙g_t.
 * G is the penalty's state, checkpointed with the rule.
 */
public final class GTracer implements Regularized.StepPenalty {
    private final int samples;
    private final double beta;
    private final double delta;
    private double[] fisherEma; // G; null before the first step

    /**
     * @param samples Hutchinson probes per step
     * @param beta EMA weight of the new Fisher diagonal, in (0, 1]
     * @param delta damping of G⁻¹, &gt; 0
     */
    public GTracer(int samples, double beta, double delta) {
        this.samples = samples;
        this.beta = beta;
        this.delta = delta;
    }

    /** G (a copy), null before the first step. */
    public double[] fisherDiagonal() {
        return fisherEma == null ? null : fisherEma.clone();
    }

    @Override
    public Penalty at(long t, long seed) {
        return new TraceRatio(fisherEma, delta, samples, seed);
    }

    @Override
    public void afterStep(Penalty used) {
        if (used instanceof TraceRatio tr && tr.observed != null) {
            double[] g = tr.observed;
            if (fisherEma == null) {
                fisherEma = tr.fisherUsed;
            }
            for (int i = 0; i < g.length; i++) {
                fisherEma[i] = (1 - beta) * fisherEma[i] + beta * g[i] * g[i];
            }
        }
    }

    @Override
    public double[] state() {
        return fisherEma == null ? new double[0] : fisherEma.clone();
    }

    @Override
    public void restore(double[] state) {
        fisherEma = state.length == 0 ? null : state.clone();
    }

    /** Tr(G⁻¹H) for one step; remembers the un-penalised gradient it saw first (g_t). */
    private static final class TraceRatio implements Penalty {
        private final double[] previous;
        private final double delta;
        private final int samples;
        private final long seed;
        private double[] observed;
        private double[] fisherUsed;
        private double[][] probes;
        private double[][] weighted;

        TraceRatio(double[] previous, double delta, int samples, long seed) {
            this.previous = previous == null ? null : previous.clone();
            this.delta = delta;
            this.samples = samples;
            this.seed = seed;
        }

        @Override
        public Var apply(Objective on, Var theta, Var loss) {
            Var g = Autodiff.grad(loss, theta, true);
            if (probes == null) {
                // g_t: the un-penalised batch gradient at the first θ of the step, read off the graph being built
                observed = g.value().data().clone();
                fisherUsed = new double[observed.length];
                double[] inverse = new double[observed.length];
                for (int i = 0; i < observed.length; i++) {
                    fisherUsed[i] = previous != null ? previous[i] : observed[i] * observed[i];
                    inverse[i] = 1 / (fisherUsed[i] + delta);
                }
                probes = Penalties.rademacher(samples, observed.length, seed);
                weighted = Penalties.weight(probes, inverse);
            }
            return Penalties.hutchinson(g, theta, probes, weighted);
        }
    }
}
