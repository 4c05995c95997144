package org.driftlab.studies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.driftlab.curvature.GradientCovariance;
import org.driftlab.experiment.EigenSolver;
import org.driftlab.study.Figure;
import org.driftlab.experiment.ObjectiveFactory;
import org.driftlab.experiment.Param;
import org.driftlab.linalg.Stats;
import org.driftlab.experiment.Trajectory;
import org.driftlab.study.Study;
import org.driftlab.study.StudyContext;
import org.driftlab.linalg.SymmetricEigen;
import org.driftlab.objective.NetObjective;
import org.driftlab.optim.Gd;
import org.driftlab.optim.MiniBatches;
import org.driftlab.optim.UpdateRule;

/**
 * The break-even point (Jastrzębski et al., ICLR 2020): SGD at every pair of learning rate h and batch size B,
 * all from the same initialisation (and, per batch size, the same batch order), with the sharpness λ_H¹ of the
 * full training loss, the top eigenvalues of the per-example gradient covariance K (λ_K¹ and λ_K*, the smallest
 * of the top-k computed, a proxy for the conditioning of K) and Tr K along the early phase of training.
 *
 * <p>The paper's two conjectures, checked as findings: after the break-even point, (1) the maximum attained λ_H¹
 * and λ_K¹ are smaller for a larger h or a smaller B, and (2) K is better conditioned: λ_K* / λ_K¹ is larger. The
 * point where the runs separate is the first measurement at which the λ_H¹ of the noisiest run (largest h,
 * smallest B) falls more than {@code separation} (relative) below that of the least noisy one (smallest h, largest
 * B). The iterates of every run of a seed are projected on the top two principal directions of all of them
 * (PCA through the Gram matrix of the centred snapshots), with λ_K¹ per point.
 */
public final class BreakEvenStudy implements Study<BreakEvenStudy.Params> {
    @Override
    public String kind() {
        return "break-even";
    }

    @Override
    public String description() {
        return "Break-even point: SGD at several h and B from one initialisation; λ_H¹, λ_K¹, Tr K and the trajectory plane";
    }

    /** The parameters of the study, each with its default, unit and meaning. */
    public record Params(
            @Param(value = "{}", doc = "the network, its data and loss") NetworkParams network,
            @Param(value = "[0.02, 0.08]", doc = "learning rates h of the grid (at least two)") List<Double> lrs,
            @Param(value = "[100, 20]", unit = "examples", doc = "batch sizes B of the grid (at least two)") List<Integer> batchSizes,
            @Param(value = "600", unit = "steps", doc = "SGD steps per run") int steps,
            @Param(value = "20", unit = "steps", doc = "measurement period of λ_H¹, K and θ") int every,
            @Param(value = "20", doc = "Lanczos products per λ_H¹") int iterations,
            @Param(value = "10", doc = "top eigenvalues of K computed (λ_K* is the smallest of them)") int kTop,
            @Param(value = "0.1", doc = "relative gap of λ_H¹ that marks the break-even point") double separation) {
        /** The checks that need no data, made before the study creates anything. */
        public Params {
            org.driftlab.experiment.Params.check(lrs.size() >= 2 && lrs.stream().allMatch(h -> h > 0), "lrs",
                    lrs + ": give at least two positive learning rates");
            org.driftlab.experiment.Params.check(batchSizes.size() >= 2 && batchSizes.stream().allMatch(b -> b >= 1), "batch_sizes",
                    batchSizes + ": give at least two batch sizes >= 1");
            org.driftlab.experiment.Params.check(steps >= 2 * every && every >= 1, "steps", "need steps >= 2·every >= 2");
            org.driftlab.experiment.Params.check(kTop >= 2, "k_top", kTop + " must be >= 2 (λ_K* is the smallest of the top k)");
            org.driftlab.experiment.Params.check(separation > 0 && separation < 1, "separation", separation + " must be in (0, 1)");
        }
    }

