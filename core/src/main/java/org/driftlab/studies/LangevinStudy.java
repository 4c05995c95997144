package org.driftlab.studies;

import static org.driftlab.experiment.Params.check;
import static org.driftlab.experiment.Params.atLeast;
import static org.driftlab.experiment.Params.checkPositive;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.driftlab.autodiff.Var;
import org.driftlab.study.Figure;
import org.driftlab.experiment.Param;
import org.driftlab.study.Study;
import org.driftlab.study.StudyContext;
import org.driftlab.flow.EulerMaruyama;
import org.driftlab.flow.LangevinSde;
import org.driftlab.objective.Objective;
import org.driftlab.objective.Quadratic;

/**
 * {@code langevin}: stationary laws of SGD with gradient noise on quadratics E = Σ_i ½a_iθ_i², against the Gibbs
 * law of McAllester's slides p(θ) ∝ exp(−E/(αhσ²)).
 *
 * <p><b>The constant α.</b> The Langevin SDE dθ = −∇E dt + √(hσ²) dW (time t = n·h, gradient-noise variance σ²)
 * has the Fokker–Planck stationary density ∝ exp(−E/(½hσ²)), so α = ½ exactly; on ½aθ² that is the variance
 * hσ²/(2a). SGD itself (Euler–Maruyama with dt = h) has the exact discrete variance hσ²/(a(2 − ha)), i.e. an
 * effective α = 1/(2 − ha) that tends to ½ as ha → 0.
 *
 * <p>In 2-D with σ_x² ≠ σ_y² the stationary law has two temperatures T_i = ½hσ_i² (not a Gibbs law); per-parameter
 * rates h_i = h/σ_i² (preconditioner p_i = 1/σ_i²) restore one temperature ½h. Multi-seed: every density is the
 * mean over seeds with a min–max band. The full size takes about 40 s, the quick one a few seconds.
 */
public final class LangevinStudy implements Study<LangevinStudy.Params> {
    @Override
    public String kind() {
        return "langevin";
    }

    @Override
    public String description() {
        return "SGD noise on 1-D and 2-D quadratics: stationary histograms vs the Gibbs law exp(−E/(½hσ²)), "
                + "two temperatures, per-parameter rates h/σ² restoring one";
    }

    /** The parameters of the study, each with its default, unit and meaning. */
    public record Params(
            @Param(value = "[0.1, 0.5]", doc = "learning rates h of the 1-D runs", key = "h_1d") List<Double> h1d,
            @Param(value = "1.0", doc = "curvature a of the 1-D quadratic", key = "a_1d") double a1d,
            @Param(value = "1.0", doc = "gradient-noise variance σ² in 1-D", key = "sigma2_1d") double sigma21d,
            @Param(value = "0.1", doc = "learning rate h of the 2-D runs", key = "h_2d") double h2d,
            @Param(value = "[1.0, 4.0]", doc = "curvatures of the 2-D quadratic", key = "a_2d") List<Double> a2d,
            @Param(value = "[1.0, 9.0]", doc = "gradient-noise variances in 2-D", key = "sigma2_2d") List<Double> sigma22d,
            @Param(value = "200000", unit = "steps", doc = "SGD steps at the largest h") int steps,
            @Param(value = "1000", unit = "steps", doc = "burn-in") int burnIn,
            @Param(value = "50", doc = "SDE steps per h (dt = h/substeps)") int sdeSubsteps,
            @Param(value = "41", doc = "histogram bins") int bins,
            @Param(value = "400", doc = "points in the 2-D scatter") int scatterPoints) {
        /** Every check, made before the study creates anything. */
        public Params {
            checkPositive("h_1d", h1d);
            checkPositive("a_1d", a1d);
            checkPositive("sigma2_1d", sigma21d);
            checkPositive("h_2d", h2d);
            checkPositive("a_2d", a2d);
            checkPositive("sigma2_2d", sigma22d);
            check(a2d.size() == 2, "a_2d", a2d + ": need exactly 2 curvatures");
            check(sigma22d.size() == 2, "sigma2_2d", sigma22d + ": need exactly 2 variances");
            atLeast("steps", steps, 1000);
            check(burnIn >= 0 && burnIn < steps, "burn_in", burnIn + " must be in [0, steps = " + steps + ")");
            atLeast("sde_substeps", sdeSubsteps, 1);
            atLeast("bins", bins, 5);
            atLeast("scatter_points", scatterPoints, 0);
            for (double h : h1d) {
                check(h * a1d < 2, "h_1d", "h·a must be < 2 for SGD to be stationary, got h = " + h);
            }
        }
    }

