package org.driftlab.studies;

import static org.driftlab.experiment.Params.check;
import static org.driftlab.experiment.Params.atLeast;
import static org.driftlab.experiment.Params.checkPositive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.curvature.Lanczos;
import org.driftlab.study.Figure;
import org.driftlab.experiment.ObjectiveFactory;
import org.driftlab.experiment.Param;
import org.driftlab.study.Study;
import org.driftlab.study.StudyContext;
import org.driftlab.flow.Comparison;
import org.driftlab.flow.FlowIntegrator;
import org.driftlab.flow.GradientFlow;
import org.driftlab.flow.IgrFlow;
import org.driftlab.flow.PrincipalFlow;
import org.driftlab.flow.ThirdOrderFlow;
import org.driftlab.flow.Trajectory;
import org.driftlab.flow.VectorField;
import org.driftlab.objective.NetObjective;
import org.driftlab.objective.Objective;

/**
 * {@code mlp-flows}: a small MLP (full batch) trained by GD at a stable and an unstable learning rate, h = f·2/λ₁(θ₀),
 * against the NGF, the IGR flow, the third-order flow and the Principal Flow (exact, and truncated to the top-k
 * eigenpairs), all started at θ₀ and sampled at t = n·h. Per step: ‖θ_GD(n) − Re θ_flow(nh)‖, the losses, and
 * ∇E·u₁ at each trajectory's own point (u₁ the top Hessian eigenvector there, signed to agree with u₁(θ₀)).
 *
 * <p>The complex PF on a non-quadratic loss uses g and H at Re θ with the linear extension of the gradient
 * ({@link PrincipalFlow}). Full size (D = 243) takes about a minute on 2 busy cores, the quick size a few seconds.
 */
public final class MlpFlowsStudy implements Study<MlpFlowsStudy.Params> {
    @Override
    public String kind() {
        return "mlp-flows";
    }

    @Override
    public String description() {
        return "Small MLP: distance of NGF, IGR, third-order and Principal Flow from GD at a stable and an unstable h; "
                + "∇E·u₁ along each";
    }

    /** The parameters of the study, each with its default, unit and meaning. */
    public record Params(
            @Param(value = "{model: 'fc-tanh:24', data: 'synthetic:blobs:n=60,d=6,k=3,seed=1'}",
                    doc = "the network, its data and loss") NetworkParams network,
            @Param(value = "[0.4, 1.1]", unit = "2/λ₁(θ₀)", doc = "learning rates as multiples of 2/λ₁(θ₀)") List<Double> lrFactors,
            @Param(value = "12", unit = "steps", doc = "GD steps compared") int steps,
            @Param(value = "3", unit = "steps", doc = "steps of the early window") int earlySteps,
            @Param(value = "5", doc = "eigenpairs of the truncated Principal Flow") int pfTopK,
            @Param(value = "1.0e-06", doc = "relative tolerance of the ODE integrator") double rtol,
            @Param(value = "1.0e-08", doc = "absolute tolerance of the ODE integrator") double atol) {
        /** The checks that need no data, made before the study creates anything. */
        public Params {
            checkPositive("lr_factors", lrFactors);
            atLeast("steps", steps, 1);
            check(earlySteps >= 1 && earlySteps <= steps, "early_steps", earlySteps + " must be in [1, steps = " + steps + "]");
            check(pfTopK >= 0, "pf_top_k", pfTopK + " must be >= 0 (0: no truncated Principal Flow)");
            checkPositive("rtol", rtol);
            checkPositive("atol", atol);
            check(network.model().startsWith("fc-"), "model", "expected a fully connected spec such as fc-tanh:24 "
                    + "(the exact Principal Flow needs a dense Hessian), got '" + network.model() + "'");
        }
    }

    /** The exact Principal Flow diagonalises the dense Hessian at every evaluation: D is bounded. */
    @Override
    public void validate(Params params) {
        int dim = params.network().problem(0).train().dim();
        StudySupport.require(dim <= 3000, "model", "D = " + dim + " parameters; the exact Principal Flow "
                + "diagonalises the dense Hessian at every evaluation, so keep D <= 3000");
        StudySupport.require(params.pfTopK() <= dim, "pf_top_k", "at most D = " + dim + ", got " + params.pfTopK());
    }