    @Override
    public Class<Params> params() {
        return Params.class;
    }

    /** One SGD run: its hyper-parameters and what was measured along it. */
    private static final class Run {
        final double h;
        final int batch;
        final String label;
        final List<Long> steps = new ArrayList<>();
        final List<double[]> thetas = new ArrayList<>();
        final List<Double> lambdaH = new ArrayList<>();
        final List<Double> lambdaK = new ArrayList<>();
        final List<Double> lambdaKStar = new ArrayList<>();
        final List<Double> traceK = new ArrayList<>();
        final List<Double> loss = new ArrayList<>();

        Run(double h, int batch) {
            this.h = h;
            this.batch = batch;
            this.label = "h=" + h + " B=" + batch;
        }
    }

    @Override
    public void validate(Params params) {
        StudySupport.batchesFit(params.network(), params.batchSizes(), "batch_sizes");
    }

    @Override
    public void run(StudyContext ctx, Params params) {
        List<Double> lrs = new ArrayList<>(params.lrs());
        List<Integer> batches = new ArrayList<>(params.batchSizes());
        int steps = params.steps();
        int every = params.every();
        int iterations = params.iterations();
        int kTop = params.kTop();
        double sepTol = params.separation();
        lrs.sort(Double::compare);
        batches.sort(Integer::compare);
        List<Long> seeds = ctx.seeds();

        StudyContext.Table traj = ctx.table("trajectory", "run", "h", "batch", "seed", "step", "epoch", "train_loss",
                "lambda_H", "lambda_K", "lambda_K_star", "conditioning_K", "trace_K");
        StudyContext.Table plane = ctx.table("plane", "run", "seed", "step", "pc1", "pc2", "lambda_K", "lambda_K_bin");
        StudyContext.Table peaks = ctx.table("peaks", "run", "h", "batch", "seed", "separation_step", "max_lambda_H",
                "max_lambda_K", "mean_conditioning_K");
        StudySupport.Spread bandH = new StudySupport.Spread();
        StudySupport.Spread bandK = new StudySupport.Spread();
        StudySupport.Spread bandTr = new StudySupport.Spread();
        StudySupport.Spread bandC = new StudySupport.Spread();
        // [run index][seed] peak values after the separation point
        int nRuns = lrs.size() * batches.size();
        double[][] maxH = new double[nRuns][seeds.size()];
        double[][] maxK = new double[nRuns][seeds.size()];
        double[][] cond = new double[nRuns][seeds.size()];
        long[] separation = new long[seeds.size()];
        List<String> labels = new ArrayList<>();
        for (int si = 0; si < seeds.size(); si++) {
            long seed = seeds.get(si);
            ObjectiveFactory.Problem p = params.network().problem(seed);
            if (si == 0) {
                StudySupport.noteData(ctx, p);
            }
            NetObjective net = NetworkParams.net(p);
            int n = net.numExamples();
            List<Run> runs = new ArrayList<>();
            for (double h : lrs) {
                for (int b : batches) {
                    runs.add(new Run(h, b));
                }
            }
            if (si == 0) {
                runs.forEach(r -> labels.add(r.label));
            }
            for (Run run : runs) {
                ctx.progress("seed " + seed + ", " + run.label);
                // same θ0 for every run; the same batch order for runs with the same B
                UpdateRule rule = new Gd("sgd", new MiniBatches(n, run.batch, true, seed));
                double[][] warm = {null};
                Trajectory.Result r = Trajectory.of(rule, net, run.h).observe(t -> t % every == 0, (t, theta) -> {
                    EigenSolver.Result top = StudySupport.sharpness(net, theta, iterations, warm[0]);
                    warm[0] = top.topVector();
                    GradientCovariance k = GradientCovariance.of(net, theta, Math.min(kTop, n));
                    double[] ks = k.topEigenvaluesK();
                    run.steps.add(t);
                    run.thetas.add(theta.clone());
                    run.lambdaH.add(top.values()[0]);
                    run.lambdaK.add(ks[0]);
                    run.lambdaKStar.add(ks[ks.length - 1]);
                    run.traceK.add(k.traceK());
                    run.loss.add(net.value(theta));
                }).divergeAbove(Double.POSITIVE_INFINITY).run(p.initialTheta(), steps);
                if (r.diverged()) {
                    throw new org.driftlab.DriftlabException("params.lrs: SGD diverged with h = " + run.h
                            + ", B = " + run.batch + " at step " + r.steps() + "; choose smaller learning rates");
                }
                for (int i = 0; i < run.steps.size(); i++) {
                    long t = run.steps.get(i);
                    double c = run.lambdaKStar.get(i) / run.lambdaK.get(i);
                    traj.row(run.label, run.h, run.batch, seed, t, (double) t * run.batch / n, run.loss.get(i),
                            run.lambdaH.get(i), run.lambdaK.get(i), run.lambdaKStar.get(i), c, run.traceK.get(i));
                    bandH.add(run.label, t, run.lambdaH.get(i));
                    bandK.add(run.label, t, run.lambdaK.get(i));
                    bandTr.add(run.label, t, run.traceK.get(i));
                    bandC.add(run.label, t, c);
                }
            }
            // where the runs separate: the noisiest (largest h, smallest B) against the least noisy
            Run quiet = runs.stream().filter(r -> r.h == lrs.get(0) && r.batch == batches.get(batches.size() - 1))
                    .findFirst().orElseThrow();
            Run noisy = runs.stream().filter(r -> r.h == lrs.get(lrs.size() - 1) && r.batch == batches.get(0))
                    .findFirst().orElseThrow();
            int sep = -1;
            for (int i = 1; i < quiet.steps.size(); i++) {
                if (noisy.lambdaH.get(i) < (1 - sepTol) * quiet.lambdaH.get(i)) {
                    sep = i;
                    break;
                }
            }
            int from = sep < 0 ? 1 : sep;
            separation[si] = sep < 0 ? -1 : quiet.steps.get(sep);
            for (int r = 0; r < runs.size(); r++) {
                Run run = runs.get(r);
                maxH[r][si] = Stats.max(StudySupport.array(run.lambdaH.subList(from, run.lambdaH.size())));
                maxK[r][si] = Stats.max(StudySupport.array(run.lambdaK.subList(from, run.lambdaK.size())));
                double c = 0;
                for (int i = from; i < run.steps.size(); i++) {
                    c += run.lambdaKStar.get(i) / run.lambdaK.get(i) / (run.steps.size() - from);
                }
                cond[r][si] = c;
                peaks.row(run.label, run.h, run.batch, seed, separation[si], maxH[r][si], maxK[r][si], c);
            }
            project(runs, seed, plane);
        }
        writeBand(ctx, "lambda_H_band", bandH);
        writeBand(ctx, "lambda_K_band", bandK);
        writeBand(ctx, "trace_K_band", bandTr);
        writeBand(ctx, "conditioning_band", bandC);

        String seedText = StudySupport.seeds(seeds.size());
        String sepText = Arrays.toString(separation);
        ctx.figure(Figure.of("lambda-H", "Sharpness λ_H¹ along SGD").axes("step", "λ_H¹")
                .band("lambda_H_band", "step", "min", "max", "run", "min–max")
                .line("lambda_H_band", "step", "mean", "run", "")
                .caption("Mean over " + seedText + " with the min–max band; every run of a seed starts from the same θ0. "
                        + "The runs separate at step " + sepText + " (per seed; -1: not within the run); after that, "
                        + "larger h or smaller B keep λ_H¹ lower.")
                .build());
        ctx.figure(Figure.of("lambda-K", "Top eigenvalue λ_K¹ of the gradient covariance K").axes("step", "λ_K¹")
                .band("lambda_K_band", "step", "min", "max", "run", "min–max")
                .line("lambda_K_band", "step", "mean", "run", "")
                .caption("Mean over " + seedText + " with the min–max band. K = (1/N)Σ(g_i − ḡ)(g_i − ḡ)ᵀ over the "
                        + "training set (per-example gradients, Gram-matrix eigensolve).")
                .build());
        ctx.figure(Figure.of("trace-K", "Tr K along SGD").axes("step", "Tr K")
                .band("trace_K_band", "step", "min", "max", "run", "min–max")
                .line("trace_K_band", "step", "mean", "run", "")
                .caption("Mean over " + seedText + " with the min–max band.").build());
        ctx.figure(Figure.of("conditioning", "Conditioning of K: λ_K* / λ_K¹").axes("step", "λ_K* / λ_K¹")
                .band("conditioning_band", "step", "min", "max", "run", "min–max")
                .line("conditioning_band", "step", "mean", "run", "")
                .caption("λ_K* is the " + kTop + "-th largest eigenvalue of K (the smallest computed); mean over "
                        + seedText + " with the min–max band. Conjecture 2: larger for larger h or smaller B.")
                .build());
        ctx.figure(Figure.of("plane", "Early trajectories on the top-2 principal directions of the iterates").equalAspect()
                .axes("PC 1", "PC 2").where("seed", seeds.get(0)).line("plane", "pc1", "pc2", "run", "")
                .points("plane", "pc1", "pc2", "lambda_K_bin", "λ_K¹ ")
                .caption("Seed " + seeds.get(0) + " of " + seedText + " (the plane is fitted per seed, so seeds "
                        + "cannot share axes; every seed's coordinates are in plane.csv). Lines: one path per run "
                        + "from the common θ0; points coloured by the quartile bin of λ_K¹ "
                        + "(quartiles over all snapshots of the seed).")
                .build());

        // the conjectures, on the mean over seeds after the separation point
        String detailH = compareDetail(labels, maxH);
        String detailK = compareDetail(labels, maxK);
        String detailC = compareDetail(labels, cond);
        ctx.finding("conjecture-1-lambda-h", "Conjecture 1 (λ_H¹): the maximum attained λ_H¹ is smaller for larger h at each B and for smaller B at each h",
                ordered(lrs, batches, maxH, -1), detailH);
        ctx.finding("conjecture-1-lambda-k", "Conjecture 1 (λ_K¹): the maximum attained λ_K¹ is smaller for larger h at each B and for smaller B at each h",
                ordered(lrs, batches, maxK, -1), detailK);
        ctx.finding("conjecture-2-conditioning", "Conjecture 2: λ_K*/λ_K¹ is larger for larger h at each B and for smaller B at each h",
                ordered(lrs, batches, cond, +1), detailC);
        ctx.finding("runs-separate", "The runs separate: the noisiest run's λ_H¹ falls " + (int) Math.round(100 * sepTol)
                + "% below the least noisy one's within the run on every seed",
                Arrays.stream(separation).allMatch(s -> s > 0), "separation step per seed " + sepText);
        for (int r = 0; r < labels.size(); r++) {
            ctx.summary("max_lambda_H " + labels.get(r), Stats.mean(maxH[r]));
            ctx.summary("max_lambda_K " + labels.get(r), Stats.mean(maxK[r]));
            ctx.summary("conditioning_K " + labels.get(r), Stats.mean(cond[r]));
        }
        ctx.summary("separation_steps", Arrays.stream(separation).boxed().toList());
        ctx.note("Maxima and the mean conditioning are taken from the separation point on (from the first "
                + "measurement after θ0 when the runs never separate). λ_H¹: warm-started Lanczos (" + iterations
                + " products) on the full training loss every " + every + " steps. Epoch = step·B/N.");
    }