    /** E = Σ ½a_iθ_i²: objective.Quadratic, whose gradient is closed-form (the simulations take millions). */
    static Objective diagonalQuadratic(double[] a) {
        return new Quadratic(a, null, null, "diagonal quadratic");
    }

    /** Per-seed samples of every coordinate's stationary variance and histogram. */
    private record Stats(double[] variance, double[][] density) {}

    private Stats simulate(LangevinSde sde, double dt, long steps, long burnIn, long seed, double[] lo, double[] hi,
                           int bins, List<double[]> scatter, int scatterPoints) {
        int d = sde.dim();
        double[] sum = new double[d];
        double[] sum2 = new double[d];
        double[][] counts = new double[d][bins];
        long[] n = {0};
        long keep = Math.max(1, (steps - burnIn) / Math.max(1, scatterPoints));
        new EulerMaruyama(dt, seed).simulate(sde, new double[d], steps, 1, (theta, step) -> {
            if (step <= burnIn) {
                return;
            }
            n[0]++;
            for (int i = 0; i < d; i++) {
                sum[i] += theta[i];
                sum2[i] += theta[i] * theta[i];
                int b = (int) Math.floor((theta[i] - lo[i]) / (hi[i] - lo[i]) * bins);
                if (b >= 0 && b < bins) {
                    counts[i][b]++;
                }
            }
            if (scatter != null && scatter.size() < scatterPoints && (step - burnIn) % keep == 0) {
                scatter.add(theta.clone());
            }
        });
        double[] var = new double[d];
        for (int i = 0; i < d; i++) {
            double mean = sum[i] / n[0];
            var[i] = sum2[i] / n[0] - mean * mean;
            double width = (hi[i] - lo[i]) / bins;
            for (int b = 0; b < bins; b++) {
                counts[i][b] /= n[0] * width;
            }
        }
        return new Stats(var, counts);
    }

    static double gaussian(double x, double variance) {
        return Math.exp(-x * x / (2 * variance)) / Math.sqrt(2 * Math.PI * variance);
    }

