package org.driftlab.studies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.study.Figure;
import org.driftlab.experiment.ObjectiveFactory;
import org.driftlab.experiment.EdgeOfStability;
import org.driftlab.experiment.Spec;
import org.driftlab.experiment.Param;
import org.driftlab.experiment.Probes;
import org.driftlab.linalg.Stats;
import org.driftlab.study.Study;
import org.driftlab.study.StudyContext;
import org.driftlab.experiment.Metrics;

/**
 * The catapult (Lewkowycz et al. 2020): full-batch GD started with a learning rate above the stability limit of
 * the initialisation, h &gt; 2/λ_1(θ_0), first sees the loss grow (the iterate is thrown out of the sharp region),
 * then the sharpness falls to 2/h or below and the loss comes down; with h &lt; 2/λ_1(θ_0) the loss falls from the start
 * and the sharpness stays near its initial value. Each learning rate is a multiple ("scale") of 2/λ_1(θ_0) of the
 * seed's own initialisation, so runs of different seeds are comparable in h·λ_1/2, which is 1 at the edge.
 */
public final class CatapultStudy implements Study<CatapultStudy.Params> {
    /** The early window (steps) in which the loss rise of a catapult is looked for. */
    static final int EARLY = 10;

    @Override
    public String kind() {
        return "catapult";
    }

    @Override
    public String description() {
        return "Catapult: GD with h above 2/λ1(θ0) (loss spikes, then sharpness drops below 2/h) vs h below it";
    }

    /** The parameters of the study, each with its default, unit and meaning. */
    public record Params(
            @Param(value = "{}", doc = "the network, its data and loss") NetworkParams network,
            @Param(value = "[0.5, 2.4]", unit = "2/λ1(θ0)", doc = "learning rates as multiples of 2/λ1(θ0): one below 1, one above") List<Double> scales,
            @Param(value = "200", unit = "steps", doc = "GD steps per run") int steps,
            @Param(value = "4", unit = "steps", doc = "λ1 period along training") int sharpnessEvery,
            @Param(value = "20", doc = "Lanczos products per λ1") int iterations) {
        /** The checks that need no data, made before the study creates anything. */
        public Params {
            org.driftlab.experiment.Params.check(scales.size() >= 2, "scales", "give at least one scale below 1 and one above 1, e.g. [0.5, 1.6]");
            org.driftlab.experiment.Params.check(scales.stream().anyMatch(s -> s < 1) && scales.stream().anyMatch(s -> s > 1), "scales",
                    scales + " needs one scale < 1 (stable start) and one > 1 (catapult start)");
            org.driftlab.experiment.Params.check(scales.stream().allMatch(s -> s > 0), "scales", "scales must be positive");
            org.driftlab.experiment.Params.check(steps >= 10 && sharpnessEvery >= 1, "steps", "need steps >= 10 and sharpness_every >= 1");
        }
    }

