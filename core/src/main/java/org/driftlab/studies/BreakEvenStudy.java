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
 * <p>In the paper's early phase λ_H¹ and λ_K¹ first rise, then SGD reaches the break-even point, where its step
 * no longer fits the curvature, and they stop rising: their <em>peak</em> along the trajectory is the quantity the
 * paper compares. Its claims, checked as findings on the peaks (mean over seeds, each seed listed): (1) the peak
 * of λ_H¹ and of λ_K¹ is lower for a larger h or a smaller B, and (2) after the break-even point K is better
 * conditioned: λ_K* / λ_K¹ is larger. The peaks are only the paper's quantity where the curves rise first, which
 * a finding checks too (a small {@code init_scale} of θ₀ puts the run in that regime: a network initialised near
 * zero starts flat). The break-even step of a seed is the step of the noisiest run's (largest h, smallest B) λ_H¹
 * peak; the conditioning is averaged from there on. The iterates of every run of a seed are projected on the top
 * two principal directions of all of them (PCA through the Gram matrix of the centred snapshots), with λ_K¹ per
 * point.
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
            @Param(value = "1.0", doc = "factor on θ₀ (PyTorch's default initialisation); below 1 the curvature starts low and rises") double initScale,
            @Param(value = "0.5", doc = "relative rise above the value at θ₀ a peak must reach to count as an early peak") double rise) {
        /** The checks that need no data, made before the study creates anything. */
        public Params {
            org.driftlab.experiment.Params.check(lrs.size() >= 2 && lrs.stream().allMatch(h -> h > 0), "lrs",
                    lrs + ": give at least two positive learning rates");
            org.driftlab.experiment.Params.check(batchSizes.size() >= 2 && batchSizes.stream().allMatch(b -> b >= 1), "batch_sizes",
                    batchSizes + ": give at least two batch sizes >= 1");
            org.driftlab.experiment.Params.check(steps >= 2 * every && every >= 1, "steps", "need steps >= 2·every >= 2");
            org.driftlab.experiment.Params.check(kTop >= 2, "k_top", kTop + " must be >= 2 (λ_K* is the smallest of the top k)");
            org.driftlab.experiment.Params.check(initScale > 0 && Double.isFinite(initScale), "init_scale", initScale + " must be > 0");
            org.driftlab.experiment.Params.check(rise > 0 && Double.isFinite(rise), "rise", rise + " must be > 0");
        }
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
        double rise = params.rise();
        lrs.sort(Double::compare);
        batches.sort(Integer::compare);
        List<Long> seeds = ctx.seeds();

        StudyContext.Table traj = ctx.table("trajectory", "run", "h", "batch", "seed", "step", "epoch", "train_loss",
                "lambda_H", "lambda_K", "lambda_K_star", "conditioning_K", "trace_K");
        StudyContext.Table plane = ctx.table("plane", "run", "seed", "step", "pc1", "pc2", "lambda_K", "lambda_K_bin");
        StudyContext.Table peaks = ctx.table("peaks", "run", "h", "batch", "seed", "initial_lambda_H", "peak_lambda_H",
                "peak_step_H", "final_lambda_H", "initial_lambda_K", "peak_lambda_K", "peak_step_K", "final_lambda_K",
                "break_even_step", "mean_conditioning_K");
        StudySupport.Spread bandH = new StudySupport.Spread();
        StudySupport.Spread bandK = new StudySupport.Spread();
        StudySupport.Spread bandTr = new StudySupport.Spread();
        StudySupport.Spread bandC = new StudySupport.Spread();
        // [run index][seed]: the peaks along the whole trajectory and the conditioning after the break-even point
        int nRuns = lrs.size() * batches.size();
        double[][] maxH = new double[nRuns][seeds.size()];
        double[][] maxK = new double[nRuns][seeds.size()];
        double[][] riseH = new double[nRuns][seeds.size()];
        double[][] riseK = new double[nRuns][seeds.size()];
        double[][] cond = new double[nRuns][seeds.size()];
        long[] breakEven = new long[seeds.size()];
        List<String> labels = new ArrayList<>();
        for (int si = 0; si < seeds.size(); si++) {
            long seed = seeds.get(si);
            ObjectiveFactory.Problem p = params.network().problem(seed, params.initScale());
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
            // the break-even step: where the noisiest run (largest h, smallest B) reaches its λ_H¹ peak
            Run noisy = runs.stream().filter(r -> r.h == lrs.get(lrs.size() - 1) && r.batch == batches.get(0))
                    .findFirst().orElseThrow();
            int from = argMax(noisy.lambdaH);
            breakEven[si] = noisy.steps.get(from);
            for (int r = 0; r < runs.size(); r++) {
                Run run = runs.get(r);
                int ph = argMax(run.lambdaH);
                int pk = argMax(run.lambdaK);
                int last = run.steps.size() - 1;
                maxH[r][si] = run.lambdaH.get(ph);
                maxK[r][si] = run.lambdaK.get(pk);
                riseH[r][si] = maxH[r][si] / run.lambdaH.get(0) - 1;
                riseK[r][si] = maxK[r][si] / run.lambdaK.get(0) - 1;
                double c = 0;
                for (int i = from; i <= last; i++) {
                    c += run.lambdaKStar.get(i) / run.lambdaK.get(i) / (last + 1 - from);
                }
                cond[r][si] = c;
                peaks.row(run.label, run.h, run.batch, seed, run.lambdaH.get(0), maxH[r][si], run.steps.get(ph),
                        run.lambdaH.get(last), run.lambdaK.get(0), maxK[r][si], run.steps.get(pk), run.lambdaK.get(last),
                        breakEven[si], c);
            }
            project(runs, seed, plane);
        }
        writeBand(ctx, "lambda_H_band", bandH);
        writeBand(ctx, "lambda_K_band", bandK);
        writeBand(ctx, "trace_K_band", bandTr);
        writeBand(ctx, "conditioning_band", bandC);

        String seedText = StudySupport.seeds(seeds.size());
        String breakEvenText = Arrays.toString(breakEven);
        ctx.figure(Figure.of("lambda-H", "Sharpness λ_H¹ along SGD").axes("step", "λ_H¹")
                .spread("lambda_H_band", "step", "run")
                .caption("Mean over " + seedText + " with the min–max band; every run of a seed starts from the same θ0. "
                        + "λ_H¹ rises, then peaks lower for larger h or smaller B; the noisiest run peaks (breaks even) "
                        + "at step " + breakEvenText + " (per seed).")
                .build());
        ctx.figure(Figure.of("lambda-K", "Top eigenvalue λ_K¹ of the gradient covariance K").axes("step", "λ_K¹")
                .spread("lambda_K_band", "step", "run")
                .caption("Mean over " + seedText + " with the min–max band. K = (1/N)Σ(g_i − ḡ)(g_i − ḡ)ᵀ over the "
                        + "training set (per-example gradients, Gram-matrix eigensolve).")
                .build());
        ctx.figure(Figure.of("trace-K", "Tr K along SGD").axes("step", "Tr K")
                .spread("trace_K_band", "step", "run")
                .caption("Mean over " + seedText + " with the min–max band.").build());
        ctx.figure(Figure.of("conditioning", "Conditioning of K: λ_K* / λ_K¹").axes("step", "λ_K* / λ_K¹")
                .spread("conditioning_band", "step", "run")
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

        // the paper's claims, on the peaks (mean over seeds; every seed listed in the detail)
        boolean rose = true;
        for (int r = 0; r < nRuns; r++) {
            for (int si = 0; si < seeds.size(); si++) {
                rose &= riseH[r][si] >= rise && riseK[r][si] >= rise;
            }
        }
        ctx.finding("rise-first", "λ_H¹ and λ_K¹ rise first: in every run and seed their peak exceeds the value at θ₀ by at least "
                + Math.round(100 * rise) + "% (the early phase the break-even point ends)", rose,
                "relative rise of the peak above θ₀, λ_H¹ " + compareDetail(labels, riseH) + " λ_K¹ " + compareDetail(labels, riseK));
        ctx.finding("peak-lambda-h", "Break-even (Jastrzębski et al. 2020): the early peak of λ_H¹ is lower for larger h at each B and for smaller B at each h",
                ordered(lrs, batches, maxH, -1), "peak λ_H¹ " + compareDetail(labels, maxH));
        ctx.finding("peak-lambda-k", "Break-even (Jastrzębski et al. 2020): the early peak of λ_K¹ is lower for larger h at each B and for smaller B at each h",
                ordered(lrs, batches, maxK, -1), "peak λ_K¹ " + compareDetail(labels, maxK));
        ctx.finding("conjecture-2-conditioning", "Conjecture 2: after the break-even point λ_K*/λ_K¹ is larger for larger h at each B and for smaller B at each h",
                ordered(lrs, batches, cond, +1), "mean λ_K*/λ_K¹ from the break-even step " + compareDetail(labels, cond));
        for (int r = 0; r < labels.size(); r++) {
            ctx.summary("peak_lambda_H " + labels.get(r), Stats.mean(maxH[r]));
            ctx.summary("peak_lambda_K " + labels.get(r), Stats.mean(maxK[r]));
            ctx.summary("conditioning_K " + labels.get(r), Stats.mean(cond[r]));
        }
        ctx.summary("break_even_steps", Arrays.stream(breakEven).boxed().toList());
        ctx.note("Peaks are the largest value along the whole trajectory (θ₀ included), per run and seed. The break-even "
                + "step of a seed is the step of the noisiest run's λ_H¹ peak; the conditioning is averaged from there on. "
                + "λ_H¹: warm-started Lanczos (" + iterations + " products) on the full training loss every " + every
                + " steps; θ₀ is PyTorch's default initialisation times " + params.initScale() + ". Epoch = step·B/N.");
    }

    /** The index of the largest value (the first one on ties). */
    private static int argMax(List<Double> v) {
        int best = 0;
        for (int i = 1; i < v.size(); i++) {
            if (v.get(i) > v.get(best)) {
                best = i;
            }
        }
        return best;
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
        StringBuilder s = new StringBuilder("(mean ± s.e. over seeds, per seed):");
        for (int r = 0; r < labels.size(); r++) {
            s.append(' ').append(labels.get(r)).append(": ").append(StudySupport.f(Stats.mean(v[r])));
            if (v[r].length > 1) {
                s.append(" ± ").append(StudySupport.f(Stats.stderr(v[r])));
            }
            s.append(" (");
            for (int i = 0; i < v[r].length; i++) {
                s.append(i == 0 ? "" : ", ").append(StudySupport.f(v[r][i]));
            }
            s.append(");");
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
