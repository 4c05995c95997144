package org.driftlab.optim;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.autodiff.Autodiff;
import org.driftlab.autodiff.Var;
import org.driftlab.curvature.GradientCovariance;
import org.driftlab.objective.ModifiedLosses;
import org.driftlab.objective.NetObjective;
import org.driftlab.objective.Objective;
import org.driftlab.objective.PenalisedObjective;
import org.driftlab.objective.Penalties;
import org.driftlab.objective.Penalty;

/**
 * Any update rule run on a penalised loss Ẽ = E + α·P(θ): at step t the rule builds P for that step (its random
 * draws seeded by (seed, t)), wraps the objective in a {@link PenalisedObjective} and lets the inner rule step on
 * it, so the penalty is taken on the same mini-batch as the inner rule's gradient. The step's loss is Ẽ on that
 * batch. The penalties ({@link Config#name}):
 *
 * <ul>
 *   <li>{@code igr}: α‖∇E‖², the explicit IGR / EGR penalty (Barrett &amp; Dherin); α defaults to h/4 with the
 *       step's h, which makes ∇Ẽ = ∇E + (h/2)∇²E∇E.</li>
 *   <li>{@code grad-norm}: α‖∇E‖^q with the true labels (GP of Jastrzebski et al.; q = 1 is SAM's first-order
 *       penalty).</li>
 *   <li>{@code fisher}: α‖∇E(x, ŷ)‖^q, the Fisher penalty (Jastrzebski et al., ICML 2021): the norm of the
 *       mean gradient over the batch with labels ŷ_i drawn from the model's predictive distribution at θ_t
 *       ({@link GradientCovariance#withSampledLabels}: ŷ ∼ softmax(f(x)) for ce, f(x) + N(0, I) for mse), seeded per
 *       step and then held fixed, so ∇P treats ŷ as data. q = 1 is the seed slides' definition, q = 2 the later
 *       literature's (whose expectation is about Tr F/B). Needs a network objective.</li>
 *   <li>{@code micro-batch}: α·(1/m)Σ_k ‖∇E_k‖² over consecutive micro-batches of {@code micro_batch} examples of
 *       the step's batch: Smith et al.'s implicit SGD regulariser made explicit (Novack et al.'s RegLoss).</li>
 *   <li>{@code hessian-trace}: α·Tr ∇²E by Hutchinson with {@code samples} Rademacher probes drawn per step.</li>
 *   <li>{@code gtracer}: G-TRACER (Williams &amp; Roberts 2023, the seed slides): Ẽ = E + ρ·Tr(G⁻¹H) with
 *       G ← (1−β)G + βF. Implemented exactly as: F is the diagonal empirical Fisher of the step's batch, g⊙g with
 *       g = ∇E_batch(θ_t) (Adam's second-moment reading, the "G-ADAM" of the slides); the penalty at step t uses
 *       G_{t−1} (G_{−1} := g_0⊙g_0, no zero start), damped as G⁻¹ = diag(1/(G_i + δ)) and held constant in ∇P;
 *       Tr(G⁻¹H) is estimated by Hutchinson, (1/m)Σ_j (G⁻¹v_j)ᵀH v_j with m = {@code samples} Rademacher probes.
 *       After the step G_t = (1−β)G_{t−1} + β g_t⊙g_t. G is the rule's checkpointed state.</li>
 * </ul>
 */
public final class Regularized implements UpdateRule {
    /** Penalty names accepted by {@link Config}. */
    public static final List<String> NAMES = List.of("igr", "grad-norm", "fisher", "micro-batch", "hessian-trace", "gtracer");

    /**
     * A penalty's configuration.
     *
     * @param coef α (ρ for gtracer); null only for igr, meaning h/4
     * @param q the norm's power for grad-norm and fisher
     * @param samples Hutchinson probes for hessian-trace and gtracer
     * @param microBatch micro-batch size for micro-batch
     * @param beta G-TRACER's EMA weight of the new Fisher diagonal
     * @param delta G-TRACER's damping of G⁻¹
     */
    public record Config(String name, Double coef, double q, int samples, int microBatch, double beta, double delta) {
        /** Validates (user-facing messages name the spec key). */
        public Config {
            if (!NAMES.contains(name)) {
                throw new DriftlabException("regularizer.name: '" + name + "' is not one of " + String.join(", ", NAMES));
            }
            if (coef == null && !name.equals("igr")) {
                throw new DriftlabException("regularizer.coef: " + name + " needs a coefficient");
            }
            if (coef != null && (!(coef >= 0) || coef.isInfinite())) {
                throw new DriftlabException("regularizer.coef: " + coef + " must be a number >= 0");
            }
            if (!(q > 0) || Double.isInfinite(q)) {
                throw new DriftlabException("regularizer.q: " + q + " must be > 0 (1 or 2 in the papers)");
            }
            if (samples < 1) {
                throw new DriftlabException("regularizer.samples: " + samples + " must be >= 1");
            }
            if (microBatch < 1) {
                throw new DriftlabException("regularizer.micro_batch: " + microBatch + " must be >= 1");
            }
            if (!(beta > 0 && beta <= 1)) {
                throw new DriftlabException("regularizer.beta: " + beta + " must be in (0, 1]");
            }
            if (!(delta > 0) || Double.isInfinite(delta)) {
                throw new DriftlabException("regularizer.delta: " + delta + " must be > 0");
            }
        }
    }

