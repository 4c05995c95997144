package org.driftlab.studies;

import java.util.List;
import java.util.Map;
import org.driftlab.study.Figure;
import org.driftlab.experiment.Spec;
import org.driftlab.experiment.Optimizers;
import org.driftlab.experiment.Param;
import org.driftlab.experiment.Probes;
import org.driftlab.experiment.Regularizers;
import org.driftlab.linalg.Stats;
import org.driftlab.study.Study;
import org.driftlab.study.StudyContext;
import org.driftlab.experiment.Metrics;

/**
 * Sharpness-aware training (Roberts' slides; Foret et al. 2021; Williams and Roberts 2023): SGD, SAM (ascent to
 * θ + ρ g/‖g‖, descent with the gradient there) and SGD-TRACER (SGD on E + ρ·Tr(G⁻¹H), G an EMA of the diagonal
 * Fisher), from the same initialisation and batch order per seed, with the reg developer's rules
 * ({@code optimizer: {name: sam}}, {@code regularizer: {name: gtracer}}). Measured: λ_max along training, and at
 * the end λ_max, Tr H (Hutchinson), N_eff(α) (top eigenvalues plus deflated SLQ) and test accuracy, over seeds with
 * standard errors.
 */
public final class SamStudy implements Study<SamStudy.Params> {
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

    /** The parameters of the study, each with its default, unit and meaning. */
    public record Params(
            @Param(value = "{}", doc = "the network, its data and loss, and the held-out data") ClassifierParams classifier,
            @Param(value = "50", unit = "examples", doc = "batch size B") int batchSize,
            @Param(value = "0.05", doc = "learning rate h") double h,
            @Param(value = "0.05", doc = "SAM radius ρ") double samRho,
            @Param(value = "1.0e-06", doc = "G-TRACER's ρ") double gtracerCoef,
            @Param(value = "0.01", doc = "G-TRACER's EMA weight β") double gtracerBeta,
            @Param(value = "0.001", doc = "G-TRACER's damping δ") double gtracerDelta,
            @Param(value = "1000", unit = "steps", doc = "training steps per arm") int steps,
            @Param(value = "50", unit = "steps", doc = "measurement period") int every,
            @Param(value = "20", doc = "Lanczos products per λ_max") int iterations,
            @Param(value = "1.0", doc = "prior precision α of N_eff") double neffAlpha) {
        /** The checks that need no data, made before the study creates anything. */
        public Params {
            org.driftlab.experiment.Params.check(h > 0, "h", h + " must be a positive learning rate");
            org.driftlab.experiment.Params.atLeast("batch_size", batchSize, 1);
            org.driftlab.experiment.Params.checkAs(Map.of("rho", "sam_rho"), () -> new Optimizers.SamParams(samRho));
            org.driftlab.experiment.Params.checkAs(Map.of("coef", "gtracer_coef", "beta", "gtracer_beta", "delta", "gtracer_delta"),
                    () -> gtracer(gtracerCoef, gtracerBeta, gtracerDelta));
            org.driftlab.experiment.Params.check(steps >= 2 * every && every >= 1, "steps", "need steps >= 2·every >= 2");
            org.driftlab.experiment.Params.check(neffAlpha > 0, "neff_alpha", "must be > 0");
        }
    }

    /** G-TRACER's parameters in the study: one Hutchinson probe per step. */
    private static Regularizers.GTracerParams gtracer(double coef, double beta, double delta) {
        return new Regularizers.GTracerParams(coef, 1, beta, delta);
    }

    @Override
    public void run(StudyContext ctx, Params params) {
        double h = params.h();
        int batch = params.batchSize();
        int steps = params.steps();
        int every = params.every();
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
            Spec.Builder b = params.classifier().spec("sam-" + a).batchSize(batch).lr(h)
                    .seeds(seeds).threads(ctx.threads()).probe(new Probes.TrainParams(every))
                    .probe(new Probes.TestParams(every)).probe(new Probes.SharpnessParams(every, 1, params.iterations()))
                    .probe(new Probes.TraceParams(steps)) // at θ0 and at the end
                    .probe(org.driftlab.experiment.Params.with(org.driftlab.experiment.Params.defaults(Probes.NeffParams.class),
                            Map.of("neff", steps, "neff_alpha", params.neffAlpha())))
                    .steps(steps).checkpointEvery(Math.max(every, 100));
            if (a == 1) {
                b.optimizer("sam", new Optimizers.SamParams(params.samRho()));
            } else {
                b.optimizer("sgd");
            }
            if (a == 2) {
                b.regularizer("gtracer", gtracer(params.gtracerCoef(), params.gtracerBeta(), params.gtracerDelta()));
            }
            Spec spec = b.build();
            if (!noted) {
                StudySupport.noteData(ctx, StudySupport.problem(spec, seeds.get(0)));
                noted = true;
            }
            Metrics m = ctx.train("arm" + a + "-" + ARMS.get(a).toLowerCase().replace("-", ""), spec).metrics();
            for (int si = 0; si < ns; si++) {
                long seed = seeds.get(si);
                Metrics r = m.where("seed", seed).nonEmpty("train_loss");
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
                Metrics last = r.where("step", step[step.length - 1]);
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
                double mean = Stats.mean(values[a][k]);
                double se = Stats.stderr(values[a][k]);
                summary.row(ARMS.get(a), a, metrics[k], mean, se, mean - se, mean + se, ns);
                StudySupport.errorBox(boxes, a, 0.2, values[a][k], ARMS.get(a), metrics[k]);
                ctx.summary(metrics[k] + " " + ARMS.get(a), mean);
                ctx.summary(metrics[k] + "_stderr " + ARMS.get(a), se);
            }
        }
        sharp.writeTo(ctx.table("sharpness", "arm", "step", "mean", "min", "max", "seeds"));
        loss.writeTo(ctx.table("loss", "arm", "step", "mean", "min", "max", "seeds"));

