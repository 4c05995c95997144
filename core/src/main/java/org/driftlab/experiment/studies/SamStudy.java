package org.driftlab.experiment.studies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.experiment.Figure;
import org.driftlab.experiment.Spec;
import org.driftlab.experiment.Study;
import org.driftlab.experiment.StudyContext;
import org.driftlab.report.CsvTable;

/**
 * Sharpness-aware training (Roberts' slides; Foret et al. 2021; Williams and Roberts 2023): SGD, SAM (ascent to
 * θ + ρ g/‖g‖, descent with the gradient there) and SGD-TRACER (SGD on E + ρ·Tr(G⁻¹H), G an EMA of the diagonal
 * Fisher), from the same initialisation and batch order per seed, with the reg developer's rules
 * ({@code optimizer: {name: sam}}, {@code regularizer: {name: gtracer}}). Measured: λ_max along training, and at
 * the end λ_max, Tr H (Hutchinson), N_eff(α) (top eigenvalues plus deflated SLQ) and test accuracy, over seeds with
 * standard errors.
 */
public final class SamStudy implements Study {
    /** The arms, in table order. */
    static final List<String> ARMS = List.of("SGD", "SAM", "G-TRACER");

    @Override
    public String kind() {
        return "sam";
    }

    @Override
    public String description() {
        return "SGD vs SAM vs G-TRACER from one initialisation: final λ_max, Tr H, N_eff, test accuracy";
    }

