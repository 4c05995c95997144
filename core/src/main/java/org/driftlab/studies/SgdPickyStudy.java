package org.driftlab.studies;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.driftlab.study.Figure;
import org.driftlab.experiment.Param;
import org.driftlab.experiment.Trajectory;
import org.driftlab.study.Study;
import org.driftlab.study.StudyContext;
import org.driftlab.objective.FiniteSumObjective;
import org.driftlab.objective.Objective;
import org.driftlab.objective.ToyObjectives;
import org.driftlab.optim.Gd;
import org.driftlab.optim.GradientSource;
import org.driftlab.optim.MiniBatches;
import org.driftlab.optim.RandomBatches;
import org.driftlab.optim.UpdateRule;

/**
 * "SGD is more picky" (the EoS seed deck): f₁(x) = min{x², 0.1(x−1)²}, f₂(x) = min{x², 1.9(x−1)²}, E = (f₁+f₂)/2.
 * Both x = 0 and x = 1 are global minima. From x₀ = 1 − 10⁻⁵ with h = 0.7, GD converges to 1 (E''(1) = 2, so
 * |1 − hE''| = 0.4 &lt; 1) while SGD with one example per step escapes and converges to 0: at x = 1 the per-example
 * multipliers are 1 − 0.7·0.2 = 0.86 and 1 − 0.7·3.8 = −1.66, whose mean log-modulus is positive, whereas at x = 0
 * both examples have curvature 2 and multiplier −0.4. Linear stability of SGD is the stability of the product of
 * random multipliers, stricter than GD's condition on their mean.
 */
public final class SgdPickyStudy implements Study<SgdPickyStudy.Params> {
    @Override
    public String kind() {
        return "sgd-picky";
    }

    @Override
    public String description() {
        return "SGD is more picky: on f1/f2 SGD leaves the minimum x = 1 that GD converges to, and ends at x = 0";
    }

    /** The parameters of the study, each with its default, unit and meaning. */
    public record Params(
            @Param(value = "0.7", doc = "learning rate h") double h,
            @Param(value = "0.99999", doc = "initial x") double x0,
            @Param(value = "400", unit = "steps", doc = "steps") int steps,
            @Param(value = "true", doc = "draw examples i.i.d. (false: shuffled epochs)") boolean replacement,
            @Param(value = "1.0e-06", doc = "distance from a minimum counted as converged") double tolerance) {
        /** A positive learning rate and a positive convergence distance (zero could never be reached in floats). */
        public Params {
            org.driftlab.experiment.Params.check(h > 0, "h", h + " is not a positive learning rate");
            org.driftlab.experiment.Params.check(tolerance > 0, "tolerance", tolerance + " must be > 0");
        }
    }

    @Override
    public void run(StudyContext ctx, Params params) {
        double h = params.h();
        double x0 = params.x0();
        int steps = params.steps();
        double tol = params.tolerance();
        boolean replacement = params.replacement();
        List<Long> seeds = ctx.seeds();
        FiniteSumObjective e = ToyObjectives.sgdPicky();

        // Linear stability at both minima from the per-example curvatures (autodiff Hessians).
        double[] atOne = curvatures(e, 1.0);
        double[] atZero = curvatures(e, 0.0);
        double gdMultiplierOne = Math.abs(1 - h * (atOne[0] + atOne[1]) / 2);
        double sgdRateOne = 0.5 * (Math.log(Math.abs(1 - h * atOne[0])) + Math.log(Math.abs(1 - h * atOne[1])));
        double sgdRateZero = 0.5 * (Math.log(Math.abs(1 - h * atZero[0])) + Math.log(Math.abs(1 - h * atZero[1])));
        StudyContext.Table stab = ctx.table("stability", "minimum", "curvature_f1", "curvature_f2", "gd_multiplier",
                "sgd_log_rate");
        stab.row(1.0, atOne[0], atOne[1], gdMultiplierOne, sgdRateOne);
        stab.row(0.0, atZero[0], atZero[1], Math.abs(1 - h * (atZero[0] + atZero[1]) / 2), sgdRateZero);

        StudyContext.Table traj = ctx.table("traj", "method", "seed", "step", "x", "loss", "dist_to_1");
        StudyContext.Table fin = ctx.table("final", "method", "seed", "x_final", "loss_final", "escape_step");
        double[][] sgdX = new double[seeds.size()][];
        double gdFinal = run(e, new Gd("gd", GradientSource.fullBatch()), x0, h, steps, "gd", -1, traj, fin, null);
        for (int s = 0; s < seeds.size(); s++) {
            long seed = seeds.get(s);
            GradientSource src = replacement ? new RandomBatches(2, 1, seed) : new MiniBatches(2, 1, true, seed);
            sgdX[s] = new double[steps + 1];
            run(e, new Gd("sgd", src), x0, h, steps, "sgd", seed, traj, fin, sgdX[s]);
        }
        StudyContext.Table band = ctx.table("sgd_band", "step", "x_min", "x_max");
        List<Double> finals = new ArrayList<>();
        for (int t = 0; t <= steps; t++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double[] xs : sgdX) {
                lo = Math.min(lo, xs[t]);
                hi = Math.max(hi, xs[t]);
            }
            band.row(t, lo, hi);
        }
        for (double[] xs : sgdX) {
            finals.add(xs[steps]);
        }
        int n = seeds.size();
        String sampling = replacement ? "one example per step, drawn i.i.d." : "one example per step, shuffled epochs";
        ctx.figure(Figure.of("x", "GD stays at x = 1, SGD escapes to x = 0 (h = " + h + ")").axes("step", "x")
                .band("sgd_band", "step", "x_min", "x_max", null, "SGD min-max over " + n + " seeds")
                .where("method", "sgd").line("traj", "step", "x", "seed", "SGD seed ")
                .where("method", "gd").line("traj", "step", "x", null, "GD")
                .caption("x_t from x0 = 1 - 1e-5. GD (" + "full batch) converges to the minimum at 1; SGD (" + sampling
                        + ", " + n + " seeds, shaded: min-max over seeds) leaves it and converges to 0.")
                .build());
        ctx.figure(Figure.of("loss", "E along training: the burst during the escape").axes("step", "E").logY()
                .line("traj", "step", "loss", "seed", "seed ")
                .caption("E(x_t) for GD (seed -1) and each SGD seed (" + n + " seeds): SGD's loss bursts while it leaves"
                        + " x = 1, then decays to 0 at x = 0.")
                .build());

