package org.driftlab.studies;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.driftlab.data.Npy;
import org.driftlab.study.Figure;
import org.driftlab.experiment.ObjectiveFactory;
import org.driftlab.experiment.Spec;
import org.driftlab.experiment.Param;
import org.driftlab.experiment.Probes;
import org.driftlab.experiment.Regularizers;
import org.driftlab.linalg.Stats;
import org.driftlab.study.Study;
import org.driftlab.study.StudyContext;
import org.driftlab.objective.NetObjective;
import org.driftlab.experiment.Metrics;
import org.driftlab.tensor.Tensor;

/**
 * Catastrophic Fisher explosion and the Fisher penalty (Jastrzębski et al., ICML 2021): SGD with a small h, with a
 * large h, with the small h plus the Fisher penalty α‖∇L(x, ŷ)‖^q (ŷ drawn from the model; the reg developer's
 * {@code regularizer: {name: fisher}}), and with the small h plus the gradient-norm penalty α‖∇L(x, y)‖^q (true
 * labels), from the same initialisations. Measured: Tr F of the true Fisher along training (the early "explosion"
 * at small h), final test accuracy over seeds with standard errors, and, with label noise, how fast and how much
 * each run fits the flipped labels (memorisation).
 *
 * <p>Label noise uses the data option {@code label-noise=P} with a fixed noise seed, so every run of a noise level
 * sees the same corrupted labels; the fraction of flipped examples whose wrong label the final model predicts is
 * computed from the final θ against the clean labels.
 */
public final class FisherPenaltyStudy implements Study<FisherPenaltyStudy.Params> {
    /** The four arms, in table order. */
    static final List<String> ARMS = List.of("small h", "large h", "small h + Fisher penalty", "small h + grad-norm penalty");

    @Override
    public String kind() {
        return "fisher-penalty";
    }

    @Override
    public String description() {
        return "Fisher explosion at small h and the Fisher / gradient-norm penalties: Tr F, test accuracy, memorisation";
    }

    /** The parameters of the study, each with its default, unit and meaning. */
    public record Params(
            @Param(value = "{}", doc = "the network, its data and loss, and the held-out data") ClassifierParams classifier,
            @Param(value = "50", unit = "examples", doc = "SGD batch size B") int batchSize,
            @Param(value = "0.02", doc = "the small learning rate") double hSmall,
            @Param(value = "0.3", doc = "the large learning rate") double hLarge,
            @Param(value = "0.1", doc = "coefficient α of the Fisher penalty") double fisherCoef,
            @Param(value = "0.1", doc = "coefficient α of the gradient-norm penalty") double gradNormCoef,
            @Param(value = "1.0", doc = "power q of both penalties' norm") double q,
            @Param(value = "[0.0, 0.25, 0.5]", doc = "fractions of flipped training labels (0 first)") List<Double> labelNoise,
            @Param(value = "7", doc = "seed of the flipped labels") int noiseSeed,
            @Param(value = "1000", unit = "steps", doc = "SGD steps per run") int steps,
            @Param(value = "20", unit = "steps", doc = "Tr F and test period") int every,
            @Param(value = "1", doc = "label draws per Tr F measurement") int fisherSamples,
            @Param(value = "1.0", doc = "factor on θ₀ (PyTorch's default initialisation); below 1 Tr F starts small, as in the paper's early phase") double initScale,
            @Param(value = "2.0", doc = "factor by which Tr F must grow above its value at θ₀ to count as the explosion") double growth) {
        /** The checks that need no data, made before the study creates anything. */
        public Params {
            org.driftlab.experiment.Params.check(hSmall > 0 && hLarge > hSmall, "h_large", "need 0 < h_small < h_large, got " + hSmall
                    + " and " + hLarge);
            org.driftlab.experiment.Params.atLeast("batch_size", batchSize, 1);
            org.driftlab.experiment.Params.checkAs(Map.of("coef", "fisher_coef"), () -> new Regularizers.FisherParams(fisherCoef, q));
            org.driftlab.experiment.Params.checkAs(Map.of("coef", "grad_norm_coef"), () -> new Regularizers.GradNormParams(gradNormCoef, q));
            org.driftlab.experiment.Params.check(!labelNoise.isEmpty() && labelNoise.get(0) == 0.0, "label_noise",
                    labelNoise + ": the first level must be 0 (clean labels: Tr F and test accuracy), e.g. [0.0, 0.25, 0.5]");
            org.driftlab.experiment.Params.check(labelNoise.stream().allMatch(p -> p >= 0 && p < 1), "label_noise", "levels must be in [0, 1)");
            org.driftlab.experiment.Params.check(steps >= 2 * every && every >= 1, "steps", "need steps >= 2·every >= 2");
            org.driftlab.experiment.Params.check(initScale > 0 && Double.isFinite(initScale), "init_scale", initScale + " must be > 0");
            org.driftlab.experiment.Params.check(growth > 1 && Double.isFinite(growth), "growth", growth + " must be > 1");
            org.driftlab.experiment.Params.check(classifier.network().loss().equals("ce"), "loss", "the Fisher penalty study is a classification "
                    + "study: loss must be ce");
        }
    }