    @Override
    public void run(StudyContext ctx, Params params) {
        List<Double> factors = params.lrFactors();
        int steps = params.steps();
        int early = params.earlySteps();
        int topK = params.pfTopK();
        double rtol = params.rtol();
        double atol = params.atol();
        ObjectiveFactory.Problem problem = params.network().problem(ctx);
        NetObjective e = NetworkParams.net(problem);
        double[] theta0 = problem.initialTheta();
        double[][] top0 = Comparison.topEigenpairs(e, theta0, 1);
        double lambda0 = top0[0][0];
        double[] u0 = top0[1];
        ctx.summary("dim", e.dim());
        ctx.summary("sharpness_at_init", lambda0);
        ctx.progress("D = " + e.dim() + ", λ₁(θ₀) = " + StudySupport.f(lambda0));
        if (!(lambda0 > 0)) {
            throw new DriftlabException("the Hessian at θ₀ has no positive eigenvalue (λ₁ = " + lambda0
                    + "); choose another params.model or params.data");
        }
        FlowIntegrator integ = FlowIntegrator.dormandPrince().withTolerances(rtol, atol).withMaxEvaluations(200_000);

        StudyContext.Table dist = ctx.table("distance", "h", "lr_factor", "method", "step", "distance", "loss_gd",
                "loss_flow", "imag_norm");
        StudyContext.Table proj = ctx.table("projection", "h", "lr_factor", "method", "step", "grad_dot_u1", "lambda1");
        StudyContext.Table cost = ctx.table("cost", "h", "method", "evaluations", "seconds", "complete");

        for (double f : factors) {
            double h = f * 2 / lambda0;
            ctx.progress("h = " + StudySupport.f(h) + " (" + f + "·2/λ₁)");
            List<double[]> gd = Comparison.gradientDescent(e, theta0, h, steps);
            Map<String, double[]> gradU = new LinkedHashMap<>();
            gradU.put("gd", writeProjections(proj, e, h, f, "gd", gd, u0));
            List<VectorField> fields = new ArrayList<>(List.of(new GradientFlow(e), new IgrFlow(e, h),
                    new ThirdOrderFlow(e, h), PrincipalFlow.exact(e, h)));
            if (topK > 0) {
                fields.add(PrincipalFlow.truncated(e, h, topK, 1e-8));
            }
            Map<String, Double> earlyMean = new LinkedHashMap<>();
            for (VectorField field : fields) {
                long t0 = System.nanoTime();
                Trajectory tr = integ.integrate(field, theta0, h, steps);
                double secs = (System.nanoTime() - t0) / 1e9;
                cost.row(h, field.name(), tr.evaluations(), secs, tr.complete());
                Comparison c = Comparison.of(e, gd, tr, new double[0][]);
                double sum = 0;
                int count = 0;
                for (Comparison.Row r : c.rows()) {
                    dist.row(h, f, field.name(), r.step(), r.distance(), r.lossIterate(), r.lossFlow(), r.imagNorm());
                    if (r.step() >= 1 && r.step() <= early) {
                        sum += r.distance();
                        count++;
                    }
                }
                earlyMean.put(field.name(), count == early ? sum / count : Double.NaN);
                List<double[]> points = new ArrayList<>();
                for (int n = 0; n <= tr.steps(); n++) {
                    points.add(tr.real(n));
                }
                gradU.put(field.name(), writeProjections(proj, e, h, f, field.name(), points, u0));
                ctx.progress(String.format(Locale.ROOT, "  %s: %d evaluations, %.1f s, mean distance over the first "
                        + "%d steps %.3g", field.name(), tr.evaluations(), secs, early, earlyMean.get(field.name())));
            }
            double pf = earlyMean.get("pf");
            double igr = earlyMean.get("igr");
            double ngf = earlyMean.get("ngf");
            String regime = h * lambda0 < 2 ? "stable" : "unstable";
            ctx.finding("tracking-order-" + regime, String.format(Locale.ROOT, "At the %s h = %s·2/λ₁ the PF tracks GD better than the IGR flow, "
                            + "which tracks it better than the NGF, over the first %d steps", regime, f, early),
                    pf < igr && igr < ngf,
                    String.format(Locale.ROOT, "mean ‖θ_GD(n) − θ_flow(nh)‖, n = 1..%d: PF %.3g, IGR %.3g, NGF %.3g; "
                            + "third-order %.3g%s (hλ₁(θ₀) = %.2f)", early, pf, igr, ngf, earlyMean.get("third-order"),
                            topK > 0 ? String.format(Locale.ROOT, ", PF top-%d %.3g", topK, earlyMean.get("pf-top" + topK))
                                    : "", h * lambda0));
            ctx.summary("early_mean_distance_f=" + f, earlyMean);
            if (h * lambda0 > 2) {
                Map<String, Integer> flips = new LinkedHashMap<>();
                for (Map.Entry<String, double[]> en : gradU.entrySet()) {
                    flips.put(en.getKey(), signFlips(en.getValue(), early));
                }
                ctx.finding("unstable-sign-flips", String.format(Locale.ROOT, "At the unstable h = %s·2/λ₁ GD's ∇E·u₁ changes sign at every "
                                + "step, and so does the PF's; the NGF's and IGR flow's do not", f),
                        flips.get("gd") == early && flips.get("pf") == early && flips.get("ngf") < early
                                && flips.get("igr") < early,
                        "sign changes of ∇E·u₁ over the first " + early + " steps: " + flips);
                ctx.summary("grad_u1_sign_flips_f=" + f, flips);
            }
        }

        for (double f : factors) {
            double h = f * 2 / lambda0;
            String id = ("f" + f).replace('.', '_');
            ctx.figure(Figure.of("distance-" + id, "Distance from GD, h = " + f + "·2/λ₁(θ₀) = " + StudySupport.f(h))
                    .axes("step n", "‖θ_GD(n) − Re θ_flow(nh)‖").logY()
                    .where("lr_factor", f).line("distance", "step", "distance", "method", "")
                    .caption("Each flow starts at θ₀ with GD (one seed, D = " + e.dim() + "). Backward error analysis "
                            + "orders them NGF > IGR > third-order ≈ PF while hλ₁ < 1; past 2/λ₁ only the PF follows "
                            + "GD's oscillation along u₁, for the first few steps.")
                    .build());
            ctx.figure(Figure.of("grad-u1-" + id, "∇E·u₁ along each trajectory, h = " + f + "·2/λ₁(θ₀)")
                    .axes("step n", "∇E·u₁")
                    .where("lr_factor", f).line("projection", "step", "grad_dot_u1", "method", "")
                    .caption("u₁ is the top Hessian eigenvector at each trajectory's own point, signed to agree with "
                            + "u₁(θ₀). GD's sign flips every step when hλ₁ > 2.")
                    .build());
            ctx.figure(Figure.of("sharpness-" + id, "λ₁ along each trajectory, h = " + f + "·2/λ₁(θ₀)")
                    .axes("step n", "λ₁")
                    .where("lr_factor", f).line("projection", "step", "lambda1", "method", "")
                    .hline(2 / h, "2/h")
                    .caption("Sharpness at each trajectory's points; the dashed line is the stability threshold 2/h.")
                    .build());
        }
        ctx.note("E: " + params.network().loss() + " loss of " + params.network().model() + " on " + problem.dataDescription() + " (full batch), D = " + e.dim()
                + ", PyTorch initialisation with seed " + ctx.seed() + ". Integration: Dormand–Prince 5(4), rtol "
                + rtol + ", atol " + atol + ", dense output at t = n·h. The Principal Flow's complex state uses g and "
                + "H at Re θ with ∇E(Re θ + i Im θ) := g + iH·Im θ (exact on quadratics). The truncated PF applies "
                + "c(hλ_i) on the top-k eigenpairs and c = −1 (NGF) on the rest of the gradient. At the unstable h "
                + "the PF keeps growing along u₁ as its local quadratic model says, while GD's own non-linearity "
                + "stabilises it, so its advantage is an early-time one.");
    }

