package org.driftlab.studies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.driftlab.study.Figure;
import org.driftlab.experiment.Spec;
import org.driftlab.experiment.Optimizers;
import org.driftlab.experiment.Param;
import org.driftlab.experiment.Probes;
import org.driftlab.linalg.Stats;
import org.driftlab.study.Study;
import org.driftlab.study.StudyContext;
import org.driftlab.optim.Dal;
import org.driftlab.experiment.Metrics;

/**
 * DAL and DAL-p against GD on a small MLP (Rosca et al., TMLR 2023, §DAL; DeepMind's {@code dal.py}): full-batch
 * training with h(θ) = min(2/ζ^p, h_max), ζ = ‖∇²E∇E‖/‖∇E‖, for p ∈ {0.5, 1, 2}, beside GD with a fixed h. Each
 * method is an ordinary training run (the Runner, with the sharpness and drift probes), so loss, sharpness λ₁ and
 * ζ = 2/dal_lr are logged along training; the study collects them, derives DAL's rate, and compares the final
 * sharpness — the "DAL finds flatter minima" claim, stated as it comes out.
 *
 * <p>Since ζ = ‖∇²E ĝ‖ ≤ max_i |λ_i|, DAL (p = 1) steps at h = 2/ζ ≥ 2/λ₁ whenever the top eigenvalue dominates:
 * at or beyond GD's edge of stability along the top direction, which is what pushes it towards flatter regions.
 */
public final class DalStudy implements Study<DalStudy.Params> {
    @Override
    public String kind() {
        return "dal";
    }

    @Override
    public String description() {
        return "DAL and DAL-p (p = 0.5, 1, 2) vs GD on an MLP: loss, sharpness and ζ along training, final sharpness";
    }

    /** The parameters of the study, each with its default, unit and meaning. */
    public record Params(
            @Param(value = "{model: 'fc-tanh:16,16', data: 'synthetic:blobs:n=200,d=8,k=4,seed=1'}",
                    doc = "the network, its data and loss") NetworkParams network,
            @Param(value = "0.5", doc = "GD's fixed learning rate h") double gdLr,
            @Param(value = "[0.5, 1.0, 2.0]", doc = "DAL-p exponents p (1 is DAL)") List<Double> ps,
            @Param(value = "5.0", doc = "cap of DAL's rate") double hMax,
            @Param(value = "1000", unit = "steps", doc = "training steps per method") int steps,
            @Param(value = "20", unit = "steps", doc = "λ1 period") int sharpnessEvery,
            @Param(value = "20", doc = "Lanczos products per λ1") int iterations,
            @Param(value = "1", unit = "steps", doc = "period of ζ = ‖∇²E∇E‖/‖∇E‖ (the drift probe)") int driftEvery) {}