    @Override
    public void run(StudyContext ctx, Params params) {
        double hSmall = params.hSmall();
        double hLarge = params.hLarge();
        int batch = params.batchSize();
        int steps = params.steps();
        int every = params.every();
        List<Double> noises = params.labelNoise();
        List<Long> seeds = ctx.seeds();
        int ns = seeds.size();
        String seedText = StudySupport.seeds(ns);

        StudyContext.Table curves = ctx.table("curves", "noise", "arm", "seed", "step", "epoch", "train_loss",
                "train_accuracy", "test_accuracy", "trace_F");
        StudyContext.Table finals = ctx.table("final", "noise", "arm", "seed", "test_accuracy", "train_accuracy",
                "initial_trace_F", "max_trace_F", "max_trace_F_step", "mean_trace_F", "memorised");
        StudyContext.Table accuracy = ctx.table("accuracy", "noise", "arm", "mean_test_accuracy", "stderr", "lo", "hi",
                "mean_memorised", "memorised_stderr", "seeds");
        StudyContext.Table boxes = ctx.table("accuracy_boxes", "noise", "arm", "x", "lo", "hi");
        Map<Double, StudySupport.Spread> fisherBands = new LinkedHashMap<>();
        Map<Double, StudySupport.Spread> fitBands = new LinkedHashMap<>();
        // [noise][arm][seed]
        Map<Double, double[][]> maxF = new LinkedHashMap<>();
        Map<Double, double[][]> avgF = new LinkedHashMap<>();
        Map<Double, double[][]> earlyPeakStep = new LinkedHashMap<>();
        Map<Double, double[][]> initialF = new LinkedHashMap<>();
        Map<Double, double[][]> testAcc = new LinkedHashMap<>();
        Map<Double, double[][]> memorised = new LinkedHashMap<>();
        Map<Double, double[][]> fitSpeed = new LinkedHashMap<>();
        for (double noise : noises) {
            String data = params.classifier().network().data() + (noise > 0 ? ":label-noise=" + noise + ":noise-seed=" + params.noiseSeed() : "");
            fisherBands.put(noise, new StudySupport.Spread());
            fitBands.put(noise, new StudySupport.Spread());
            maxF.put(noise, new double[ARMS.size()][ns]);
            avgF.put(noise, new double[ARMS.size()][ns]);
            earlyPeakStep.put(noise, new double[ARMS.size()][ns]);
            initialF.put(noise, new double[ARMS.size()][ns]);
            testAcc.put(noise, new double[ARMS.size()][ns]);
            memorised.put(noise, new double[ARMS.size()][ns]);
            fitSpeed.put(noise, new double[ARMS.size()][ns]);
            int[] flippedLabels = null;
            int[] cleanLabels = null;
            NetObjective trainNet = null;
            for (int a = 0; a < ARMS.size(); a++) {
                Spec.Builder b = params.classifier().spec("fisher-penalty", data).optimizer("sgd").batchSize(batch)
                        .lr(a == 1 ? hLarge : hSmall).seeds(seeds).threads(ctx.threads())
                        .probe(new Probes.TrainParams(every)).probe(new Probes.TestParams(every))
                        .probe(new Probes.FisherParams(every, params.fisherSamples())).steps(steps)
                        .checkpointEvery(Math.max(every, 100)).initScale(params.initScale());
                if (a == 2) {
                    b.regularizer("fisher", new Regularizers.FisherParams(params.fisherCoef(), params.q()));
                } else if (a == 3) {
                    b.regularizer("grad-norm", new Regularizers.GradNormParams(params.gradNormCoef(), params.q()));
                }
                Spec spec = b.build();
                if (flippedLabels == null) {
                    ObjectiveFactory.Problem p = StudySupport.problem(spec, seeds.get(0));
                    if (noise == 0.0) {
                        StudySupport.noteData(ctx, p);
                    }
                    trainNet = NetworkParams.net(p);
                    flippedLabels = trainNet.labels();
                    cleanLabels = noise > 0 ? cleanLabels(params, spec) : flippedLabels;
                }
                String tag = String.format(Locale.ROOT, "noise%02d-arm%d", Math.round(100 * noise), a);
                Metrics m = ctx.train(tag, spec).metrics();
                for (int si = 0; si < ns; si++) {
                    long seed = seeds.get(si);
                    Metrics r = m.where("seed", seed).nonEmpty("train_loss");
                    double[] step = r.col("step");
                    double[] lo = r.col("train_loss");
                    double[] acc = r.col("train_accuracy");
                    double[] test = r.col("test_accuracy");
                    double[] tf = r.col("trace_F");
                    double peak = Double.NEGATIVE_INFINITY;
                    double peakStep = 0;
                    double auc = 0;
                    double meanF = 0;
                    int countF = 0;
                    for (int i = 0; i < step.length; i++) {
                        curves.row(noise, ARMS.get(a), seed, (long) step[i], step[i] * batch / flippedLabels.length, lo[i],
                                acc[i], test[i], tf[i]);
                        fisherBands.get(noise).add(ARMS.get(a), step[i], tf[i]);
                        fitBands.get(noise).add(ARMS.get(a), step[i], acc[i]);
                        if (tf[i] > peak) {
                            peak = tf[i];
                            peakStep = step[i];
                        }
                        if (step[i] > 0 && Double.isFinite(tf[i])) {
                            meanF += tf[i];
                            countF++;
                        }
                        auc += acc[i] / step.length;
                    }
                    maxF.get(noise)[a][si] = peak;
                    avgF.get(noise)[a][si] = meanF / countF;
                    earlyPeakStep.get(noise)[a][si] = peakStep;
                    initialF.get(noise)[a][si] = tf[0];
                    testAcc.get(noise)[a][si] = test[test.length - 1];
                    fitSpeed.get(noise)[a][si] = auc;
                    double mem = Double.NaN;
                    if (noise > 0 && cleanLabels != flippedLabels) {
                        mem = memorised(ctx.dir().resolve("runs").resolve(tag), trainNet, si, cleanLabels, flippedLabels);
                    }
                    memorised.get(noise)[a][si] = mem;
                    finals.row(noise, ARMS.get(a), seed, test[test.length - 1], acc[acc.length - 1], tf[0], peak,
                            (long) peakStep, avgF.get(noise)[a][si], mem);
                }
            }
            for (int a = 0; a < ARMS.size(); a++) {
                double[] t = testAcc.get(noise)[a];
                double[] mm = memorised.get(noise)[a];
                accuracy.row(noise, ARMS.get(a), Stats.mean(t), Stats.stderr(t),
                        Stats.mean(t) - Stats.stderr(t), Stats.mean(t) + Stats.stderr(t),
                        Stats.mean(mm), Double.isNaN(mm[0]) ? Double.NaN : Stats.stderr(mm), ns);
                // one error box per arm and noise level, the arms side by side around the noise level
                double x = noise + 0.03 * (a - 1.5);
                StudySupport.errorBox(boxes, x, 0.01, t, noise, ARMS.get(a));
            }
        }
        StudyContext.Table fBand = ctx.table("trace_F_band", "noise", "arm", "step", "mean", "min", "max", "seeds");
        StudyContext.Table aBand = ctx.table("train_accuracy_band", "noise", "arm", "step", "mean", "min", "max", "seeds");
        for (double noise : noises) {
            fisherBands.get(noise).writeTo(fBand, noise);
            fitBands.get(noise).writeTo(aBand, noise);
        }

        ctx.figure(Figure.of("trace-F", "Tr F of the true Fisher along training (clean labels)").axes("step", "Tr F")
                .logY().where("noise", 0.0).spread("trace_F_band", "step", "arm")
                .caption("Mean over " + seedText + " with the min–max band. At small h, Tr F rises early to a peak (the "
                        + "Fisher explosion); a large h, or the Fisher penalty at the small h, keeps it low. Tr F by Monte "
                        + "Carlo with labels drawn from the model (" + params.fisherSamples() + " draw per example).")
                .build());
        // one band layer per noise level, so each arm's boxes stay separate instead of one ribbon across levels
        Figure.Builder accuracyFigure = Figure.of("test-accuracy", "Final test accuracy ± standard error")
                .axes("label noise", "test accuracy");
        for (double noise : noises) {
            accuracyFigure.where("noise", noise).band("accuracy_boxes", "x", "lo", "hi", "arm", "± s.e. ");
        }
        ctx.figure(accuracyFigure.where(null, null)
                .points("accuracy", "noise", "mean_test_accuracy", "arm", "")
                .caption("Mean over " + seedText + " (points) and ± one standard error (boxes, arms side by side "
                        + "around each noise level), per arm and label-noise level.").build());
        for (double noise : noises) {
            if (noise == 0.0) {
                continue;
            }
            String id = "memorisation-" + Math.round(100 * noise);
            ctx.figure(Figure.of(id, "Fitting the noisy labels, " + Math.round(100 * noise) + "% flipped")
                    .axes("step", "train accuracy (noisy labels)").where("noise", noise)
                    .spread("train_accuracy_band", "step", "arm").hline(1 - noise, "clean share 1 − p")
                    .caption("Training accuracy against the corrupted labels, mean over " + seedText + " with the min–max "
                            + "band. Above 1 − p a run has started to memorise flipped labels; the Fisher penalty slows it.")
                    .build());
        }

        // verdicts (clean labels for Tr F and accuracy)
        double[][] f0 = avgF.get(0.0);
        double[][] p0 = maxF.get(0.0);
        double[][] i0 = initialF.get(0.0);
        double[][] s0 = earlyPeakStep.get(0.0);
        boolean grows = true;
        boolean penaltySuppresses = true;
        StringBuilder e = new StringBuilder("per seed, Tr F at θ₀ → peak (its step) at small h, with the Fisher penalty:");
        for (int si = 0; si < ns; si++) {
            grows &= p0[0][si] >= params.growth() * i0[0][si];
            penaltySuppresses &= p0[2][si] < p0[0][si];
            e.append(' ').append(StudySupport.f(i0[0][si])).append(" → ").append(StudySupport.f(p0[0][si])).append(" (")
                    .append((long) s0[0][si]).append("), ").append(StudySupport.f(p0[2][si])).append(" (")
                    .append((long) s0[2][si]).append(");");
        }
        ctx.finding("fisher-explosion", "Catastrophic Fisher explosion (Jastrzębski et al. 2021): at small h, Tr F grows early in training to a peak at least "
                + StudySupport.f(params.growth()) + "× its value at θ₀, on every seed", grows, e.toString());
        ctx.finding("fisher-penalty-suppresses-explosion", "The Fisher penalty suppresses the explosion: at the same small h, the peak of Tr F is lower with the penalty than without, on every seed",
                penaltySuppresses, e.toString());
        ctx.finding("large-h-lower-trace-f", "A large h keeps Tr F lower: Tr F averaged over the run after θ₀ is smaller at large h than at small h (mean over seeds)",
                Stats.mean(f0[1]) < Stats.mean(f0[0]), "mean Tr F small h " + StudySupport.f(Stats.mean(f0[0])) + ", large h "
                        + StudySupport.f(Stats.mean(f0[1])) + "; peaks " + StudySupport.f(Stats.mean(p0[0])) + " and "
                        + StudySupport.f(Stats.mean(p0[1])) + " (a large h may spike briefly in its first steps, then falls)");
        boolean fpLower = true;
        boolean gpLower = true;
        StringBuilder d = new StringBuilder("Tr F averaged over the run per seed (small h / + Fisher penalty / + grad-norm penalty):");
        for (int si = 0; si < ns; si++) {
            fpLower &= f0[2][si] < f0[0][si];
            gpLower &= f0[3][si] < f0[0][si];
            d.append(' ').append(StudySupport.f(f0[0][si])).append(" / ").append(StudySupport.f(f0[2][si])).append(" / ")
                    .append(StudySupport.f(f0[3][si])).append(';');
        }
        ctx.finding("fisher-penalty-lowers-trace-f", "The Fisher penalty lowers Tr F relative to the unpenalised run at the same h and seed", fpLower, d.toString());
        ctx.finding("grad-norm-penalty-lowers-trace-f", "The gradient-norm penalty lowers Tr F relative to the unpenalised run at the same h and seed", gpLower,
                d.toString());
        double[][] acc0 = testAcc.get(0.0);
        String accDetail = "test accuracy mean ± s.e.: " + accText(acc0);
        ctx.finding("large-h-generalises", "Large h and the Fisher penalty generalise better than small h: mean final test accuracy higher",
                Stats.mean(acc0[1]) > Stats.mean(acc0[0]) && Stats.mean(acc0[2]) > Stats.mean(acc0[0]),
                accDetail);
        for (double noise : noises) {
            if (noise == 0.0) {
                continue;
            }
            double[][] mem = memorised.get(noise);
            double[][] speed = fitSpeed.get(noise);
            ctx.finding("memorisation-slowed-" + Math.round(100 * noise), "With " + Math.round(100 * noise)
                            + "% flipped labels the Fisher penalty slows memorisation: "
                            + "the mean training accuracy over the run (noisy labels) is lower than at small h",
                    Stats.mean(speed[2]) < Stats.mean(speed[0]),
                    "mean over the run: small h " + StudySupport.f(Stats.mean(speed[0])) + ", + Fisher penalty "
                            + StudySupport.f(Stats.mean(speed[2])) + ", large h " + StudySupport.f(Stats.mean(speed[1]))
                            + ", + grad-norm " + StudySupport.f(Stats.mean(speed[3])) + "; flipped labels fitted at "
                            + "the end: " + memText(mem) + "; test accuracy " + accText(testAcc.get(noise)));
        }
        for (double noise : noises) {
            for (int a = 0; a < ARMS.size(); a++) {
                String key = String.format(Locale.ROOT, "noise %.2f %s", noise, ARMS.get(a));
                ctx.summary("test_accuracy " + key, Stats.mean(testAcc.get(noise)[a]));
                ctx.summary("max_trace_F " + key, Stats.mean(maxF.get(noise)[a]));
                ctx.summary("initial_trace_F " + key, Stats.mean(initialF.get(noise)[a]));
                ctx.summary("mean_trace_F " + key, Stats.mean(avgF.get(noise)[a]));
                ctx.summary("train_accuracy_mean " + key, Stats.mean(fitSpeed.get(noise)[a]));
                if (noise > 0) {
                    ctx.summary("memorised " + key, Stats.mean(memorised.get(noise)[a]));
                }
            }
        }
        ctx.note("θ₀: PyTorch's default initialisation times " + params.initScale() + ". Arms: SGD with B = " + batch + " at h = " + hSmall + " and h = " + hLarge + "; at h = " + hSmall
                + " plus α‖∇L(x, ŷ)‖^q (ŷ ∼ p_θ, α = " + params.fisherCoef() + ") and plus α‖∇L(x, y)‖^q (α = "
                + params.gradNormCoef() + "), q = " + params.q() + ", both on the step's mini-batch. Every arm of a "
                + "seed starts from the same θ0 and sees the same batch order.");
    }

