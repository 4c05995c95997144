package org.driftlab.studies;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.study.Figure;
import org.driftlab.experiment.ObjectiveFactory;
import org.driftlab.experiment.Probes;
import org.driftlab.experiment.EdgeOfStability;
import org.driftlab.experiment.Param;
import org.driftlab.linalg.Stats;
import org.driftlab.experiment.Trajectory;
import org.driftlab.optim.Gd;
import org.driftlab.optim.GradientSource;
import org.driftlab.study.Study;
import org.driftlab.study.StudyContext;
import org.driftlab.objective.Objective;

/**
 * Phases of learning through the effective number of parameters (Roberts' slides; Wang and Roberts 2023, SANE):
 * N_eff(α) = Σ_i λ_i/(λ_i + α) of the full training Hessian along a full-batch GD run at the edge of stability
 * (large h) and along a stable one (small h), from the same initialisation. In phase 1 (progressive sharpening)
 * eigenvalues grow past α and N_eff rises; once the large-h run reaches λ_1 ≈ 2/h (phase 2) its top curvature is
 * capped, while the stable run keeps sharpening.
 *
 * <p>N_eff is estimated at every measurement by {@link Probes.NeffEstimate}: the top-k eigenvalues exactly
 * (Lanczos) plus stochastic Lanczos quadrature of the deflated Hessian, so one spectral computation serves all
 * α. Next to N_eff(α) the table holds the sharpness-adjusted count Σ_i λ_i/(λ_i + α·λ_1), our reading of
 * SANE's normalisation (the slides define N_eff only; marked as such in the report).
 */
public final class SaneStudy implements Study<SaneStudy.Params> {
    @Override
    public String kind() {
        return "sane";
    }

    @Override
    public String description() {
        return "N_eff(α) along GD at the edge of stability vs a stable run (phases of learning)";
    }

    /** The parameters of the study, each with its default, unit and meaning. */
    public record Params(
            @Param(value = "{}", doc = "the network, its data and loss") NetworkParams network,
            @Param(value = "0.02", doc = "learning rate of the stable run") double hStable,
            @Param(value = "0.08", doc = "learning rate of the edge-of-stability run") double hEdge,
            @Param(value = "[1.0, 5.0, 20.0]", doc = "prior precisions α of N_eff") List<Double> alphas,
            @Param(value = "800", unit = "steps", doc = "GD steps per run") int steps,
            @Param(value = "40", unit = "steps", doc = "N_eff period") int every,
            @Param(value = "10", doc = "eigenvalues taken exactly by Lanczos") int top,
            @Param(value = "30", doc = "Lanczos steps of the SLQ of the deflated Hessian") int slqSteps) {
        /** The checks that need no data, made before the study creates anything. */
        public Params {
            org.driftlab.experiment.Params.check(hStable > 0 && hEdge > hStable, "h_edge", "need 0 < h_stable < h_edge, got h_stable = "
                    + hStable + ", h_edge = " + hEdge);
            org.driftlab.experiment.Params.check(!alphas.isEmpty() && alphas.stream().allMatch(a -> a > 0), "alphas",
                    alphas + " must be a non-empty list of positive prior precisions");
            org.driftlab.experiment.Params.check(steps >= 2 * every && every >= 1, "steps", "need steps >= 2·every >= 2");
            org.driftlab.experiment.Params.check(top >= 1 && slqSteps >= 2, "top", "need top >= 1 and slq_steps >= 2");
        }
    }