    private static void writeBand(StudyContext ctx, String name, StudySupport.Spread s) {
        s.writeTo(ctx.table(name, "run", "step", "mean", "min", "max", "seeds"));
    }


    /**
     * True when the mean over seeds moves in the stated direction (sign −1: decreases; +1: increases) with larger
     * h at every B and with smaller B at every h. Runs are indexed h-major in ascending h and B.
     */
    static boolean ordered(List<Double> lrs, List<Integer> batches, double[][] values, int sign) {
        int nb = batches.size();
        boolean ok = true;
        for (int i = 0; i < lrs.size(); i++) {
            for (int j = 0; j < nb; j++) {
                double v = Stats.mean(values[i * nb + j]);
                if (i + 1 < lrs.size()) {
                    double larger = Stats.mean(values[(i + 1) * nb + j]);
                    ok &= sign < 0 ? larger < v : larger > v;
                }
                if (j > 0) {
                    double smallerB = Stats.mean(values[i * nb + j - 1]);
                    ok &= sign < 0 ? smallerB < v : smallerB > v;
                }
            }
        }
        return ok;
    }

    private static String compareDetail(List<String> labels, double[][] v) {
        StringBuilder s = new StringBuilder("mean over seeds [min, max]:");
        for (int r = 0; r < labels.size(); r++) {
            s.append(' ').append(labels.get(r)).append(": ").append(StudySupport.f(Stats.mean(v[r])))
                    .append(" [").append(StudySupport.f(Arrays.stream(v[r]).min().orElse(Double.NaN))).append(", ")
                    .append(StudySupport.f(Arrays.stream(v[r]).max().orElse(Double.NaN))).append("];");
        }
        return s.toString();
    }