    /** ∇E·u₁ and λ₁ at each point, u₁ signed to agree with the reference u₁(θ₀). */
    private static double[] writeProjections(StudyContext.Table t, Objective e, double h, double f, String method,
                                         List<double[]> points, double[] reference) {
        double[] previous = reference;
        double[] out = new double[points.size()];
        for (int n = 0; n < points.size(); n++) {
            double[] theta = points.get(n);
            Lanczos.Result r = Lanczos.run(e.hessian(theta), Lanczos.Config.builder().k(1)
                    .which(Lanczos.Which.LARGEST_ALGEBRAIC).tolerance(1e-8).maxIterations(e.dim())
                    .warmStart(previous).build());
            double[] u = r.eigenvector(0);
            double s = 0;
            for (int i = 0; i < u.length; i++) {
                s += u[i] * reference[i];
            }
            if (s < 0) {
                for (int i = 0; i < u.length; i++) {
                    u[i] = -u[i];
                }
            }
            double[] g = e.gradient(theta);
            double gu = 0;
            for (int i = 0; i < u.length; i++) {
                gu += g[i] * u[i];
            }
            t.row(h, f, method, n, gu, r.eigenvalue(0));
            out[n] = gu;
            previous = u;
        }
        return out;
    }

    /** Sign changes of v over its first {@code upTo} transitions. */
    private static int signFlips(double[] v, int upTo) {
        int flips = 0;
        for (int n = 1; n <= Math.min(upTo, v.length - 1); n++) {
            if (Math.signum(v[n]) * Math.signum(v[n - 1]) < 0) {
                flips++;
            }
        }
        return flips;
    }
}