    @Override
    public Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("model", "fc-tanh:100,100");
        d.put("data", "fashion-mnist:train:1000:standardize");
        d.put("test_data", "fashion-mnist:test:1000:standardize");
        d.put("loss", "ce");
        d.put("batch_size", 50);
        d.put("h", 0.05);
        d.put("sam_rho", 0.05);
        d.put("gtracer_coef", 1e-6);
        d.put("gtracer_beta", 0.01);
        d.put("gtracer_delta", 1e-3);
        d.put("steps", 1000);
        d.put("every", 50);
        d.put("iterations", 20);
        d.put("neff_alpha", 1.0);
        return d;
    }

    @Override
    public void run(StudyContext ctx) {
        double h = ctx.num("h");
        int batch = ctx.integer("batch_size");
        int steps = ctx.integer("steps");
        int every = ctx.integer("every");
        StudySupport.require(h > 0, "h", h + " must be a positive learning rate");
        StudySupport.require(batch >= 1, "batch_size", batch + " must be >= 1");
        StudySupport.require(ctx.num("sam_rho") > 0, "sam_rho", ctx.num("sam_rho") + " must be > 0");
        StudySupport.require(ctx.num("gtracer_coef") >= 0, "gtracer_coef", "must be >= 0");
        StudySupport.require(steps >= 2 * every && every >= 1, "steps", "need steps >= 2·every >= 2");
        StudySupport.require(ctx.num("neff_alpha") > 0, "neff_alpha", "must be > 0");
        List<Long> seeds = ctx.seeds();
        int ns = seeds.size();
        String seedText = StudySupport.seeds(ns);

        StudyContext.Table curves = ctx.table("curves", "arm", "seed", "step", "train_loss", "train_accuracy",
                "test_accuracy", "sharpness");
        StudyContext.Table finals = ctx.table("final", "arm", "seed", "sharpness", "trace_H", "trace_H_stderr", "n_eff",
                "test_accuracy", "train_loss");
        StudyContext.Table summary = ctx.table("summary", "arm", "index", "metric", "mean", "stderr", "lo", "hi", "seeds");
        StudyContext.Table boxes = ctx.table("error_boxes", "arm", "metric", "x", "lo", "hi");
        StudySupport.Spread sharp = new StudySupport.Spread();
        StudySupport.Spread loss = new StudySupport.Spread();
        String[] metrics = {"sharpness", "trace_H", "n_eff", "test_accuracy"};
        double[][][] values = new double[ARMS.size()][metrics.length][ns];
        boolean noted = false;
        for (int a = 0; a < ARMS.size(); a++) {
            Map<String, Object> tree = StudySupport.specTree("sam-" + a, ctx.text("model"), ctx.text("data"),
                    ctx.text("loss"), steps);
            tree.put("test_data", ctx.text("test_data"));
            Map<String, Object> opt = StudySupport.section(tree, "optimizer");
            opt.put("name", a == 1 ? "sam" : "sgd");
            opt.put("batch_size", batch);
            opt.put("lr", h);
            if (a == 1) {
                opt.put("rho", ctx.num("sam_rho"));
            }
            if (a == 2) {
                Map<String, Object> reg = StudySupport.section(tree, "regularizer");
                reg.put("name", "gtracer");
                reg.put("coef", ctx.num("gtracer_coef"));
                reg.put("beta", ctx.num("gtracer_beta"));
                reg.put("delta", ctx.num("gtracer_delta"));
            }
            tree.put("seeds", new ArrayList<>(seeds));
            tree.put("threads", ctx.threads());
            Map<String, Object> probes = StudySupport.section(tree, "probes");
            probes.put("train", every);
            probes.put("test", every);
            probes.put("sharpness", every);
            probes.put("iterations", ctx.integer("iterations"));
            probes.put("trace", steps); // at θ0 and at the end
            probes.put("neff", steps);
            probes.put("neff_alpha", ctx.num("neff_alpha"));
            tree.put("checkpoint_every", Math.max(every, 100));
            Spec spec = Spec.fromMap(tree);
            if (!noted) {
                StudySupport.noteData(ctx, StudySupport.problem(spec, seeds.get(0)));
                noted = true;
            }
            CsvTable m = ctx.train("arm" + a + "-" + ARMS.get(a).toLowerCase().replace("-", ""), spec);
            for (int si = 0; si < ns; si++) {
                long seed = seeds.get(si);
                CsvTable r = m.where("seed", Long.toString(seed)).nonEmpty("train_loss");
                double[] step = r.col("step");
                double[] lo = r.col("train_loss");
                double[] acc = r.col("train_accuracy");
                double[] test = r.col("test_accuracy");
                double[] lam = r.col("sharpness");
                for (int i = 0; i < step.length; i++) {
                    curves.row(ARMS.get(a), seed, (long) step[i], lo[i], acc[i], test[i], lam[i]);
                    sharp.add(ARMS.get(a), step[i], lam[i]);
                    loss.add(ARMS.get(a), step[i], lo[i]);
                }
                CsvTable last = r.where("step", Long.toString((long) step[step.length - 1]));
                double[] fin = {last.col("sharpness")[0], last.col("trace_H")[0], last.col("n_eff")[0],
                    last.col("test_accuracy")[0]};
                for (int k = 0; k < metrics.length; k++) {
                    values[a][k][si] = fin[k];
                }
                finals.row(ARMS.get(a), seed, fin[0], fin[1], last.col("trace_H_stderr")[0], fin[2], fin[3],
                        lo[lo.length - 1]);
            }
        }
        for (int k = 0; k < metrics.length; k++) {
            for (int a = 0; a < ARMS.size(); a++) {
                double mean = StudySupport.mean(values[a][k]);
                double se = StudySupport.stderr(values[a][k]);
                summary.row(ARMS.get(a), a, metrics[k], mean, se, mean - se, mean + se, ns);
                // a band over [a − 0.2, a + 0.2] grouped by arm draws one error box per arm
                boxes.row(ARMS.get(a), metrics[k], a - 0.2, mean - se, mean + se);
                boxes.row(ARMS.get(a), metrics[k], a + 0.2, mean - se, mean + se);
                ctx.summary(metrics[k] + " " + ARMS.get(a), mean);
                ctx.summary(metrics[k] + "_stderr " + ARMS.get(a), se);
            }
        }
        sharp.writeTo(ctx.table("sharpness", "arm", "step", "mean", "min", "max", "seeds"));
        loss.writeTo(ctx.table("loss", "arm", "step", "mean", "min", "max", "seeds"));

        ctx.figure(Figure.of("sharpness", "λ_max along training").axes("step", "λ_max")
                .band("sharpness", "step", "min", "max", "arm", "min–max").line("sharpness", "step", "mean", "arm", "")
                .hline(2 / h, "2/h").caption("Mean over " + seedText + " with the min–max band; all arms of a seed "
                        + "start from the same θ0 with the same batch order, h = " + h + ", B = " + batch + ".")
                .build());
        ctx.figure(Figure.of("loss", "Training loss").axes("step", "E").logY()
                .band("loss", "step", "min", "max", "arm", "min–max").line("loss", "step", "mean", "arm", "")
                .caption("Mean over " + seedText + " with the min–max band.").build());
        String[] titles = {"final λ_max", "final Tr H", "final N_eff(α = " + ctx.num("neff_alpha") + ")",
            "final test accuracy"};
        for (int k = 0; k < metrics.length; k++) {
            ctx.figure(Figure.of("final-" + metrics[k].replace('_', '-'), titles[k] + " ± standard error")
                    .axes("arm (0 SGD, 1 SAM, 2 G-TRACER)", metrics[k]).where("metric", metrics[k])
                    .band("error_boxes", "x", "lo", "hi", "arm", "± s.e. ").points("summary", "index", "mean", "arm", "")
                    .caption("Mean over " + seedText + " ± one standard error.").build());
        }

        double sgdSharp = StudySupport.mean(values[0][0]);
        ctx.finding("SAM ends flatter than SGD: lower final λ_max (mean over seeds)",
                StudySupport.mean(values[1][0]) < sgdSharp, detail(values, 0));
        ctx.finding("G-TRACER ends flatter than SGD: lower final λ_max (mean over seeds)",
                StudySupport.mean(values[2][0]) < sgdSharp, detail(values, 0));
        ctx.finding("SAM and G-TRACER end with a smaller Tr H than SGD (mean over seeds)",
                StudySupport.mean(values[1][1]) < StudySupport.mean(values[0][1])
                        && StudySupport.mean(values[2][1]) < StudySupport.mean(values[0][1]), detail(values, 1));
        ctx.finding("SAM and G-TRACER end with fewer effective parameters N_eff than SGD (mean over seeds)",
                StudySupport.mean(values[1][2]) < StudySupport.mean(values[0][2])
                        && StudySupport.mean(values[2][2]) < StudySupport.mean(values[0][2]), detail(values, 2));
        ctx.finding("SAM and G-TRACER reach at least SGD's test accuracy (mean over seeds)",
                StudySupport.mean(values[1][3]) >= StudySupport.mean(values[0][3])
                        && StudySupport.mean(values[2][3]) >= StudySupport.mean(values[0][3]), detail(values, 3));
        ctx.note("SAM: ρ = " + ctx.num("sam_rho") + " (one ascent step of length ρ along the normalised batch "
                + "gradient). G-TRACER: SGD on E + ρ·Tr(G⁻¹H), ρ = " + ctx.num("gtracer_coef") + ", G ← (1−β)G + β g⊙g "
                + "with β = " + ctx.num("gtracer_beta") + ", damping δ = " + ctx.num("gtracer_delta") + ". Final λ_max by "
                + "Lanczos, Tr H by Hutchinson (10 probes, stderr in final.csv), N_eff by the top-10 eigenvalues plus "
                + "SLQ of the deflated Hessian; N_eff = Σλ/(λ + α) assumes λ >= 0 and swings (even below 0) when "
                + "negative eigenvalues lie near −α, so read it per seed in final.csv.");
    }

    private static String detail(double[][][] v, int k) {
        StringBuilder s = new StringBuilder();
        for (int a = 0; a < ARMS.size(); a++) {
            s.append(ARMS.get(a)).append(' ').append(StudySupport.f(StudySupport.mean(v[a][k]))).append(" ± ")
                    .append(StudySupport.f(StudySupport.stderr(v[a][k]))).append(a + 1 < ARMS.size() ? "; " : "");
        }
        return s.toString();
    }
}
