package org.driftlab.studies;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.driftlab.study.Figure;
import org.driftlab.experiment.Param;
import org.driftlab.experiment.Trajectory;
import org.driftlab.study.Study;
import org.driftlab.study.StudyContext;
import org.driftlab.flow.Comparison;
import org.driftlab.objective.Objective;
import org.driftlab.objective.ToyObjectives;
import org.driftlab.optim.Gd;
import org.driftlab.optim.GradientSource;

/**
 * The minimalist example of the edge of stability (the EoS seed deck, after Zhu et al. 2023): GD on
 * E = ½(1 − xyzw)² from a symmetric initialisation z₀ = x₀, w₀ = y₀ (kept symmetric by the dynamics), over a sweep
 * of h. The minima are the hyperplane-like set xyzw = 1; on the symmetric slice xy = 1, where the Hessian is
 * ∇(xyzw)∇(xyzw)ᵀ with sharpness 2(x² + y²). Gradient flow conserves x² − y² = c, so it ends at sharpness
 * λ_GF = 2√(c² + 4). GD with h cannot converge to a minimum sharper than 2/h: where λ_GF &gt; 2/h it oscillates and
 * drifts along the valley until the sharpness reaches 2/h from above, ending at (x² − y²)^½ = (h⁻² − 4)^¼ — the
 * seed's "initialisations converging close to λ = 2/η".
 */
public final class MinimalistStudy implements Study<MinimalistStudy.Params> {
    @Override
    public String kind() {
        return "minimalist";
    }

    @Override
    public String description() {
        return "Minimalist EoS: GD on ½(1 - xyzw)² ends with sharpness <= 2/h, at 2/h where gradient flow's minimum is sharper";
    }

    /** The parameters of the study, each with its default, unit and meaning. */
    public record Params(
            @Param(value = "2.5", doc = "initial x (= z)") double x0,
            @Param(value = "0.2", doc = "initial y (= w)") double y0,
            @Param(value = "[0.05, 0.08, 0.1, 0.12, 0.14, 0.16, 0.18, 0.2]", doc = "learning rates h") List<Double> hs,
            @Param(value = "20000", unit = "steps", doc = "GD steps per h") int steps,
            @Param(value = "20", unit = "steps", doc = "trajectory row period") int every,
            @Param(value = "1.0e-12", doc = "a run has converged when E_T is below this") double convergedBelow,
            @Param(value = "0.05", doc = "at the edge: λ_T ≥ 2/h·(1 − tolerance)") double edgeTolerance,
            @Param(value = "0.001", doc = "allowed overshoot: λ_T ≤ 2/h·(1 + slack)") double slack) {
        /** Each learning rate positive; thresholds and tolerances not negative (a negative one can never hold). */
        public Params {
            org.driftlab.experiment.Params.learningRates(hs, "hs");
            org.driftlab.experiment.Params.atLeast("every", every, 1);
            org.driftlab.experiment.Params.notNegative("converged_below", convergedBelow);
            org.driftlab.experiment.Params.notNegative("edge_tolerance", edgeTolerance);
            org.driftlab.experiment.Params.notNegative("slack", slack);
        }
    }