    private final UpdateRule inner;
    private final Config config;
    private final long seed;
    private double[] fisherEma; // G-TRACER's G; null before the first step

    /** The inner rule on E + α·P, P as configured; random draws from seed. */
    public Regularized(UpdateRule inner, Config config, long seed) {
        this.inner = inner;
        this.config = config;
        this.seed = seed;
    }

    @Override
    public String name() {
        return inner.name() + "+" + config.name();
    }

    /** The configuration. */
    public Config config() {
        return config;
    }

    /** G-TRACER's G (a copy), null for other penalties or before the first step. */
    public double[] fisherDiagonal() {
        return fisherEma == null ? null : fisherEma.clone();
    }

    /** The inner rule's rate (DAL under a penalty still chooses its own h). */
    @Override
    public double lastStepRate(double h) {
        return inner.lastStepRate(h);
    }

    /** The penalty of step t (fixed draws), as the inner rule will see it; for tests and probes. */
    public Penalty penaltyAt(long t) {
        long s = StepRandom.seed(seed, t, 2);
        return switch (config.name()) {
            case "igr" -> Penalties.gradientNorm(2);
            case "grad-norm" -> Penalties.gradientNorm(config.q());
            case "fisher" -> fisher(config.q(), s);
            case "micro-batch" -> Penalties.microBatchGradientNorm(config.microBatch());
            case "hessian-trace" -> Penalties.hessianTrace(config.samples(), s);
            case "gtracer" -> new TraceRatio(fisherEma, config.delta(), config.samples(), s);
            default -> throw new IllegalStateException(config.name());
        };
    }

    /** α at step size h. */
    public double coefficient(double h) {
        return config.coef() == null ? h / 4 : config.coef();
    }

    @Override
    public Step step(Objective objective, double[] theta, long t, double h) {
        Penalty p = penaltyAt(t);
        Step s = inner.step(new PenalisedObjective(objective, p, coefficient(h)), theta, t, h);
        if (p instanceof TraceRatio tr && tr.observedGradient() != null) {
            double[] g = tr.observedGradient();
            if (fisherEma == null) {
                fisherEma = tr.fisherUsed();
            }
            double b = config.beta();
            for (int i = 0; i < g.length; i++) {
                fisherEma[i] = (1 - b) * fisherEma[i] + b * g[i] * g[i];
            }
        }
        return s;
    }

    @Override
    public RuleState state() {
        RuleState in = inner.state();
        double[][] v = Arrays.copyOf(in.vectors(), in.vectors().length + 1);
        v[v.length - 1] = fisherEma == null ? new double[0] : fisherEma;
        return new RuleState(v, in.counters());
    }

    @Override
    public void restore(RuleState state) {
        double[][] v = state.vectors();
        if (v.length < 1) {
            throw new IllegalArgumentException(name() + ": state has no regularizer vector");
        }
        double[] g = v[v.length - 1];
        fisherEma = g.length == 0 ? null : g.clone();
        inner.restore(new RuleState(Arrays.copyOf(v, v.length - 1), state.counters()));
    }

    /**
     * The Fisher penalty ‖∇E(x, ŷ)‖^q with ŷ drawn (from seed) at the first θ it sees on each objective, then held
     * fixed for that objective, so the penalised loss is one deterministic function of θ within a step.
     */
    public static Penalty fisher(double q, long seed) {
        return new Penalty() {
            private final Map<Objective, NetObjective> sampled = new IdentityHashMap<>();

            @Override
            public Var apply(Objective on, Var theta, Var loss) {
                if (!(on instanceof NetObjective net)) {
                    throw new DriftlabException("regularizer.name: fisher samples labels from a network's predictive "
                            + "distribution; " + on + " is not a network objective (use grad-norm for analytic losses)");
                }
                NetObjective s = sampled.computeIfAbsent(on,
                        o -> GradientCovariance.withSampledLabels(net, theta.value().data().clone(), seed));
                return Penalties.normPower(ModifiedLosses.gradientNormSquared(s, theta), q);
            }
        };
    }

    /** G-TRACER's Tr(G⁻¹H) for one step; remembers the un-penalised gradient it saw first (g_t). */
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

        double[] observedGradient() {
            return observed;
        }

        double[] fisherUsed() {
            return fisherUsed;
        }
    }
}