    @Override
    public void run(StudyContext ctx, Params params) {
        double hStable = params.hStable();
        double hEdge = params.hEdge();
        List<Double> alphas = params.alphas();
        int steps = params.steps();
        int every = params.every();
        int top = params.top();
        int slq = params.slqSteps();
        List<Long> seeds = ctx.seeds();
        Map<String, Double> runs = new LinkedHashMap<>();
        runs.put("stable", hStable);
        runs.put("edge", hEdge);

        StudyContext.Table traj = ctx.table("trajectory", "run", "h", "seed", "step", "time", "train_loss", "sharpness",
                "h_sharpness_over_2");
        StudyContext.Table neff = ctx.table("neff", "run", "h", "seed", "step", "time", "alpha", "n_eff",
                "n_eff_sharpness_adjusted");
        StudySupport.Spread sharp = new StudySupport.Spread();
        Map<Double, StudySupport.Spread> counts = new LinkedHashMap<>();
        for (double a : alphas) {
            counts.put(a, new StudySupport.Spread());
        }
        // [run][seed] → per-α first and last N_eff, and the sharpness series
        Map<String, double[][]> firstN = new LinkedHashMap<>();
        Map<String, double[][]> lastN = new LinkedHashMap<>();
        Map<String, double[][]> midN = new LinkedHashMap<>();
        Map<String, double[]> lateMax = new LinkedHashMap<>();
        Map<String, double[]> runMax = new LinkedHashMap<>();
        for (String r : runs.keySet()) {
            firstN.put(r, new double[seeds.size()][alphas.size()]);
            lastN.put(r, new double[seeds.size()][alphas.size()]);
            midN.put(r, new double[seeds.size()][alphas.size()]);
            lateMax.put(r, new double[seeds.size()]);
            runMax.put(r, new double[seeds.size()]);
        }
        long[] estimates = new long[2]; // N_eff estimates, and those whose top-k Lanczos did not converge
        for (int si = 0; si < seeds.size(); si++) {
            long seed = seeds.get(si);
            ObjectiveFactory.Problem p = params.network().problem(seed);
            if (si == 0) {
                StudySupport.noteData(ctx, p);
            }
            Objective train = p.train();
            for (Map.Entry<String, Double> run : runs.entrySet()) {
                String name = run.getKey();
                double h = run.getValue();
                String label = name + " h=" + h;
                ctx.progress("seed " + seed + ", " + label);
                double[] extremes = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}; // late, whole-run max λ1
                int sIndex = si;
                Trajectory.Result r = Trajectory.of(new Gd("gd", GradientSource.fullBatch()), train, h)
                        .observe(t -> t % every == 0, (t, theta) -> {
                            double loss = train.value(theta);
                            Probes.NeffEstimate e = Probes.NeffEstimate.of(train.hessian(theta), top, slq, 7919L * t + seed);
                            estimates[0]++;
                            estimates[1] += e.converged() ? 0 : 1;
                            double lam = e.sharpness();
                            traj.row(label, h, seed, t, t * h, loss, lam, h * lam / 2);
                            sharp.add(label, t, lam);
                            extremes[1] = Math.max(extremes[1], lam);
                            if (t >= steps / 2) {
                                extremes[0] = Math.max(extremes[0], lam);
                            }
                            for (int a = 0; a < alphas.size(); a++) {
                                double alpha = alphas.get(a);
                                double n = e.nEff(alpha);
                                double adjusted = lam > 0 ? e.nEff(alpha * lam) : Double.NaN;
                                neff.row(label, h, seed, t, t * h, alpha, n, adjusted);
                                counts.get(alpha).add(label, t, n);
                                if (t == 0) {
                                    firstN.get(name)[sIndex][a] = n;
                                }
                                if (t == (steps / 2) / every * every) {
                                    midN.get(name)[sIndex][a] = n;
                                }
                                lastN.get(name)[sIndex][a] = n;
                            }
                        })
                        .divergeAbove(Double.POSITIVE_INFINITY)
                        .run(p.initialTheta(), steps);
                if (r.diverged()) {
                    throw new org.driftlab.DriftlabException("params.h_edge: GD diverged at step " + r.steps() + " with h = "
                            + h + "; choose a smaller learning rate");
                }
                double late = extremes[0];
                double peak = extremes[1];
                lateMax.get(name)[si] = late;
                runMax.get(name)[si] = peak;
            }
        }
        StudyContext.Table sharpBand = ctx.table("sharpness", "run", "step", "mean", "min", "max", "seeds");
        sharp.writeTo(sharpBand);
        StudyContext.Table neffBand = ctx.table("neff_band", "alpha", "run", "step", "mean", "min", "max", "seeds");
        for (Map.Entry<Double, StudySupport.Spread> e : counts.entrySet()) {
            e.getValue().writeTo(neffBand, e.getKey());
        }

        String seedText = StudySupport.seeds(seeds.size());
        ctx.figure(Figure.of("sharpness", "Sharpness λ1 along GD").axes("step", "λ1")
                .spread("sharpness", "step", "run")
                .hline(2 / hEdge, "2/h edge = " + StudySupport.f(2 / hEdge))
                .hline(2 / hStable, "2/h stable = " + StudySupport.f(2 / hStable))
                .caption("Mean over " + seedText + " with the min–max band. The large-h run sharpens to 2/h and "
                        + "hovers there (phase 2); the small-h run is still sharpening below its own 2/h (phase 1).")
                .build());
        for (double a : alphas) {
            String id = "neff-alpha-" + java.math.BigDecimal.valueOf(a).stripTrailingZeros().toPlainString()
                    .replaceAll("[^0-9A-Za-z]", "_");
            ctx.figure(Figure.of(id, "N_eff(α = " + a + ") = Σ λ/(λ + α)").axes("step", "N_eff")
                    .where("alpha", a).spread("neff_band", "step", "run").where(null, null)
                    .caption("Effective number of parameters for prior precision α = " + a + ", mean over "
                            + seedText + " with the min–max band: top " + top + " eigenvalues by Lanczos plus SLQ ("
                            + slq + " steps) on the deflated Hessian.")
                    .build());
        }

