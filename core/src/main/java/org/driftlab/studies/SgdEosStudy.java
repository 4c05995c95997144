package org.driftlab.studies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.study.Figure;
import org.driftlab.experiment.EdgeOfStability;
import org.driftlab.experiment.Spec;
import org.driftlab.experiment.Param;
import org.driftlab.experiment.Probes;
import org.driftlab.linalg.Stats;
import org.driftlab.study.Study;
import org.driftlab.study.StudyContext;
import org.driftlab.experiment.Metrics;

/**
 * The edge of stability for SGD: one learning rate h, full-batch GD and SGD at several batch sizes from the same
 * initialisations, the sharpness λ_1 of the full training loss along training against 2/h. Full-batch GD
 * sharpens until λ_1 reaches 2/h and hovers there (Cohen et al. 2021); mini-batch SGD stabilises below 2/h, the
 * lower the smaller the batch (the EoS-for-SGD slides; Jastrzębski et al. 2020). Batch size 0 means full batch.
 */
public final class SgdEosStudy implements Study<SgdEosStudy.Params> {
    @Override
    public String kind() {
        return "sgd-eos";
    }

    @Override
    public String description() {
        return "SGD at several batch sizes: sharpness along training against 2/h (SGD stabilises below 2/h)";
    }

    /** The parameters of the study, each with its default, unit and meaning. */
    public record Params(
            @Param(value = "{}", doc = "the network, its data and loss") NetworkParams network,
            @Param(value = "0.05", doc = "learning rate h") double h,
            @Param(value = "[0, 250, 50]", unit = "examples", doc = "batch sizes (0 is full-batch GD)") List<Integer> batchSizes,
            @Param(value = "1000", unit = "steps", doc = "training steps per batch size") int steps,
            @Param(value = "20", unit = "steps", doc = "λ1 period") int sharpnessEvery,
            @Param(value = "20", doc = "Lanczos products per λ1") int iterations) {
        /** The checks that need no data, made before the study creates anything. */
        public Params {
            org.driftlab.experiment.Params.check(h > 0, "h", h + " must be a positive learning rate");
            org.driftlab.experiment.Params.check(!batchSizes.isEmpty(), "batch_sizes", "give at least one batch size (0 = full batch)");
            org.driftlab.experiment.Params.check(batchSizes.stream().allMatch(b -> b >= 0), "batch_sizes",
                    batchSizes + ": batch sizes must be >= 0 (0 = full batch)");
            org.driftlab.experiment.Params.check(steps >= 2 * sharpnessEvery && sharpnessEvery >= 1, "steps", "need steps >= 2·sharpness_every >= 2");
        }
    }

    @Override
    public void validate(Params params) {
        StudySupport.batchesFit(params.network(), params.batchSizes(), "batch_sizes");
    }

