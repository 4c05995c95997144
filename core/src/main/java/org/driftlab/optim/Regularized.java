package org.driftlab.optim;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.driftlab.DriftlabException;
import org.driftlab.autodiff.Var;
import org.driftlab.curvature.GradientCovariance;
import org.driftlab.objective.ModifiedLosses;
import org.driftlab.objective.NetObjective;
import org.driftlab.objective.Objective;
import org.driftlab.objective.PenalisedObjective;
import org.driftlab.objective.Penalties;
import org.driftlab.objective.Penalty;

/**
 * Any update rule run on a penalised loss Ẽ = E + α·P(θ): at step t the rule takes the penalty P_t of that step
 * from its {@link StepPenalty} (random draws seeded by (seed, t)), wraps the objective in a
 * {@link PenalisedObjective} and lets the inner rule step on it, so the penalty is taken on the same mini-batch as
 * the inner rule's gradient. The step's loss is Ẽ on that batch.
 *
 * <p>Which penalties a spec can name, with their parameters, is the regulariser registry's business
 * ({@code experiment.Regularizers}); this class is the mechanism they share. The building blocks that are not plain
 * {@link Penalties}: {@link #fisher} (labels sampled from the model, so it needs a network) and {@link GTracer}
 * (a penalty with state).
 */
public final class Regularized implements UpdateRule {
    /**
     * The penalty of each step of a regularised rule.
     */
    public interface StepPenalty {
        /**
         * P_t, the penalty of step t; any random draw comes from {@code seed} (a function of the rule's seed and
         * t), so a resumed run draws what the uninterrupted one drew.
         */
        Penalty at(long t, long seed);

        /** Called after the inner step of t with the penalty it used (G-TRACER updates its Fisher average). */
        default void afterStep(Penalty used) {}

        /** State carried between steps (copies; empty when there is none), checkpointed with the rule. */
        default double[] state() {
            return new double[0];
        }

        /** Restores {@link #state()}. */
        default void restore(double[] state) {
            if (state.length != 0) {
                throw new IllegalArgumentException("this penalty has no state, got a vector of " + state.length);
            }
        }
    }

    /** The same penalty at every step (no draws, no state). */
    public static StepPenalty fixed(Penalty p) {
        return (t, seed) -> p;
    }

    private final UpdateRule inner;
    private final String penaltyName;
    private final StepPenalty penalty;
    private final DoubleUnaryOperator coefficient;
    private final long seed;

    /**
     * The inner rule on E + α(h)·P_t.
     *
     * @param penaltyName the penalty's name in specs (the rule is called {@code inner+penaltyName})
     * @param coefficient α as a function of the step's h (constant for every penalty but IGR's default h/4)
     * @param seed the seed of the penalty's draws (its own stream of it)
     */
    public Regularized(UpdateRule inner, String penaltyName, StepPenalty penalty, DoubleUnaryOperator coefficient,
                       long seed) {
        this.inner = inner;
        this.penaltyName = penaltyName;
        this.penalty = penalty;
        this.coefficient = coefficient;
        this.seed = seed;
    }

    @Override
    public String name() {
        return inner.name() + "+" + penaltyName;
    }

    /** The per-step penalty (e.g. a {@link GTracer}, to read its Fisher average). */
    public StepPenalty penalty() {
        return penalty;
    }

    /** The inner rule's rate (DAL under a penalty still chooses its own h). */
    @Override
    public double lastStepRate(double h) {
        return inner.lastStepRate(h);
    }

    /** The penalty of step t (fixed draws), as the inner rule will see it; for tests and probes. */
    public Penalty penaltyAt(long t) {
        return penalty.at(t, StepRandom.seed(seed, t, 2));
    }

    /** α at step size h. */
    public double coefficient(double h) {
        return coefficient.applyAsDouble(h);
    }

    @Override
    public Step step(Objective objective, double[] theta, long t, double h) {
        Penalty p = penaltyAt(t);
        Step s = inner.step(new PenalisedObjective(objective, p, coefficient(h)), theta, t, h);
        penalty.afterStep(p);
        return s;
    }

    /** The inner rule's state with the penalty's state appended as one more vector (empty when it has none). */
    @Override
    public RuleState state() {
        RuleState in = inner.state();
        double[][] v = Arrays.copyOf(in.vectors(), in.vectors().length + 1);
        v[v.length - 1] = penalty.state();
        return new RuleState(v, in.counters());
    }

    @Override
    public void restore(RuleState state) {
        double[][] v = state.vectors();
        if (v.length < 1) {
            throw new IllegalArgumentException(name() + ": state has no regularizer vector");
        }
        penalty.restore(v[v.length - 1].clone());
        inner.restore(new RuleState(Arrays.copyOf(v, v.length - 1), state.counters()));
    }

    /**
     * The Fisher penalty ‖∇E(x, ŷ)‖^q (Jastrzębski et al., ICML 2021): the norm of the mean gradient over the batch
     * with labels ŷ_i drawn from the model's predictive distribution ({@link GradientCovariance#withSampledLabels}:
     * ŷ ∼ softmax(f(x)) for ce, f(x) + N(0, I) for mse) at the first θ it sees on each objective, then held fixed
     * for that objective, so the penalised loss is one deterministic function of θ within a step and ∇P treats ŷ
     * as data. q = 1 is the seed slides' definition, q = 2 the later literature's (whose expectation is about
     * Tr F/B). Needs a network objective.
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

    /** The Fisher penalty with fresh label draws every step. */
    public static StepPenalty fisher(double q) {
        return (t, seed) -> fisher(q, seed);
    }
}