    /** PCA of all snapshots of one seed through their Gram matrix; rows of the plane table, λ_K¹ binned by quartile. */
    private static void project(List<Run> runs, long seed, StudyContext.Table plane) {
        List<double[]> all = new ArrayList<>();
        List<Double> ks = new ArrayList<>();
        for (Run r : runs) {
            all.addAll(r.thetas);
            ks.addAll(r.lambdaK);
        }
        int m = all.size();
        int d = all.get(0).length;
        double[] mean = new double[d];
        for (double[] t : all) {
            for (int i = 0; i < d; i++) {
                mean[i] += t[i] / m;
            }
        }
        double[][] c = new double[m][d];
        for (int a = 0; a < m; a++) {
            for (int i = 0; i < d; i++) {
                c[a][i] = all.get(a)[i] - mean[i];
            }
        }
        double[] gram = new double[m * m];
        for (int a = 0; a < m; a++) {
            for (int b = a; b < m; b++) {
                double s = 0;
                for (int i = 0; i < d; i++) {
                    s += c[a][i] * c[b][i];
                }
                gram[a * m + b] = s;
                gram[b * m + a] = s;
            }
        }
        SymmetricEigen.Decomposition e = SymmetricEigen.of(gram, m);
        // ascending: the last two are the principal directions; coordinate_j = sqrt(μ)·a_j
        double[] pc1 = e.vector(m - 1);
        double[] pc2 = e.vector(m - 2);
        double s1 = Math.sqrt(Math.max(0, e.value(m - 1)));
        double s2 = Math.sqrt(Math.max(0, e.value(m - 2)));
        double[] sorted = ks.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] cuts = {sorted[m / 4], sorted[m / 2], sorted[(3 * m) / 4]};
        int row = 0;
        for (Run r : runs) {
            for (int i = 0; i < r.steps.size(); i++, row++) {
                double k = r.lambdaK.get(i);
                int bin = k < cuts[0] ? 0 : k < cuts[1] ? 1 : k < cuts[2] ? 2 : 3;
                String binLabel = "Q" + (bin + 1) + (bin == 0 ? " (lowest)" : bin == 3 ? " (highest)" : "");
                plane.row(r.label, seed, r.steps.get(i), s1 * pc1[row], s2 * pc2[row], k, binLabel);
            }
        }
    }
}
