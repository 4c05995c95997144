package org.driftlab.experiment;

import java.util.Arrays;
import java.util.function.LongPredicate;
import org.driftlab.objective.Objective;
import org.driftlab.optim.UpdateRule;

/**
 * One trajectory of a discrete map θ_{t+1} = F_t(θ_t) kept in memory: the one loop behind every study that drives
 * an update rule (or a game's stepper) itself instead of through a training run. The caller observes θ_t at the
 * steps it chooses; every step's loss (the one the update computed at θ_t) is kept; a run stops early when that
 * loss is non-finite or above a bound, if one is set.
 *
 * <pre>
 *   Trajectory.Result r = Trajectory.of(new Gd("gd", GradientSource.fullBatch()), objective, h)
 *           .observe(t -&gt; t % 20 == 0, (t, theta) -&gt; table.row(t, objective.value(theta)))
 *           .divergeAbove(1e6)
 *           .run(theta0, steps);
 * </pre>
 */
public final class Trajectory {
    /** One update from θ_t: θ_{t+1}, the loss computed at θ_t (NaN when the map computes none) and the gradient. */
    @FunctionalInterface
    public interface Map {
        /** The step from θ_t (θ must not be modified). */
        UpdateRule.Step step(double[] theta, long t);
    }

    /** Sees θ_t at an observed step. */
    @FunctionalInterface
    public interface Observer {
        /** Called with θ_t (not to be modified). */
        void at(long t, double[] theta);
    }

    /**
     * The end of a trajectory.
     *
     * @param theta the last θ reached (θ_t of the diverging step when diverged)
     * @param steps the updates taken
     * @param diverged true when a step's loss was non-finite or above the bound
     * @param losses the loss each update computed at θ_t, t = 0 .. (the diverging step included)
     */
    public record Result(double[] theta, long steps, boolean diverged, double[] losses) {}

    private final Map map;
    private LongPredicate when = t -> false;
    private Observer observer = (t, theta) -> { };
    private double bound = Double.NaN;

    private Trajectory(Map map) {
        this.map = map;
    }

    /** Any map, e.g. a game's stepper: {@code Trajectory.of((z, t) -> new UpdateRule.Step(s.step(z, t), Double.NaN, null))}. */
    public static Trajectory of(Map map) {
        return new Trajectory(map);
    }

    /** An update rule on an objective at a constant learning rate h. */
    public static Trajectory of(UpdateRule rule, Objective objective, double h) {
        return new Trajectory((theta, t) -> rule.step(objective, theta, t, h));
    }

    /** Calls the observer with θ_t at every t (0 .. steps) the predicate accepts. */
    public Trajectory observe(LongPredicate when, Observer observer) {
        this.when = when;
        this.observer = observer;
        return this;
    }

    /** Stops at the first step whose loss is non-finite or above the bound (+∞: non-finite only). */
    public Trajectory divergeAbove(double bound) {
        this.bound = bound;
        return this;
    }

    /** Iterates from θ_0 for at most steps updates. */
    public Result run(double[] theta0, long steps) {
        double[] theta = theta0.clone();
        double[] losses = new double[(int) Math.min(steps, Integer.MAX_VALUE - 8)];
        for (long t = 0; ; t++) {
            if (when.test(t)) {
                observer.at(t, theta);
            }
            if (t == steps) {
                return new Result(theta, t, false, losses);
            }
            UpdateRule.Step s = map.step(theta, t);
            losses[(int) t] = s.loss();
            if (!Double.isNaN(bound) && (!Double.isFinite(s.loss()) || s.loss() > bound)) {
                return new Result(theta, t, true, Arrays.copyOf(losses, (int) t + 1));
            }
            theta = s.theta();
        }
    }
}