    @Override
    public void run(StudyContext ctx, Params params) {
        double h = params.h();
        List<Integer> batches = params.batchSizes();
        int steps = params.steps();
        int every = params.sharpnessEvery();
        List<Long> seeds = new ArrayList<>(ctx.seeds());
        double edge = 2 / h;

        StudyContext.Table runs = ctx.table("runs", "batch", "seed", "step", "epoch", "train_loss", "sharpness");
        StudyContext.Table band = ctx.table("sharpness", "batch", "step", "mean", "min", "max", "seeds");
        StudyContext.Table lossBand = ctx.table("loss", "batch", "step", "mean", "min", "max", "seeds");
        StudyContext.Table late = ctx.table("late", "batch", "late_median_sharpness", "min_over_seeds",
                "max_over_seeds", "max_sharpness", "final_loss");
        StudySupport.Spread sharp = new StudySupport.Spread();
        StudySupport.Spread loss = new StudySupport.Spread();
        Map<Integer, double[]> lateMedian = new LinkedHashMap<>();
        Map<Integer, Double> peak = new LinkedHashMap<>();
        Map<Integer, double[]> lateMax = new LinkedHashMap<>();
        int n = -1;
        for (int b : batches) {
            Spec spec = params.network().spec("sgd-eos-b" + b).optimizer(b == 0 ? "gd" : "sgd").batchSize(b).lr(h)
                    .seeds(seeds).threads(ctx.threads()).probe(new Probes.TrainParams(every))
                    .probe(new Probes.SharpnessParams(every, 1, params.iterations())).steps(steps)
                    .checkpointEvery(Math.max(every, 100)).build();
            if (n < 0) {
                var p = StudySupport.problem(spec, seeds.get(0));
                n = p.train().numExamples();
                StudySupport.noteData(ctx, p);
            }
            String label = b == 0 || b == n ? "GD (B=" + n + ")" : "B=" + b;
            Metrics m = ctx.train("b" + b, spec).metrics();
            double[] medians = new double[seeds.size()];
            double[] maxima = new double[seeds.size()];
            double top = Double.NEGATIVE_INFINITY;
            double finalLoss = 0;
            for (int s = 0; s < seeds.size(); s++) {
                Metrics r = m.where("seed", seeds.get(s)).nonEmpty("sharpness");
                double[] step = r.col("step");
                double[] lam = r.col("sharpness");
                double[] lo = r.col("train_loss");
                List<Double> second = new ArrayList<>();
                for (int i = 0; i < step.length; i++) {
                    double epoch = b == 0 ? step[i] : step[i] * b / n;
                    runs.row(label, seeds.get(s), (long) step[i], epoch, lo[i], lam[i]);
                    sharp.add(label, step[i], lam[i]);
                    loss.add(label, step[i], lo[i]);
                    if (step[i] >= steps / 2.0) {
                        second.add(lam[i]);
                    }
                    top = Math.max(top, lam[i]);
                }
                medians[s] = Stats.median(second.stream().mapToDouble(Double::doubleValue).toArray());
                maxima[s] = Stats.max(second.stream().mapToDouble(Double::doubleValue).toArray());
                finalLoss += lo[lo.length - 1] / seeds.size();
            }
            lateMedian.put(b, medians);
            lateMax.put(b, maxima);
            peak.put(b, top);
            late.row(label, Stats.mean(medians), Stats.min(medians), Stats.max(medians), top, finalLoss);
        }
        sharp.writeTo(band);
        loss.writeTo(lossBand);

        String seedText = StudySupport.seeds(seeds.size());
        ctx.figure(Figure.of("sharpness", "Sharpness λ1 of the full training loss against 2/h")
                .axes("step", "λ1").spread("sharpness", "step", "batch").hline(edge, "2/h = " + StudySupport.f(edge))
                .caption("Mean over " + seedText + " with the min–max band; one learning rate h = " + h
                        + ". Full-batch GD climbs to 2/h and hovers there; SGD levels off below it, lower for "
                        + "smaller batches.")
                .build());
        ctx.figure(Figure.of("loss", "Training loss").axes("step", "E").logY()
                .spread("loss", "step", "batch")
                .caption("Full-batch training loss, mean over " + seedText + " with the min–max band.").build());

        // the verdicts
        int full = batches.contains(0) ? 0 : -1;
        List<Integer> mini = batches.stream().filter(b -> b > 0).sorted().toList();
        if (full == 0) {
            double low = Stats.min(lateMax.get(0));
            double tol = 1 - EdgeOfStability.TOLERANCE;
            ctx.finding("gd-at-edge", "Full-batch GD reaches the edge of stability: its late-phase max λ1 >= " + StudySupport.f(tol)
                    + "·2/h on every seed", low >= tol * edge, "smallest late max λ1 over seeds " + StudySupport.f(low)
                    + ", 2/h = " + StudySupport.f(edge) + " (max λ1 over the whole run " + StudySupport.f(peak.get(0)) + ")");
        }
        if (!mini.isEmpty()) {
            int smallest = mini.get(0);
            double worst = Stats.max(lateMedian.get(smallest));
            ctx.finding("sgd-below-edge", "SGD stabilises below 2/h: the smallest batch's late-phase median λ1 < 0.8·2/h on every seed",
                    worst < 0.8 * edge, "B = " + smallest + ": largest late median λ1 over seeds "
                            + StudySupport.f(worst) + ", 2/h = " + StudySupport.f(edge));
        }
        List<Integer> order = new ArrayList<>(mini);
        if (full == 0) {
            order.add(0); // full batch is the largest batch
        }
        if (order.size() >= 2) {
            boolean monotone = true;
            StringBuilder detail = new StringBuilder("late median λ1 (mean over seeds):");
            double prev = Double.NEGATIVE_INFINITY;
            for (int b : order) {
                double v = Stats.mean(lateMedian.get(b));
                detail.append(' ').append(b == 0 ? "GD" : "B=" + b).append(": ").append(StudySupport.f(v)).append(';');
                monotone &= v > prev;
                prev = v;
            }
            ctx.finding("smaller-batch-lower-sharpness", "Smaller batches stabilise at lower sharpness: the late-phase λ1 increases with the batch size",
                    monotone, detail.toString());
        }
        for (Map.Entry<Integer, double[]> e : lateMedian.entrySet()) {
            ctx.summary("late_median_sharpness_b" + e.getKey(), Stats.mean(e.getValue()));
            ctx.summary("max_sharpness_b" + e.getKey(), peak.get(e.getKey()));
        }
        ctx.summary("two_over_h", edge);
        ctx.note("λ1 is the largest algebraic eigenvalue of the full-batch training Hessian (warm-started Lanczos, "
                + params.iterations() + " products) every " + every + " steps; the late phase is the second half "
                + "of the run. Every run of a seed starts from the same θ0 (PyTorch initialisation of that seed).");
    }

}