    @Override
    public void run(StudyContext ctx, Params params) {
        List<Double> hs1 = params.h1d();
        double a1 = params.a1d();
        double s1 = params.sigma21d();
        double h2 = params.h2d();
        double[] a2 = StudySupport.array(params.a2d());
        double[] s2 = StudySupport.array(params.sigma22d());
        long steps = params.steps();
        long burnIn = params.burnIn();
        int sub = params.sdeSubsteps();
        int bins = params.bins();
        int scatterPoints = params.scatterPoints();
        double hMax = hs1.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        List<Long> seeds = ctx.seeds();
        String seedText = StudySupport.seeds(seeds.size());

        StudyContext.Table hist = ctx.table("hist", "series", "panel", "process", "x", "density", "density_lo",
                "density_hi", "gibbs", "discrete_exact");
        StudyContext.Table vt = ctx.table("variance", "panel", "process", "coordinate", "seed", "variance",
                "temperature", "gibbs_variance", "discrete_variance");

        // ---------------------------------------------------------------- 1-D: SGD and the SDE vs the Gibbs law
        boolean sgdOk = true;
        boolean sdeOk = true;
        StringBuilder sgdDetail = new StringBuilder();
        StringBuilder sdeDetail = new StringBuilder();
        for (double h : hs1) {
            ctx.progress("1-D, h = " + h);
            double gibbsVar = h * s1 / (2 * a1);
            double discreteVar = h * s1 / (a1 * (2 - h * a1));
            double range = 4.5 * Math.sqrt(Math.max(gibbsVar, discreteVar));
            String panel = "1d h=" + h;
            LangevinSde sde = new LangevinSde(diagonalQuadratic(new double[] {a1}), h,
                    LangevinSde.Noise.isotropic(1, s1));
            for (String process : List.of("sgd", "sde")) {
                double dt = process.equals("sgd") ? h : h / sub;
                // Every h simulates the same time span steps·h_max, so small h is not starved of samples.
                long sgdSteps = Math.round(steps * hMax / h);
                long n = process.equals("sgd") ? sgdSteps : sgdSteps * sub;
                long burn = process.equals("sgd") ? burnIn : burnIn * sub;
                List<Stats> per = new ArrayList<>();
                for (long seed : seeds) {
                    per.add(simulate(sde, dt, n, burn, seed * 1000 + (process.equals("sgd") ? 1 : 2),
                            new double[] {-range}, new double[] {range}, bins, null, 0));
                }
                double meanVar = 0;
                for (int k = 0; k < per.size(); k++) {
                    double v = per.get(k).variance()[0];
                    meanVar += v / per.size();
                    vt.row(panel, process, 0, seeds.get(k), v, a1 * v, gibbsVar, discreteVar);
                }
                writeHistogram(hist, panel, process, per, 0, -range, range, bins, gibbsVar, discreteVar);
                if (process.equals("sgd")) {
                    double rel = Math.abs(meanVar / discreteVar - 1);
                    sgdOk &= rel < 0.05;
                    sgdDetail.append(String.format(Locale.ROOT, "h=%s (ha=%s): Var %.4g vs discrete %.4g (%.1f%%), "
                            + "Gibbs ½hσ²/a %.4g; ", h, StudySupport.f(h * a1), meanVar, discreteVar, 100 * rel,
                            gibbsVar));
                } else {
                    double rel = Math.abs(meanVar / gibbsVar - 1);
                    sdeOk &= rel < 0.05;
                    sdeDetail.append(String.format(Locale.ROOT, "h=%s: Var %.4g vs hσ²/(2a) %.4g (%.1f%%, dt = h/%d); ",
                            h, meanVar, gibbsVar, 100 * rel, sub));
                }
            }
        }
        ctx.finding("sgd-discrete-variance", "SGD's stationary variance is the exact discrete hσ²/(a(2 − ha)), hotter than the Gibbs law "
                + "by 2/(2 − ha)", sgdOk, sgdDetail + "mean over " + seedText + ", tolerance 5%");
        ctx.finding("sde-gibbs-law", "The Langevin SDE's stationary law is the Gibbs law exp(−E/(½hσ²)), variance hσ²/(2a)", sdeOk,
                sdeDetail + "mean over " + seedText + ", tolerance 5%");

        // ---------------------------------------------------------------- 2-D: two temperatures, then one
        double[] tempRatio = new double[2];
        List<double[]> scatterIso = new ArrayList<>();
        List<double[]> scatterRates = new ArrayList<>();
        String[] settings = {"isotropic rates", "rates h/σ²"};
        for (int s = 0; s < 2; s++) {
            ctx.progress("2-D, " + settings[s]);
            LangevinSde sde = new LangevinSde(diagonalQuadratic(a2), h2, LangevinSde.Noise.diagonal(s2));
            double[] p = {1, 1};
            if (s == 1) {
                p = new double[] {1 / s2[0], 1 / s2[1]};
                sde = sde.withPreconditioner(p);
            }
            // Temperatures T_i = ½h p_i σ_i²; histograms of the energy coordinate z_i = √a_i θ_i, N(0, T_i).
            double[] temps = {0.5 * h2 * p[0] * s2[0], 0.5 * h2 * p[1] * s2[1]};
            double[] lo = new double[2];
            double[] hi = new double[2];
            double zRange = 4.5 * Math.sqrt(Math.max(temps[0], temps[1]));
            for (int i = 0; i < 2; i++) {
                hi[i] = zRange / Math.sqrt(a2[i]);
                lo[i] = -hi[i];
            }
            // dt resolves the fastest relaxation rate p_i a_i.
            double rate = Math.max(p[0] * a2[0], p[1] * a2[1]);
            double dt = Math.min(h2, 1 / rate) / sub;
            long n = (long) Math.ceil(steps * h2 / dt);
            long burn = (long) Math.ceil(burnIn * h2 / dt);
            List<Stats> per = new ArrayList<>();
            for (int k = 0; k < seeds.size(); k++) {
                per.add(simulate(sde, dt, n, burn, seeds.get(k) * 1000 + 3 + s, lo, hi, bins,
                        k == 0 ? (s == 0 ? scatterIso : scatterRates) : null, scatterPoints));
            }
            String panel = "2d " + settings[s];
            double[] meanT = new double[2];
            for (int i = 0; i < 2; i++) {
                for (int k = 0; k < per.size(); k++) {
                    double v = per.get(k).variance()[i];
                    meanT[i] += a2[i] * v / per.size();
                    vt.row(panel, "sde", i, seeds.get(k), v, a2[i] * v, temps[i] / a2[i], Double.NaN);
                }
                // The histogram of θ_i rescaled to z_i = √a_i θ_i: density_z(z) = density_θ(z/√a_i)/√a_i.
                List<Stats> scaled = new ArrayList<>();
                for (Stats st : per) {
                    double[][] dz = new double[2][];
                    dz[i] = st.density()[i].clone();
                    for (int b = 0; b < bins; b++) {
                        dz[i][b] /= Math.sqrt(a2[i]);
                    }
                    scaled.add(new Stats(st.variance(), dz));
                }
                writeHistogram(hist, panel, (i == 0 ? "x" : "y"), scaled, i, -zRange, zRange, bins, temps[i],
                        Double.NaN);
            }
            tempRatio[s] = meanT[0] / meanT[1];
            ctx.summary("temperatures_" + settings[s].replace(' ', '_').replace("/", "_over_"),
                    List.of(meanT[0], meanT[1]));
        }
        double expectRatio = s2[0] / s2[1];
        ctx.finding("two-temperatures", "With one learning rate the 2-D law has two temperatures, in ratio σ_x²/σ_y²",
                Math.abs(tempRatio[0] / expectRatio - 1) < 0.1 && Math.abs(expectRatio - 1) > 0.2,
                String.format(Locale.ROOT, "measured T_x/T_y = %.3f, predicted %.3f (T_i = a_i·Var θ_i; mean over %s; "
                        + "tolerance 10%%)", tempRatio[0], expectRatio, seedText));
        ctx.finding("rates-restore-one-temperature", "Per-parameter rates h/σ_i² restore one temperature (a Gibbs law)",
                Math.abs(tempRatio[1] - 1) < 0.1, String.format(Locale.ROOT,
                        "measured T_x/T_y = %.3f, predicted 1 (mean over %s; tolerance 10%%)", tempRatio[1], seedText));
        ctx.summary("temperature_ratio_isotropic", tempRatio[0]);
        ctx.summary("temperature_ratio_rates", tempRatio[1]);

        StudyContext.Table sc = ctx.table("scatter", "setting", "x", "y");
        for (double[] q : scatterIso) {
            sc.row(settings[0], q[0], q[1]);
        }
        for (double[] q : scatterRates) {
            sc.row(settings[1], q[0], q[1]);
        }

        // ---------------------------------------------------------------- figures
        for (double h : hs1) {
            String panel = "1d h=" + h;
            String id = ("hist-1d-h" + h).replace('.', '_');
            ctx.figure(Figure.of(id, "1-D, h = " + h + ", ha = " + StudySupport.f(h * a1) + ": stationary density")
                    .axes("θ", "density")
                    .where("series", panel + "/sgd").band("hist", "x", "density_lo", "density_hi", null, "SGD min–max")
                    .line("hist", "x", "density", null, "SGD (mean)")
                    .dashed("hist", "x", "discrete_exact", null, "N(0, hσ²/(a(2 − ha)))")
                    .where("series", panel + "/sde").band("hist", "x", "density_lo", "density_hi", null, "SDE min–max")
                    .line("hist", "x", "density", null, "Langevin SDE (mean)")
                    .dashed("hist", "x", "gibbs", null, "Gibbs exp(−E/(½hσ²))")
                    .caption("Histograms averaged over " + seedText + " (bands: min–max). The SDE (Euler–Maruyama, "
                            + "dt = h/" + sub + ") matches the Gibbs law; SGD is wider by 2/(2 − ha).")
                    .build());
        }
        for (String setting : settings) {
            String panel = "2d " + setting;
            String id = ("hist-2d-" + setting).replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-+$", "");
            ctx.figure(Figure.of(id, "2-D, " + setting + ": energy coordinates z_i = √a_i·θ_i")
                    .axes("z", "density")
                    .where("series", panel + "/x").band("hist", "x", "density_lo", "density_hi", null, "z_x min–max")
                    .line("hist", "x", "density", null, "z_x")
                    .dashed("hist", "x", "gibbs", null, "N(0, T_x)")
                    .where("series", panel + "/y").band("hist", "x", "density_lo", "density_hi", null, "z_y min–max")
                    .line("hist", "x", "density", null, "z_y")
                    .dashed("hist", "x", "gibbs", null, "N(0, T_y)")
                    .caption("One Gibbs law exp(−E/T) would make the two curves equal. T_i = ½h p_i σ_i² with σ² = "
                            + java.util.Arrays.toString(s2) + "; " + seedText + ", bands min–max.")
                    .build());
        }
        ctx.figure(Figure.of("scatter-2d", "2-D stationary samples (seed " + seeds.get(0) + ")").equalAspect().axes("θ_x", "θ_y")
                .points("scatter", "x", "y", "setting", "")
                .caption("Samples of the SDE in the two settings (one seed, " + scatterPoints + " points each).")
                .build());
        ctx.note("Noise model: SGD's gradient is ∇E + ξ with ξ ~ N(0, Σ), Σ = diag(σ_i²). The Langevin SDE in time "
                + "t = n·h is dθ = −P∇E dt + √h·P·Σ^{1/2} dW (P = diag of per-parameter rate factors); "
                + "Euler–Maruyama with dt = h is exactly that SGD. Stationary law of the SDE on E = Σ½a_iθ_i²: "
                + "p ∝ Π exp(−E_i/(½h p_i σ_i²)), i.e. α = ½ in exp(−E/(αhσ²)); SGD's exact discrete variance is "
                + "hσ²/(a(2 − ha)), an effective α = 1/(2 − ha).");
    }

    private static void writeHistogram(StudyContext.Table hist, String panel, String process, List<Stats> per,
                                       int coord, double lo, double hi, int bins, double gibbsVar, double discreteVar) {
        double width = (hi - lo) / bins;
        for (int b = 0; b < bins; b++) {
            double x = lo + (b + 0.5) * width;
            double mean = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (Stats s : per) {
                double v = s.density()[coord][b];
                mean += v / per.size();
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            hist.row(panel + "/" + process, panel, process, x, mean, min, max, gaussian(x, gibbsVar),
                    Double.isNaN(discreteVar) ? Double.NaN : gaussian(x, discreteVar));
        }
    }
}