    @Override
    public void run(StudyContext ctx, Params params) {
        List<Double> scales = params.scales();
        int steps = params.steps();
        int every = params.sharpnessEvery();
        int iterations = params.iterations();
        List<Long> seeds = ctx.seeds();

        StudyContext.Table runs = ctx.table("runs", "scale", "seed", "step", "h", "train_loss", "loss_ratio",
                "sharpness", "h_sharpness_over_2");
        StudyContext.Table summary = ctx.table("outcome", "scale", "seed", "h", "lambda_0", "max_loss_ratio",
                "final_loss_ratio", "final_sharpness", "final_h_sharpness_over_2", "sharpness_drop");
        StudySupport.Spread loss = new StudySupport.Spread();
        StudySupport.Spread sharp = new StudySupport.Spread();
        // per scale, per seed
        Map<Double, double[]> spike = new LinkedHashMap<>();
        Map<Double, double[]> finalRatio = new LinkedHashMap<>();
        Map<Double, double[]> finalEdge = new LinkedHashMap<>();
        Map<Double, double[]> drop = new LinkedHashMap<>();
        Map<Double, double[]> lowEdge = new LinkedHashMap<>();
        Map<Double, double[]> rises = new LinkedHashMap<>();
        for (double s : scales) {
            rises.put(s, new double[seeds.size()]);
            lowEdge.put(s, new double[seeds.size()]);
            spike.put(s, new double[seeds.size()]);
            finalRatio.put(s, new double[seeds.size()]);
            finalEdge.put(s, new double[seeds.size()]);
            drop.put(s, new double[seeds.size()]);
        }
        for (int si = 0; si < seeds.size(); si++) {
            long seed = seeds.get(si);
            // a catapult may grow the loss by orders of magnitude before it falls: only call real blow-ups divergence
            Spec.Builder spec = params.network().spec("catapult-s" + seed).optimizer("gd").seeds(List.of(seed))
                    .threads(ctx.threads()).probe(new Probes.TrainParams(1))
                    .probe(new Probes.SharpnessParams(every, 1, iterations)).steps(steps).divergeAbove(1e6);
            ObjectiveFactory.Problem p = params.network().problem(seed);
            if (si == 0) {
                StudySupport.noteData(ctx, p);
            }
            double lambda0 = StudySupport.sharpness(p.train(), p.initialTheta(), 3 * iterations, null).values()[0];
            double e0 = p.train().value(p.initialTheta());
            List<Double> lrs = new ArrayList<>();
            for (double s : scales) {
                lrs.add(s * 2 / lambda0);
            }
            ctx.progress("seed " + seed + ": λ1(θ0) = " + StudySupport.f(lambda0) + ", h = " + lrs);
            Metrics m = ctx.train("seed" + seed, spec.lrs(lrs).build()).metrics();
            for (int k = 0; k < scales.size(); k++) {
                double s = scales.get(k);
                double h = lrs.get(k);
                Metrics r = m.where("run", k).nonEmpty("train_loss");
                double[] step = r.col("step");
                double[] lo = r.col("train_loss");
                double[] lam = r.col("sharpness");
                double maxRatio = 0;
                double rise = 0; // the largest early E_{t+1}/E_t − 1: the loss going up
                double lastLam = Double.NaN;
                double lowest = Double.POSITIVE_INFINITY;
                for (int i = 0; i < step.length; i++) {
                    double ratio = lo[i] / e0;
                    maxRatio = Math.max(maxRatio, ratio);
                    if (i > 0 && step[i] <= EARLY) {
                        rise = Math.max(rise, lo[i] / lo[i - 1] - 1);
                    }
                    if (i > 0 && Double.isFinite(lam[i])) {
                        lowest = Math.min(lowest, h * lam[i] / 2);
                    }
                    runs.row(s, seed, (long) step[i], h, lo[i], ratio, lam[i], h * lam[i] / 2);
                    loss.add("scale " + s, step[i], ratio);
                    if (Double.isFinite(lam[i])) {
                        sharp.add("scale " + s, step[i], h * lam[i] / 2);
                        lastLam = lam[i];
                    }
                }
                double fin = lo[lo.length - 1] / e0;
                spike.get(s)[si] = maxRatio;
                rises.get(s)[si] = rise;
                finalRatio.get(s)[si] = fin;
                finalEdge.get(s)[si] = h * lastLam / 2;
                lowEdge.get(s)[si] = lowest;
                drop.get(s)[si] = lastLam / lambda0;
                summary.row(s, seed, h, lambda0, maxRatio, fin, lastLam, h * lastLam / 2, lastLam / lambda0);
            }
        }
        StudyContext.Table lossBand = ctx.table("loss", "scale", "step", "mean", "min", "max", "seeds");
        StudyContext.Table sharpBand = ctx.table("sharpness", "scale", "step", "mean", "min", "max", "seeds");
        loss.writeTo(lossBand);
        sharp.writeTo(sharpBand);

        String seedText = StudySupport.seeds(seeds.size());
        ctx.figure(Figure.of("loss", "Training loss relative to E(θ0)").axes("step", "E / E(θ0)").logY()
                .spread("loss", "step", "scale")
                .hline(1, "E(θ0)")
                .caption("h = scale·2/λ1(θ0) per seed; mean over " + seedText + " with the min–max band. Above "
                        + "scale 1 the loss first rises (the catapult), then falls; below 1 it falls from the start.")
                .build());
        ctx.figure(Figure.of("sharpness", "Sharpness in units of the stability limit, h·λ1/2").axes("step", "h·λ1/2")
                .spread("sharpness", "step", "scale").hline(1, "edge: λ1 = 2/h")
                .caption("Mean over " + seedText + " with the min–max band. The large-h run starts above the edge "
                        + "(h·λ1/2 = scale) and is thrown to a flatter region below it; the small-h run keeps its curvature.")
                .build());

        double large = scales.stream().mapToDouble(Double::doubleValue).filter(s -> s > 1).min().orElseThrow();
        double small = scales.stream().mapToDouble(Double::doubleValue).filter(s -> s < 1).max().orElseThrow();
        double minRise = Stats.min(rises.get(large));
        ctx.finding("large-h-loss-rises", "With h > 2/λ1(θ0) the loss goes up early: E_{t+1} > E_t for some t < " + EARLY + " on every seed",
                minRise > 0, "scale " + large + ": smallest early rise over seeds " + StudySupport.f(100 * minRise)
                        + "%; max E_t/E(θ0) " + StudySupport.f(Stats.min(spike.get(large))) + " to "
                        + StudySupport.f(Stats.max(spike.get(large))));
        double worstEdge = Stats.max(lowEdge.get(large));
        double worstFinal = Stats.max(finalRatio.get(large));
        double tol = 1 + EdgeOfStability.TOLERANCE;
        ctx.finding("catapult-to-edge", "The catapult brings λ1 down from scale·2/h to the edge (min h·λ1/2 after step 0 <= " + StudySupport.f(tol)
                        + ") and training converges (final E < E(θ0)) on every seed",
                worstEdge <= tol && worstFinal < 1, "scale " + large + ": lowest h·λ1/2 after step 0 at most "
                        + StudySupport.f(worstEdge) + " over seeds, final E/E(θ0) at most " + StudySupport.f(worstFinal)
                        + "; at the end h·λ1/2 = " + StudySupport.f(Stats.mean(finalEdge.get(large))));
        double smallRise = Stats.max(rises.get(small));
        double smallSpike = Stats.max(spike.get(small));
        ctx.finding("small-h-loss-falls", "With h < 2/λ1(θ0) the loss falls monotonically at the start (no E_{t+1} > E_t for t < " + EARLY
                        + ") on every seed", smallRise <= 0,
                "scale " + small + ": largest early rise " + StudySupport.f(100 * smallRise) + "%, max E_t/E(θ0) "
                        + StudySupport.f(smallSpike));
        boolean lower = true;
        StringBuilder d = new StringBuilder("λ1(final)/λ1(θ0) per seed:");
        for (int si = 0; si < seeds.size(); si++) {
            lower &= drop.get(large)[si] < drop.get(small)[si];
            d.append(" seed ").append(seeds.get(si)).append(": ").append(StudySupport.f(drop.get(large)[si]))
                    .append(" (scale ").append(large).append(") vs ").append(StudySupport.f(drop.get(small)[si]))
                    .append(" (scale ").append(small).append(");");
        }
        ctx.finding("catapult-ends-flatter", "The catapult ends flatter: λ1(final)/λ1(θ0) is lower for the large h than for the small h on every seed",
                lower, d.toString());
        ctx.summary("spike_large", Stats.mean(spike.get(large)));
        ctx.summary("spike_small", Stats.mean(spike.get(small)));
        ctx.summary("sharpness_drop_large", Stats.mean(drop.get(large)));
        ctx.summary("sharpness_drop_small", Stats.mean(drop.get(small)));
        ctx.summary("final_edge_large", Stats.mean(finalEdge.get(large)));
        ctx.summary("lowest_edge_large", Stats.mean(lowEdge.get(large)));
        ctx.note("λ1(θ0) is measured per seed by Lanczos (" + 3 * iterations + " products), and h = scale·2/λ1(θ0). "
                + "λ1 along training: warm-started Lanczos every " + every + " steps, " + iterations + " products.");
    }

}
