package org.driftlab.studies;

import static org.driftlab.experiment.Params.check;
import static org.driftlab.experiment.Params.atLeast;
import static org.driftlab.experiment.Params.checkPositive;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.study.Figure;
import org.driftlab.experiment.Param;
import org.driftlab.study.Study;
import org.driftlab.study.StudyContext;
import org.driftlab.flow.Comparison;
import org.driftlab.flow.FlowIntegrator;
import org.driftlab.flow.GradientFlow;
import org.driftlab.flow.IgrFlow;
import org.driftlab.flow.PrincipalFlow;
import org.driftlab.flow.Trajectory;
import org.driftlab.flow.VectorField;
import org.driftlab.objective.Objective;
import org.driftlab.objective.ToyObjectives;

/**
 * {@code quadratic-flows}: gradient descent on E = ½θᵀdiag(λ)θ (default λ = 20 and 1) against the NGF, the IGR
 * flow and the Principal Flow at several learning rates, including 2/λ₁ &lt; h where GD diverges along u₁. The
 * PF is exact on quadratics: it equals GD at every t = n·h, complex in between once hλ₁ &gt; 1. Runs in about a
 * second.
 */
public final class QuadraticFlowsStudy implements Study<QuadraticFlowsStudy.Params> {
    /** The figure filter key of one method at one h (figures filter on one column). */
    private static String key(String method, double h) {
        return method + "@h=" + h;
    }

    @Override
    public String kind() {
        return "quadratic-flows";
    }

    @Override
    public String description() {
        return "GD vs NGF, IGR flow and Principal Flow on a quadratic with eigenvalues 20 and 1, stable to divergent h";
    }

    /** The parameters of the study, each with its default, unit and meaning. */
    public record Params(
            @Param(value = "[20.0, 1.0]", doc = "diagonal of the quadratic's Hessian") List<Double> eigenvalues,
            @Param(value = "[0.04, 0.05, 0.09, 0.105]", doc = "learning rates h") List<Double> h,
            @Param(value = "[1.0, 1.0]", doc = "initial θ") List<Double> theta0,
            @Param(value = "20", unit = "steps", doc = "GD steps") int steps,
            @Param(value = "8", doc = "flow samples between iterates") int samplesPerStep,
            @Param(value = "1.0e-12", doc = "relative tolerance of the ODE integrator") double rtol) {
        /** Every check, made before the study creates anything. */
        public Params {
            check(eigenvalues.size() == 2, "eigenvalues", eigenvalues + ": need exactly 2 (a 2-D quadratic drawn in the plane)");
            check(theta0.size() == 2, "theta0", theta0 + ": need exactly 2 values (a 2-D quadratic drawn in the plane)");
            checkPositive("h", h);
            atLeast("steps", steps, 1);
            atLeast("samples_per_step", samplesPerStep, 1);
            checkPositive("rtol", rtol);
        }
    }