        ctx.figure(Figure.of("sharpness", "λ_max along training").axes("step", "λ_max")
                .spread("sharpness", "step", "arm")
                .hline(2 / h, "2/h").caption("Mean over " + seedText + " with the min–max band; all arms of a seed "
                        + "start from the same θ0 with the same batch order, h = " + h + ", B = " + batch + ".")
                .build());
        ctx.figure(Figure.of("loss", "Training loss").axes("step", "E").logY()
                .spread("loss", "step", "arm")
                .caption("Mean over " + seedText + " with the min–max band.").build());
        String[] titles = {"final λ_max", "final Tr H", "final N_eff(α = " + params.neffAlpha() + ")",
            "final test accuracy"};
        for (int k = 0; k < metrics.length; k++) {
            ctx.figure(Figure.of("final-" + metrics[k].replace('_', '-'), titles[k] + " ± standard error")
                    .axes("arm (0 SGD, 1 SAM, 2 G-TRACER)", metrics[k]).where("metric", metrics[k])
                    .band("error_boxes", "x", "lo", "hi", "arm", "± s.e. ").points("summary", "index", "mean", "arm", "")
                    .caption("Mean over " + seedText + " ± one standard error.").build());
        }

        double sgdSharp = Stats.mean(values[0][0]);
        ctx.finding("sam-flatter", "SAM ends flatter than SGD: lower final λ_max (mean over seeds)",
                Stats.mean(values[1][0]) < sgdSharp, detail(values, 0));
        ctx.finding("gtracer-flatter", "G-TRACER ends flatter than SGD: lower final λ_max (mean over seeds)",
                Stats.mean(values[2][0]) < sgdSharp, detail(values, 0));
        ctx.finding("smaller-trace-h", "SAM and G-TRACER end with a smaller Tr H than SGD (mean over seeds)",
                Stats.mean(values[1][1]) < Stats.mean(values[0][1])
                        && Stats.mean(values[2][1]) < Stats.mean(values[0][1]), detail(values, 1));
        ctx.finding("fewer-effective-parameters", "SAM and G-TRACER end with fewer effective parameters N_eff than SGD (mean over seeds)",
                Stats.mean(values[1][2]) < Stats.mean(values[0][2])
                        && Stats.mean(values[2][2]) < Stats.mean(values[0][2]), detail(values, 2));
        ctx.finding("test-accuracy", "SAM and G-TRACER reach at least SGD's test accuracy (mean over seeds)",
                Stats.mean(values[1][3]) >= Stats.mean(values[0][3])
                        && Stats.mean(values[2][3]) >= Stats.mean(values[0][3]), detail(values, 3));
        ctx.note("SAM: ρ = " + params.samRho() + " (one ascent step of length ρ along the normalised batch "
                + "gradient). G-TRACER: SGD on E + ρ·Tr(G⁻¹H), ρ = " + params.gtracerCoef() + ", G ← (1−β)G + β g⊙g "
                + "with β = " + params.gtracerBeta() + ", damping δ = " + params.gtracerDelta() + ". Final λ_max by "
                + "Lanczos, Tr H by Hutchinson (10 probes, stderr in final.csv), N_eff by the top-10 eigenvalues plus "
                + "SLQ of the deflated Hessian; N_eff = Σλ/(λ + α) assumes λ >= 0 and swings (even below 0) when "
                + "negative eigenvalues lie near −α, so read it per seed in final.csv.");
    }

    private static String detail(double[][][] v, int k) {
        return StudySupport.means(ARMS, a -> v[a][k], true, "; ");
    }
}