    @Override
    public void run(StudyContext ctx, Params params) {
        double x0 = params.x0();
        double y0 = params.y0();
        List<Double> hs = params.hs();
        int steps = params.steps();
        int every = Math.max(1, params.every());
        double convergedBelow = params.convergedBelow();
        double edgeTol = params.edgeTolerance();
        double slack = params.slack();
        Objective e = ToyObjectives.xyzw();
        double c0 = x0 * x0 - y0 * y0;
        double gfSharpness = 2 * Math.sqrt(c0 * c0 + 4);

        StudyContext.Table traj = ctx.table("traj", "h", "step", "loss", "sharpness", "two_over_h");
        StudyContext.Table fin = ctx.table("final", "h", "two_over_h", "sharpness", "loss", "converged",
                "gf_sharpness", "sharpness_times_h_over_2", "predicted_edge_c", "c_final");
        List<String> bad = new ArrayList<>();
        List<String> edge = new ArrayList<>();
        List<String> flow = new ArrayList<>();
        int convergedCount = 0;
        int edgeCount = 0;
        int flowCount = 0;
        boolean edgeOk = true;
        boolean flowOk = true;
        boolean boundOk = true;
        for (double h : hs) {
            ctx.progress("h = " + h);
            double[] t = Trajectory.of(new Gd("gd", GradientSource.fullBatch()), e, h)
                    .observe(s -> s % every == 0 || s == steps, (s, th) -> traj.row(h, s, e.value(th), sharpness(e, th), 2 / h))
                    .divergeAbove(1e6)
                    .run(new double[] {x0, y0, x0, y0}, steps).theta();
            double loss = e.value(t);
            double lam = Double.isFinite(loss) ? sharpness(e, t) : Double.NaN;
            boolean converged = loss < convergedBelow;
            double cFinal = t[0] * t[0] - t[1] * t[1];
            double predictedC = 1 / (h * h) > 4 ? Math.sqrt(1 / (h * h) - 4) : Double.NaN;
            fin.row(h, 2 / h, lam, loss, converged, gfSharpness, lam * h / 2, predictedC, cFinal);
            if (!converged) {
                continue;
            }
            convergedCount++;
            String where = String.format(Locale.ROOT, "h=%.3g: λ=%.4g vs 2/h=%.4g", h, lam, 2 / h);
            if (lam > 2 / h * (1 + slack)) {
                boundOk = false;
                bad.add(where);
            }
            if (gfSharpness > 2 / h) {
                edgeCount++;
                edge.add(where);
                edgeOk &= lam >= 2 / h * (1 - edgeTol) && lam <= 2 / h * (1 + slack);
            } else {
                flowCount++;
                flow.add(String.format(Locale.ROOT, "h=%.3g: λ=%.4g", h, lam));
                flowOk &= Math.abs(lam - gfSharpness) <= edgeTol * gfSharpness;
            }
        }
        ctx.figure(Figure.of("final", "Final sharpness against 2/h").axes("h", "sharpness")
                .points("final", "h", "sharpness", null, "final sharpness λ_T")
                .dashed("final", "h", "two_over_h", null, "2/h")
                .hline(gfSharpness, "gradient flow's minimum")
                .caption("GD from (x, y, x, y) = (" + x0 + ", " + y0 + ", " + x0 + ", " + y0 + ") for " + steps
                        + " steps. Below 2/h (the dashed curve) everywhere; where gradient flow's minimum (the horizontal"
                        + " dashed line) is sharper than 2/h, GD ends on the edge instead.")
                .build());
        ctx.figure(Figure.of("sharpness", "Sharpness along training").axes("step", "sharpness")
                .line("traj", "step", "sharpness", "h", "h = ").dashed("traj", "step", "two_over_h", "h", "2/h, h = ")
                .caption("λ_1 of the 4x4 Hessian along GD for each h, with 2/h dashed.")
                .build());
        ctx.figure(Figure.of("loss", "Loss along training").axes("step", "E").logY()
                .line("traj", "step", "loss", "h", "h = ")
                .caption("E along GD; non-monotone at the larger h, where GD oscillates across the valley.")
                .build());
        ctx.summary("gf_sharpness", gfSharpness);
        ctx.summary("converged_runs", convergedCount);
        ctx.summary("edge_runs", edgeCount);
        ctx.finding("sharpness-below-2-over-h", "Final sharpness <= 2/h for every converged h", convergedCount > 0 && boundOk,
                String.format(Locale.ROOT, "%d of %d h converged (E_T < %.0e); violations (λ_T > 2/h·(1+%.0e)): %s",
                        convergedCount, hs.size(), convergedBelow, slack, bad.isEmpty() ? "none" : bad));
        ctx.finding("edge-where-flow-sharper", "Where gradient flow's minimum is sharper than 2/h, GD ends at the edge (λ_T within "
                        + Math.round(edgeTol * 100) + "% below 2/h)", edgeCount > 0 && edgeOk,
                String.format(Locale.ROOT, "gradient-flow sharpness %.4g; %s", gfSharpness, edge.isEmpty()
                        ? "no converged h in this regime" : String.join("; ", edge)));
        ctx.finding("flow-minimum-otherwise", "Where 2/h is above gradient flow's minimum, GD ends near it (within " + Math.round(edgeTol * 100)
                        + "%)", flowCount > 0 && flowOk,
                String.format(Locale.ROOT, "gradient-flow sharpness %.4g; %s", gfSharpness, flow.isEmpty()
                        ? "no converged h in this regime" : String.join("; ", flow)));
    }

    private static double sharpness(Objective e, double[] t) {
        return Comparison.topEigenpairs(e, t, 1)[0][0];
    }
}