    @Override
    public void run(StudyContext ctx, Params params) {
        double gdLr = params.gdLr();
        double hMax = params.hMax();
        List<Double> ps = params.ps();
        List<Long> seeds = ctx.seeds();
        int ns = seeds.size();

        List<String> methods = new ArrayList<>();
        Map<String, Metrics> logs = new LinkedHashMap<>();
        Map<String, Double> pOf = new LinkedHashMap<>();
        methods.add("gd");
        logs.put("gd", ctx.train("gd", spec(ctx, params, "gd").optimizer("gd").build()).metrics());
        for (double p : ps) {
            String m = p == 1.0 ? "dal" : "dal-p" + fmt(p);
            methods.add(m);
            pOf.put(m, p);
            // the rate h is ignored by DAL: its rate is min(2/ζ^p, h_max)
            Spec.Builder b = spec(ctx, params, m.replace('.', '_'));
            logs.put(m, ctx.train(m.replace('.', '_'), (p == 1.0 ? b.optimizer("dal", new Optimizers.DalParams(hMax))
                    : b.optimizer("dal-p", new Optimizers.DalPParams(p, hMax))).build()).metrics());
        }

        StudyContext.Table curves = ctx.table("curves", "method", "seed", "step", "loss", "sharpness", "zeta", "h",
                "h_times_sharpness");
        StudyContext.Table band = ctx.table("band", "method", "step", "loss_lo", "loss_hi", "sharp_lo", "sharp_hi");
        StudyContext.Table fin = ctx.table("final", "method", "p", "seed", "final_loss", "final_sharpness",
                "final_zeta", "final_h", "outcome_steps");
        Map<String, double[]> finalSharp = new LinkedHashMap<>();
        Map<String, double[]> finalLoss = new LinkedHashMap<>();
        int aboveEdge = 0;
        int probes = 0;
        for (String m : methods) {
            Metrics log = logs.get(m);
            double[] fs = new double[ns];
            double[] fl = new double[ns];
            Map<Long, double[]> lossBy = new LinkedHashMap<>();
            Map<Long, double[]> sharpBy = new LinkedHashMap<>();
            for (int s = 0; s < ns; s++) {
                Metrics r = log.where("seed", seeds.get(s));
                long[] step = r.longCol("step");
                double[] loss = r.col("train_loss");
                double[] sharp = r.col("sharpness");
                double[] dalLr = r.col("dal_lr");
                double lastSharp = Double.NaN;
                double lastZeta = Double.NaN;
                double lastH = Double.NaN;
                for (int k = 0; k < step.length; k++) {
                    double zeta = 2 / dalLr[k]; // NaN on steps without a drift probe
                    double h = m.equals("gd") ? gdLr : Dal.rate(zeta, pOf.get(m), hMax);
                    if (Double.isNaN(dalLr[k])) {
                        h = m.equals("gd") ? gdLr : Double.NaN;
                    }
                    curves.row(m, seeds.get(s), step[k], loss[k], blank(sharp[k]), blank(zeta), blank(h),
                            blank(h * sharp[k]));
                    lossBy.computeIfAbsent(step[k], x -> nans(ns))[s] = loss[k];
                    if (!Double.isNaN(sharp[k])) {
                        sharpBy.computeIfAbsent(step[k], x -> nans(ns))[s] = sharp[k];
                        lastSharp = sharp[k];
                        if (m.equals("dal") && !Double.isNaN(h)) {
                            probes++;
                            aboveEdge += h * sharp[k] >= 2 * (1 - 1e-9) ? 1 : 0;
                        }
                    }
                    lastZeta = Double.isFinite(zeta) ? zeta : lastZeta;
                    lastH = Double.isNaN(h) ? lastH : h;
                }
                fs[s] = lastSharp;
                fl[s] = loss.length == 0 ? Double.NaN : loss[loss.length - 1];
                fin.row(m, m.equals("gd") ? 0.0 : pOf.get(m), seeds.get(s), fl[s], fs[s], lastZeta, lastH,
                        step.length == 0 ? 0 : step[step.length - 1]);
            }
            for (Map.Entry<Long, double[]> en : lossBy.entrySet()) {
                double[] l = en.getValue();
                double[] sh = sharpBy.get(en.getKey());
                band.row(m, en.getKey(), Stats.min(l), Stats.max(l), sh == null ? "" : Stats.min(sh), sh == null ? "" : Stats.max(sh));
            }
            finalSharp.put(m, fs);
            finalLoss.put(m, fl);
        }

        String seedsText = StudySupport.seeds(ns);
        ctx.figure(Figure.of("loss", "Training loss").axes("step", "E").logY()
                .band("band", "step", "loss_lo", "loss_hi", "method", "min-max ")
                .where("seed", seeds.get(0)).line("curves", "step", "loss", "method", "")
                .caption("Full-batch training loss of GD (h = " + gdLr + ") and DAL-p; lines: seed " + seeds.get(0)
                        + ", bands: min-max over " + seedsText + ".")
                .build());
        ctx.figure(Figure.of("sharpness", "Sharpness λ1 along training").axes("step", "λ1")
                .band("band", "step", "sharp_lo", "sharp_hi", "method", "min-max ")
                .where("seed", seeds.get(0)).line("curves", "step", "sharpness", "method", "")
                .hline(2 / gdLr, "2/h of GD")
                .caption("Top Hessian eigenvalue (Lanczos) every " + params.sharpnessEvery() + " steps; bands: "
                        + "min-max over " + seedsText + ".")
                .build());
        ctx.figure(Figure.of("zeta", "ζ = ‖∇²E∇E‖/‖∇E‖ and the DAL rate").axes("step", "ζ").logY()
                .where("seed", seeds.get(0)).line("curves", "step", "zeta", "method", "ζ ")
                .dashed("curves", "step", "h", "method", "h ")
                .caption("ζ along training (one line per method) and the rate each method takes (thin dashed, in the "
                        + "method's colour; DAL-p: min(2/ζ^p, " + hMax
                        + ")) for seed " + seeds.get(0) + " of " + seedsText + ".")
                .build());
        ctx.figure(Figure.of("final", "Final sharpness by method").axes("p (0: GD)", "final λ1")
                .points("final", "p", "final_sharpness", "method", "")
                .caption("Final sharpness of each seed (" + seedsText + "); GD (fixed h = " + gdLr + ") is plotted at p = 0.")
                .build());

        double[] gdSharp = finalSharp.get("gd");
        List<String> per = new ArrayList<>();
        boolean dalFlatter = finalSharp.containsKey("dal");
        for (String m : methods) {
            per.add(String.format(Locale.ROOT, "%s: λ1 %s, E %s", m, range(finalSharp.get(m)), range(finalLoss.get(m))));
            if (m.equals("dal")) {
                for (int s = 0; s < ns; s++) {
                    dalFlatter &= finalSharp.get(m)[s] < gdSharp[s];
                }
            }
            ctx.summary("final_sharpness_" + m, toList(finalSharp.get(m)));
            ctx.summary("final_loss_" + m, toList(finalLoss.get(m)));
        }
        List<String> flatterP = new ArrayList<>();
        for (String m : methods) {
            if (m.equals("gd")) {
                continue;
            }
            boolean all = true;
            for (int s = 0; s < ns; s++) {
                all &= finalSharp.get(m)[s] < gdSharp[s];
            }
            if (all) {
                flatterP.add(fmt(pOf.get(m)));
            }
        }
        ctx.summary("flatter_than_gd_for_p", flatterP);
        ctx.finding("dal-flatter", "DAL (p = 1) ends at a flatter point than GD (lower final sharpness for every seed)", dalFlatter,
                String.join("; ", per));
        ctx.finding("every-dal-p-flatter", "Every DAL-p ends flatter than GD", flatterP.size() == ps.size(),
                "p with lower final sharpness than GD on every seed: " + (flatterP.isEmpty() ? "none" : flatterP)
                        + " of " + ps);
        ctx.finding("dal-beyond-edge", "DAL (p = 1) steps at or beyond GD's edge along the top direction (h·λ1 >= 2 at every probe)",
                probes > 0 && aboveEdge == probes,
                String.format(Locale.ROOT, "%d of %d sharpness probes of DAL have h_DAL·λ1 >= 2 (ζ <= λ1 unless "
                        + "negative curvature dominates)", aboveEdge, probes));
    }

    /** A run of the study's network at GD's rate (DAL ignores it), with its probes: λ1 and DAL's ζ. */
    private static Spec.Builder spec(StudyContext ctx, Params params, String name) {
        return params.network().spec(name).lr(params.gdLr()).seeds(ctx.seeds()).threads(ctx.threads())
                .probe(new Probes.TrainParams(1)).probe(new Probes.SharpnessParams(params.sharpnessEvery(), 1,
                        params.iterations())).probe(new Probes.DriftParams(params.driftEvery())).steps(params.steps())
                .checkpointEvery(100);
    }

    private static Object blank(double v) {
        return Double.isNaN(v) ? "" : v;
    }

    private static String fmt(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }

    /** A seed that stopped early (diverged) has no value at later steps: NaN, skipped by the band. */
    private static double[] nans(int n) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, Double.NaN);
        return v;
    }

    private static String range(double[] v) {
        return v.length == 1 ? String.format(Locale.ROOT, "%.4g", v[0])
                : String.format(Locale.ROOT, "%.4g..%.4g", Stats.min(v), Stats.max(v));
    }

    private static List<Double> toList(double[] v) {
        List<Double> out = new ArrayList<>();
        for (double x : v) {
            out.add(x);
        }
        return out;
    }
}