        ctx.summary("h", h);
        ctx.summary("gd_final_x", gdFinal);
        ctx.summary("sgd_final_x", finals);
        ctx.summary("gd_multiplier_at_1", gdMultiplierOne);
        ctx.summary("sgd_log_rate_at_1", sgdRateOne);
        ctx.summary("sgd_log_rate_at_0", sgdRateZero);
        ctx.finding("gd-converges-to-1", "GD converges to the minimum at x = 1", Math.abs(gdFinal - 1) < tol,
                String.format(Locale.ROOT, "|x_T - 1| = %.3g after %d steps (tolerance %.1g)", Math.abs(gdFinal - 1),
                        steps, tol));
        boolean allZero = finals.stream().allMatch(x -> Math.abs(x) < tol);
        ctx.finding("sgd-escapes-to-0", "SGD leaves x = 1 and converges to x = 0 for every seed", allZero,
                String.format(Locale.ROOT, "final x over %d seeds: max |x_T| = %.3g (tolerance %.1g)", n,
                        finals.stream().mapToDouble(Math::abs).max().orElse(Double.NaN), tol));
        ctx.finding("linear-stability", "Linear stability explains it: x = 1 is stable for GD but not for SGD, x = 0 is stable for both",
                gdMultiplierOne < 1 && sgdRateOne > 0 && sgdRateZero < 0,
                String.format(Locale.ROOT, "curvatures at 1: f1'' = %.3g, f2'' = %.3g; GD |1 - hE''| = %.3g; SGD mean "
                        + "log|1 - h f_i''| = %+.3f at 1 and %+.3f at 0", atOne[0], atOne[1], gdMultiplierOne,
                        sgdRateOne, sgdRateZero));
    }

    /** f_i''(x) for both examples. */
    private static double[] curvatures(FiniteSumObjective e, double x) {
        double[] c = new double[2];
        for (int i = 0; i < 2; i++) {
            c[i] = e.onBatch(new int[] {i}).hvp(new double[] {x}, new double[] {1})[0];
        }
        return c;
    }

    private static double run(Objective e, UpdateRule rule, double x0, double h, int steps, String method, long seed,
                              StudyContext.Table traj, StudyContext.Table fin, double[] xs) {
        long[] escape = {-1};
        double[] x = Trajectory.of(rule, e, h).observe(t -> true, (t, theta) -> {
            if (xs != null) {
                xs[(int) t] = theta[0];
            }
            traj.row(method, seed, t, theta[0], e.value(theta), Math.abs(theta[0] - 1));
            if (escape[0] < 0 && Math.abs(theta[0] - 1) > 0.1) {
                escape[0] = t;
            }
        }).run(new double[] {x0}, steps).theta();
        fin.row(method, seed, x[0], e.value(x), escape[0]);
        return x[0];
    }
}