    @Override
    public void run(StudyContext ctx, Params params) {
        double[] lambdas = StudySupport.array(params.eigenvalues());
        double[] theta0 = StudySupport.array(params.theta0());
        List<Double> hs = params.h();
        int steps = params.steps();
        int sub = params.samplesPerStep();
        double rtol = params.rtol();
        double top = Math.max(lambdas[0], lambdas[1]);
        // E = ½θᵀdiag(λ)θ: H = diag(λ), so u₁ is the first axis when λ₁ is listed first.
        Objective e = ToyObjectives.quadratic(lambdas, null, null, "quadratic");
        FlowIntegrator integ = FlowIntegrator.dormandPrince().withMethod(FlowIntegrator.Method.DORMAND_PRINCE_853)
                .withTolerances(rtol, rtol * 1e-2);

        StudyContext.Table traj = ctx.table("traj", "h", "method", "series", "t", "x", "y", "imag_norm");
        StudyContext.Table err = ctx.table("error", "h", "method", "step", "distance", "loss_gd", "loss_flow");
        Map<String, Object> pfErrors = new LinkedHashMap<>();
        double worstPf = 0;
        double worstImagAtGrid = 0;
        double maxImagBetween = 0;
        boolean divergentOk = true;
        StringBuilder divergentDetail = new StringBuilder();
        boolean igrBetter = true;
        StringBuilder igrDetail = new StringBuilder();
        boolean anyDivergent = false;
        boolean anyStable = false;

        for (double h : hs) {
            ctx.progress("h = " + h + " (hλ₁ = " + StudySupport.f(h * top) + ")");
            List<double[]> gd = Comparison.gradientDescent(e, theta0, h, steps);
            for (int n = 0; n < gd.size(); n++) {
                traj.row(h, "gd", key("gd", h), n * h, gd.get(n)[0], gd.get(n)[1], 0.0);
            }
            Map<String, Double> maxDist = new LinkedHashMap<>();
            Map<String, double[]> last = new LinkedHashMap<>();
            List<VectorField> fields = List.of(new GradientFlow(e), new IgrFlow(e, h), PrincipalFlow.exact(e, h));
            for (VectorField f : fields) {
                // Dense samples (sub per step) draw the curves; every sub-th one is t = n·h.
                Trajectory dense = integ.integrate(f, theta0, h / sub, steps * sub);
                for (int k = 0; k <= dense.steps(); k++) {
                    double[] re = dense.real(k);
                    traj.row(h, f.name(), key(f.name(), h), dense.time(k), re[0], re[1], dense.imagNorm(k));
                    if (k % sub != 0) {
                        maxImagBetween = f instanceof PrincipalFlow ? Math.max(maxImagBetween, dense.imagNorm(k))
                                : maxImagBetween;
                    }
                }
                List<double[]> grid = new ArrayList<>();
                double imagAtGrid = 0;
                for (int n = 0; n * sub <= dense.steps(); n++) {
                    grid.add(dense.real(n * sub));
                    imagAtGrid = Math.max(imagAtGrid, dense.imagNorm(n * sub));
                }
                Comparison c = Comparison.of(e, gd, Trajectory.ofPoints(f.name(), h, grid), new double[0][]);
                for (Comparison.Row r : c.rows()) {
                    err.row(h, f.name(), r.step(), r.distance(), r.lossIterate(), r.lossFlow());
                }
                maxDist.put(f.name(), c.maxDistance());
                last.put(f.name(), grid.get(grid.size() - 1));
                if (f instanceof PrincipalFlow) {
                    pfErrors.put("h=" + h, String.format(java.util.Locale.ROOT, "%.1e", c.maxDistance()));
                    worstPf = Math.max(worstPf, c.maxDistance());
                    worstImagAtGrid = Math.max(worstImagAtGrid, imagAtGrid);
                }
            }
            double x0 = Math.abs(theta0[0]);
            if (h * top > 2) {
                anyDivergent = true;
                double gdX = Math.abs(gd.get(gd.size() - 1)[0]);
                double pfX = Math.abs(last.get("pf")[0]);
                double ngfX = Math.abs(last.get("ngf")[0]);
                double igrX = Math.abs(last.get("igr")[0]);
                boolean ok = gdX > x0 && pfX > x0 && ngfX < x0 && igrX < x0;
                divergentOk &= ok;
                divergentDetail.append(String.format(java.util.Locale.ROOT,
                        "h=%s (hλ₁=%s): |x_N| GD %.3g, PF %.3g, NGF %.2e, IGR %.2e (|x_0| = %.3g); ", h,
                        StudySupport.f(h * top), gdX, pfX, ngfX, igrX, x0));
            } else if (h * top < 1) {
                anyStable = true;
                boolean ok = maxDist.get("igr") < maxDist.get("ngf");
                igrBetter &= ok;
                igrDetail.append(String.format(java.util.Locale.ROOT, "h=%s (hλ₁=%s): max ‖GD − flow‖ NGF %.3g, "
                        + "IGR %.3g, PF %.1e; ", h, StudySupport.f(h * top), maxDist.get("ngf"), maxDist.get("igr"),
                        maxDist.get("pf")));
            }
            ctx.summary("max_distance_h=" + h, maxDist);
        }

        ctx.finding("pf-equals-gd", "The Principal Flow equals GD at every t = n·h, for every h (stable, oscillating, divergent)",
                worstPf < 1e-8, "max_n ‖θ_GD(n) − Re θ_PF(nh)‖ per h: " + pfErrors + "; max ‖Im θ_PF(nh)‖ = "
                        + String.format(java.util.Locale.ROOT, "%.1e", worstImagAtGrid) + " (tolerance 1e-8)");
        ctx.finding("pf-complex-between-steps", "Between steps the PF is complex when hλ₁ > 1, and real at t = n·h",
                !hs.stream().anyMatch(h -> h * top > 1) || (maxImagBetween > 1e-3 * Math.abs(theta0[0])
                        && worstImagAtGrid < 1e-8),
                String.format(java.util.Locale.ROOT, "max ‖Im θ_PF‖ between steps %.3g, at t = n·h %.1e",
                        maxImagBetween, worstImagAtGrid));
        if (anyDivergent) {
            ctx.finding("divergent-regime", "Past h = 2/λ₁ GD diverges along u₁; the PF diverges with it while NGF and IGR converge",
                    divergentOk, divergentDetail.toString().trim());
        }
        if (anyStable) {
            ctx.finding("igr-beats-ngf", "Below hλ₁ = 1 the IGR flow tracks GD more closely than the NGF", igrBetter,
                    igrDetail.toString().trim());
        }
        ctx.summary("pf_max_error", worstPf);
        ctx.summary("pf_max_imag_at_grid", worstImagAtGrid);
        ctx.summary("pf_max_imag_between_steps", maxImagBetween);

        for (double h : hs) {
            String id = ("h" + h).replace('.', '_');
            ctx.figure(Figure.of("plane-" + id, "h = " + h + " (hλ₁ = " + StudySupport.f(h * top) + "): GD and flows in the plane").equalAspect()
                    .axes("x (along u₁, λ = " + StudySupport.f(lambdas[0]) + ")", "y (λ = " + StudySupport.f(lambdas[1]) + ")")
                    .where("series", key("ngf", h)).line("traj", "x", "y", null, "NGF")
                    .where("series", key("igr", h)).line("traj", "x", "y", null, "IGR flow")
                    .where("series", key("pf", h)).dashed("traj", "x", "y", null, "Re PF")
                    .where("series", key("gd", h)).points("traj", "x", "y", null, "GD iterates")
                    .caption("Phase portrait: the flows are sampled " + sub + " times per step, GD at its iterates. "
                            + "The Re PF passes through every GD iterate; the NGF and IGR flow do not follow GD's "
                            + "sign flips along u₁ once hλ₁ > 1.")
                    .build());
        }
        Figure.Builder coord = Figure.of("x-vs-time", "Coordinate along u₁ over time")
                .axes("t = n·h", "x");
        for (double h : hs) {
            coord.where("series", key("pf", h)).dashed("traj", "t", "x", null, "Re PF h=" + h);
            coord.where("series", key("gd", h)).points("traj", "t", "x", null, "GD h=" + h);
        }
        ctx.figure(coord.caption("GD multiplies x by 1 − hλ₁ per step; the PF's real part interpolates it, "
                + "oscillating through zero between steps when hλ₁ > 1.").build());
        Figure.Builder ef = Figure.of("distance", "Distance from GD at t = n·h").axes("step n", "‖θ_GD(n) − θ_flow(nh)‖")
                .logY();
        for (double h : hs) {
            ef.where("h", h).line("error", "step", "distance", "method", "h=" + h + " ");
        }
        ctx.figure(ef.caption("NGF and IGR errors grow with h; the PF's error is integration error only "
                + "(zeros are not drawn on the log axis).").build());
        ctx.note("E = ½θᵀdiag(λ)θ, so H = diag(λ) and GD multiplies the coordinate along u_i by 1 − hλ_i per step. "
                + "The Principal Flow θ̇ = Σ c(hλ_i)(∇E·u_i)u_i with c(z) = log(1 − z)/z gives (1 − hλ_i)^{t/h}, "
                + "complex for hλ_i > 1. At hλ_i = 1 exactly c is taken as ln(2⁻⁵²) (GD lands on the minimum "
                + "along u_i; the flow reaches it to double precision). Integration: Dormand–Prince 8(5,3), rtol "
                + rtol + ", dense output at t = n·h/" + sub + ".");
    }
}