        // verdicts
        double edgeTol = 1 - EdgeOfStability.TOLERANCE;
        double edgeLow = Stats.min(lateMax.get("edge"));
        ctx.finding("edge-run-at-edge", "The large-h run reaches the edge of stability: late-phase max λ1 >= " + StudySupport.f(edgeTol)
                + "·2/h on every seed", edgeLow >= edgeTol * 2 / hEdge, "smallest late max λ1 " + StudySupport.f(edgeLow)
                + ", 2/h = " + StudySupport.f(2 / hEdge));
        double stableHigh = Stats.max(runMax.get("stable"));
        ctx.finding("stable-run-stable", "The small-h run stays stable: max λ1 < 2/h on every seed", stableHigh < 2 / hStable,
                "largest λ1 " + StudySupport.f(stableHigh) + ", 2/h = " + StudySupport.f(2 / hStable));
        int ai = alphas.size() - 1; // the largest α: the count of outlier directions, least sensitive to the bulk
        double alpha = alphas.get(ai);
        boolean rises = true;
        StringBuilder d1 = new StringBuilder("N_eff(α=" + alpha + ") at θ0 → mid → end per seed:");
        for (int si = 0; si < seeds.size(); si++) {
            for (String r : runs.keySet()) {
                double s0 = firstN.get(r)[si][ai];
                double sm = midN.get(r)[si][ai];
                double s1 = lastN.get(r)[si][ai];
                rises &= s1 > s0 && sm > s0;
                d1.append(' ').append(r).append(' ').append(StudySupport.f(s0)).append(" → ").append(StudySupport.f(sm))
                        .append(" → ").append(StudySupport.f(s1)).append(';');
            }
        }
        ctx.finding("phase-1-stiff-directions", "Phase 1: learning creates stiff directions: N_eff(α) at mid-run and at the end exceeds N_eff(θ0) "
                + "for both runs on every seed (largest α)", rises, d1.toString());
        StringBuilder d2 = new StringBuilder("mean final N_eff(α=" + alpha + ") edge vs stable:");
        d2.append(' ').append(StudySupport.f(Stats.mean(column(lastN.get("edge"), ai)))).append(" vs ")
                .append(StudySupport.f(Stats.mean(column(lastN.get("stable"), ai))));
        ctx.note("Phase 2 (edge run): λ1 is capped near 2/h while training continues; " + d2
                + ". On small networks the bulk of the spectrum makes N_eff(α) noisy at small α (see the bands); the "
                + "findings use the largest α, which counts the outlier directions.");
        for (String r : runs.keySet()) {
            for (int a = 0; a < alphas.size(); a++) {
                double[] v = new double[seeds.size()];
                for (int si = 0; si < seeds.size(); si++) {
                    v[si] = lastN.get(r)[si][a];
                }
                ctx.summary("final_n_eff_" + r + "_alpha_" + alphas.get(a), Stats.mean(v));
            }
            ctx.summary("late_max_sharpness_" + r, Stats.mean(lateMax.get(r)));
        }
        ctx.summary("n_eff_estimates", estimates[0]);
        ctx.summary("n_eff_top_k_unconverged", estimates[1]);
        ctx.note("N_eff(α) = Σ_i λ_i/(λ_i + α) (MacKay; the slides' definition) of the full-batch training Hessian, "
                + "estimated as the top " + top + " eigenvalues (Lanczos) plus stochastic Lanczos quadrature (one "
                + "Rademacher start, " + slq + " steps) of the Hessian deflated by their eigenvectors. The column "
                + "n_eff_sharpness_adjusted, Σ_i λ_i/(λ_i + α·λ1), is our reading of SANE's sharpness adjustment "
                + "(unverified against the paper). Measurements every " + every + " steps; time = step·h.");
    }



    /** Entry a of every row. */
    private static double[] column(double[][] rows, int a) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i][a];
        }
        return out;
    }
}
