package org.driftlab.studies;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.driftlab.data.Synthetic;
import org.driftlab.study.Figure;
import org.driftlab.experiment.Param;
import org.driftlab.experiment.Trajectory;
import org.driftlab.study.Study;
import org.driftlab.study.StudyContext;
import org.driftlab.objective.LinearRegression;
import org.driftlab.optim.Gd;
import org.driftlab.optim.RandomBatches;

/**
 * Converged loss as a function of the learning rate (McAllester's notes, "A Nice Theorem (TZ)"): SGD with one
 * example per step, drawn i.i.d., converges in distribution to a stationary law P_h around a minimum θ*, and the
 * mean loss under it is L(h) = L(θ*) + (h/4)·E_{P_h}E_i‖g_i + H_iΔ‖², so dL/dh at h = 0 is ¼·E_i‖g_i‖² with g_i
 * the per-example gradients at θ*. The seed proves this from stationarity of E‖Δ‖².
 *
 * <p>Test bed: least squares E = (1/2n)Σ_i (x_iᵀθ − y_i)² with an orthogonal design (XᵀX/n = I, so every
 * direction mixes at the same rate) and noisy targets, so that g_i = x_i r_i ≠ 0 at θ*. Three numbers per h:
 * <ul>
 *   <li>the simulated converged loss: SGD ({@code optim.Gd} on {@code RandomBatches} of size 1) started at θ*,
 *       a burn-in, then the time average of E(θ_t) = L* + ½Δᵀ∇²EΔ, per seed, with the spread over seeds;</li>
 *   <li>the exact stationary loss: for this quadratic the chain Δ' = (I − h x_i x_iᵀ)Δ − h g_i has stationary mean
 *       0 and second moment Σ solving Σ = (1/n)Σ_i A_iΣA_i + h²·(1/n)Σ_i g_i g_iᵀ (A_i = I − h x_i x_iᵀ), a d²×d²
 *       linear system, and L(h) = L* + ½Tr(∇²E Σ);</li>
 *   <li>the TZ line L* + h·¼E_i‖g_i‖².</li>
 * </ul>
 * The slope is fitted to the simulated values by weighted least squares of (L(h) − L*)/h = s + c·h, whose
 * intercept s is the slope at h = 0.
 */
public final class ConvergedLossStudy implements Study<ConvergedLossStudy.Params> {
    @Override
    public String kind() {
        return "converged-loss-vs-lr";
    }

    @Override
    public String description() {
        return "Converged SGD loss vs h: slope at h = 0 equals ¼·E_i‖g_i‖² at the minimum (McAllester's TZ theorem)";
    }

    /** The parameters of the study, each with its default, unit and meaning. */
    public record Params(
            @Param(value = "32", unit = "examples", doc = "examples of the least-squares problem") int n,
            @Param(value = "3", doc = "dimension of θ") int d,
            @Param(value = "1.0", doc = "standard deviation of the target noise") double noise,
            @Param(value = "1", doc = "seed of the synthetic design and targets") int dataSeed,
            @Param(value = "[0.01, 0.02, 0.03, 0.04, 0.05]", doc = "learning rates h") List<Double> hs,
            @Param(value = "20.0", unit = "1/h (mixing times)", doc = "burn-in per chain") double burnIn,
            @Param(value = "200000", unit = "steps", doc = "averaged SGD steps per (h, seed)") int steps,
            @Param(value = "100", unit = "steps", doc = "trajectory row period") int every,
            @Param(value = "0.05", doc = "relative tolerance of the fitted slope") double tolerance) {
        /** Positive learning rates and sizes; noise, burn-in and tolerance not negative. */
        public Params {
            org.driftlab.experiment.Params.atLeast("n", n, 1);
            org.driftlab.experiment.Params.atLeast("d", d, 1);
            org.driftlab.experiment.Params.learningRates(hs, "hs");
            org.driftlab.experiment.Params.notNegative("noise", noise);
            org.driftlab.experiment.Params.notNegative("burn_in", burnIn);
            org.driftlab.experiment.Params.atLeast("every", every, 1);
            org.driftlab.experiment.Params.notNegative("tolerance", tolerance);
        }
    }