    private static String accText(double[][] acc) {
        return StudySupport.means(ARMS, a -> acc[a], true, ", ");
    }

    private static String memText(double[][] mem) {
        return StudySupport.means(ARMS, a -> mem[a], false, ", ");
    }

    /** The clean labels of the same examples: the data string without its label-noise option. */
    private static int[] cleanLabels(Params params, Spec noisy) {
        return NetworkParams.net(params.classifier().network().problem(noisy.seeds().get(0))).labels();
    }

    /** Fraction of the flipped examples whose (wrong) training label the final θ of the sub-run predicts. */
    private static double memorised(Path runDir, NetObjective net, int subRun, int[] clean, int[] noisy) {
        double[] theta = Npy.read(runDir.resolve("theta_final_r" + subRun + ".npy")).values();
        Tensor out = net.outputs(theta);
        int k = out.dim(1);
        double[] f = out.data();
        int flipped = 0;
        int fitted = 0;
        for (int i = 0; i < clean.length; i++) {
            if (clean[i] == noisy[i]) {
                continue;
            }
            flipped++;
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (f[i * k + c] > f[i * k + best]) {
                    best = c;
                }
            }
            if (best == noisy[i]) {
                fitted++;
            }
        }
        return flipped == 0 ? Double.NaN : (double) fitted / flipped;
    }
}