    @Override
    public void run(StudyContext ctx, Params params) {
        int n = params.n();
        int d = params.d();
        Synthetic.LinearRegression data = Synthetic.linearRegression(n, d, params.noise(), params.dataSeed(), true);
        LinearRegression e = new LinearRegression(data.design(), data.dataset().explicitTargets());
        double[] x = data.design().data();
        double[] y = e.responses().data();
        double[] hess = e.hessianMatrix().data();
        // θ* from the normal equations; residuals and per-example gradients there
        double[] xty = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                xty[j] += x[i * d + j] * y[i] / n;
            }
        }
        double[] opt = solve(hess.clone(), xty, d);
        double lossStar = e.value(opt);
        double[][] g = new double[n][d];
        double meanSq = 0;
        for (int i = 0; i < n; i++) {
            double r = -y[i];
            for (int j = 0; j < d; j++) {
                r += x[i * d + j] * opt[j];
            }
            for (int j = 0; j < d; j++) {
                g[i][j] = x[i * d + j] * r;
                meanSq += g[i][j] * g[i][j] / n;
            }
        }
        double predicted = meanSq / 4;
        double maxCurv = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += x[i * d + j] * x[i * d + j];
            }
            maxCurv = Math.max(maxCurv, s);
        }

        List<Double> hs = params.hs();
        List<Long> seeds = ctx.seeds();
        int steps = params.steps();
        int every = Math.max(1, params.every());
        StudyContext.Table traj = ctx.table("traj", "h", "seed", "step", "excess_loss");
        StudyContext.Table perSeed = ctx.table("per_seed", "h", "seed", "converged_loss", "excess");
        StudyContext.Table sum = ctx.table("summary", "h", "mean_excess", "lo", "hi", "stderr", "exact_excess",
                "tz_excess", "mean_loss", "exact_loss", "tz_loss");
        double[] hv = new double[hs.size()];
        double[] ym = new double[hs.size()];
        double[] ys = new double[hs.size()];
        List<String> agree = new ArrayList<>();
        boolean allAgree = true;
        for (int k = 0; k < hs.size(); k++) {
            double h = hs.get(k);
            ctx.progress("h = " + h);
            double exact = exactExcess(x, g, hess, n, d, h);
            double[] excess = new double[seeds.size()];
            long burn = (long) Math.ceil(params.burnIn() / h);
            for (int s = 0; s < seeds.size(); s++) {
                long seed = seeds.get(s);
                double[] acc = {0};
                // θ_t for t = burn + 1 .. burn + steps: the chain after burn-in, averaged; rows every `every` steps
                Trajectory.of(new Gd("sgd", new RandomBatches(n, 1, seed)), e, h).observe(t -> t > burn, (t, theta) -> {
                    double q = quadratic(hess, theta, opt, d);
                    acc[0] += q;
                    if ((t - 1 - burn) % every == 0) {
                        traj.row(h, seed, t - 1 - burn, q);
                    }
                }).run(opt, burn + steps);
                excess[s] = acc[0] / steps;
                perSeed.row(h, seed, lossStar + excess[s], excess[s]);
            }
            double mean = 0;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double v : excess) {
                mean += v / excess.length;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            double var = 0;
            for (double v : excess) {
                var += (v - mean) * (v - mean) / Math.max(1, excess.length - 1);
            }
            double se = Math.sqrt(var / excess.length);
            sum.row(h, mean, lo, hi, se, exact, predicted * h, lossStar + mean, lossStar + exact, lossStar + predicted * h);
            hv[k] = h;
            ym[k] = mean / h;
            ys[k] = Math.max(se, 1e-3 * mean) / h; // floor keeps a lucky tiny spread from dominating the fit
            boolean ok = Math.abs(mean - exact) <= 4 * se + 1e-12;
            allAgree &= ok;
            agree.add(String.format(Locale.ROOT, "h=%.3g: %.4g ± %.2g vs exact %.4g", h, mean, se, exact));
        }
        // weighted least squares of (L − L*)/h = s + c·h
        double sw = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (int k = 0; k < hv.length; k++) {
            double w = 1 / (ys[k] * ys[k]);
            sw += w;
            sx += w * hv[k];
            sy += w * ym[k];
            sxx += w * hv[k] * hv[k];
            sxy += w * hv[k] * ym[k];
        }
        double det = sw * sxx - sx * sx;
        double slope0 = (sxx * sy - sx * sxy) / det;
        double curvature = (sw * sxy - sx * sy) / det;
        double slopeSe = Math.sqrt(sxx / det);
        double tiny = 1e-5;
        double exactSlope0 = exactExcess(x, g, hess, n, d, tiny) / tiny;
        double tol = params.tolerance();
        int ns = seeds.size();

        ctx.figure(Figure.of("converged", "Converged loss against h").axes("h", "E − L*")
                .band("summary", "h", "lo", "hi", null, "simulated, min-max over " + ns + " seeds")
                .points("summary", "h", "mean_excess", null, "simulated mean")
                .line("summary", "h", "exact_excess", null, "exact stationary")
                .dashed("summary", "h", "tz_excess", null, "TZ: h·¼E‖g_i‖²")
                .caption("Excess of the converged loss over L* = E(θ*): SGD with one i.i.d. example per step, time "
                        + "averages over " + steps + " steps after burn-in, " + ns + " seeds (band: min-max). The exact "
                        + "stationary value bends away from the TZ tangent as h grows.")
                .build());
        ctx.figure(Figure.of("traj", "Excess loss along SGD").axes("step", "E − L*").logY()
                .where("seed", seeds.get(0))
                .line("traj", "step", "excess_loss", "h", "h = ")
                .caption("E(θ_t) − L* after burn-in for the first seed's chain at each h; its time average is the "
                        + "converged loss. All " + ns + " seeds are in the per_seed table.")
                .build());
        ctx.summary("loss_star", lossStar);
        ctx.summary("predicted_slope", predicted);
        ctx.summary("fitted_slope", slope0);
        ctx.summary("fitted_slope_stderr", slopeSe);
        ctx.summary("fitted_curvature", curvature);
        ctx.summary("exact_slope_at_0", exactSlope0);
        ctx.summary("max_h_times_example_curvature", hs.stream().mapToDouble(Double::doubleValue).max().orElse(0) * maxCurv);
        ctx.note(String.format(Locale.ROOT, "Least squares n = %d, d = %d, orthogonal design (XᵀX/n = I), L* = %.6g, "
                + "¼E_i‖g_i‖² = %.6g. SGD draws one example per step with replacement (the i.i.d. sampling of the "
                + "theorem); shuffled epochs would cancel most of the noise and lower the slope.", n, d, lossStar, predicted));
        ctx.finding("tz-slope", "The fitted slope of the converged loss at h = 0 matches ¼·E_i‖g_i‖² within "
                        + Math.round(tol * 100) + "%", Math.abs(slope0 - predicted) <= tol * predicted,
                String.format(Locale.ROOT, "fitted %.5g ± %.2g (weighted fit of (L - L*)/h = s + c·h over %d h, %d "
                        + "seeds) vs predicted %.5g: %+.1f%%", slope0, slopeSe, hv.length, ns, predicted,
                        100 * (slope0 / predicted - 1)));
        ctx.finding("simulated-equals-exact", "SGD's simulated converged loss equals the exact stationary loss at every h (within 4 standard errors)",
                allAgree, String.join("; ", agree));
        ctx.finding("exact-slope-at-zero", "The exact stationary loss has slope ¼·E_i‖g_i‖² at h → 0 (within 0.1%)",
                Math.abs(exactSlope0 / predicted - 1) < 1e-3,
                String.format(Locale.ROOT, "(L(h) - L*)/h at h = %.0e: %.6g vs %.6g", tiny, exactSlope0, predicted));
    }

    /** ½ΔᵀHΔ. */
    private static double quadratic(double[] hess, double[] t, double[] opt, int d) {
        double q = 0;
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                q += (t[a] - opt[a]) * hess[a * d + b] * (t[b] - opt[b]);
            }
        }
        return q / 2;
    }

    /** ½Tr(HΣ) for the exact stationary second moment Σ of one-example i.i.d. SGD at step h. */
    static double exactExcess(double[] x, double[][] g, double[] hess, int n, int d, double h) {
        int m = d * d;
        double[] sys = new double[m * m]; // I − (1/n)Σ_i A_i ⊗ A_i acting on vec(Σ) (row-major)
        double[] rhs = new double[m];
        for (int i = 0; i < n; i++) {
            double[] a = new double[d * d];
            for (int p = 0; p < d; p++) {
                for (int q = 0; q < d; q++) {
                    a[p * d + q] = (p == q ? 1 : 0) - h * x[i * d + p] * x[i * d + q];
                }
            }
            // (AΣA)_{pq} = Σ_{rs} A_pr Σ_rs A_sq (A symmetric)
            for (int p = 0; p < d; p++) {
                for (int q = 0; q < d; q++) {
                    for (int r = 0; r < d; r++) {
                        for (int s = 0; s < d; s++) {
                            sys[(p * d + q) * m + r * d + s] -= a[p * d + r] * a[s * d + q] / n;
                        }
                    }
                    rhs[p * d + q] += h * h * g[i][p] * g[i][q] / n;
                }
            }
        }
        for (int k = 0; k < m; k++) {
            sys[k * m + k] += 1;
        }
        double[] sigma = solve(sys, rhs, m);
        double tr = 0;
        for (int p = 0; p < d; p++) {
            for (int q = 0; q < d; q++) {
                tr += hess[p * d + q] * sigma[q * d + p];
            }
        }
        return tr / 2;
    }

    /** Solves A z = b (A n×n row-major, overwritten) by Gaussian elimination with partial pivoting. */
    static double[] solve(double[] a, double[] b, int n) {
        double[] z = b.clone();
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r * n + c]) > Math.abs(a[piv * n + c])) {
                    piv = r;
                }
            }
            if (piv != c) {
                for (int k = 0; k < n; k++) {
                    double tmp = a[c * n + k];
                    a[c * n + k] = a[piv * n + k];
                    a[piv * n + k] = tmp;
                }
                double tmp = z[c];
                z[c] = z[piv];
                z[piv] = tmp;
            }
            for (int r = c + 1; r < n; r++) {
                double f = a[r * n + c] / a[c * n + c];
                for (int k = c; k < n; k++) {
                    a[r * n + k] -= f * a[c * n + k];
                }
                z[r] -= f * z[c];
            }
        }
        for (int r = n - 1; r >= 0; r--) {
            double s = z[r];
            for (int k = r + 1; k < n; k++) {
                s -= a[r * n + k] * z[k];
            }
            z[r] = s / a[r * n + r];
        }
        return z;
    }
}
