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
import org.driftlab.experiment.ObjectiveFactory;
import org.driftlab.experiment.Param;
import org.driftlab.flow.CentralFlowComparison;
import org.driftlab.flow.NetworkCentralFlow;
import org.driftlab.objective.NetObjective;
import org.driftlab.study.Figure;
import org.driftlab.study.Study;
import org.driftlab.study.StudyContext;

/**
 * {@code central-flow-mlp}: the central flow of Cohen, Damian et al. (2024) on a real network. Full-batch GD on an
 * MLP (MSE on standardised Fashion-MNIST) runs at the edge of stability; after {@code start} steps both the central
 * flow ({@link NetworkCentralFlow}, several eigenvalues at the edge) and gradient flow start from GD's window-averaged
 * iterate, and each prediction is set against GD's time average over the next {@code steps} steps
 * ({@link CentralFlowComparison}): the loss (the central flow's E + ½⟨X, UᵀHU⟩ against gradient flow's E), ‖∇E‖²,
 * the sharpness (2/h against gradient flow's) and the distance from GD's averaged iterate. Starting inside the edge
 * of stability leaves out the transient the central flow does not model (GD's oscillation building up from
 * rounding errors while its sharpness overshoots 2/h; see docs/theory.md). The quick size takes about 20 CPU seconds.
 */
public final class CentralFlowMlpStudy implements Study<CentralFlowMlpStudy.Params> {
    @Override
    public String kind() {
        return "central-flow-mlp";
    }

    @Override
    public String description() {
        return "GD at the edge of stability on Fashion-MNIST beside its central flow and gradient flow: loss, ‖∇E‖², "
                + "sharpness and distance against GD's time average";
    }

    /** The parameters of the study, each with its default, unit and meaning. */
    public record Params(
            @Param(value = "{model: 'fc-tanh:16', data: 'fashion-mnist:train:200:standardize'}",
                    doc = "the network, its data (full batch) and loss") NetworkParams network,
            @Param(value = "[0.05, 0.1]", doc = "learning rates h") List<Double> h,
            @Param(value = "300", unit = "steps", doc = "GD steps before both flows start from GD's averaged iterate")
            int start,
            @Param(value = "200", unit = "steps", doc = "steps compared after the start") int steps,
            @Param(value = "10", unit = "steps", doc = "steps between compared samples (divides steps)") int every,
            @Param(value = "10", unit = "steps", doc = "half width w of GD's time-average window n − w..n + w")
            int halfWindow) {
        /** Checks each value as it is bound (before a run directory exists). */
        public Params {
            checkPositive("h", h);
            atLeast("start", start, 0);
            check(every >= 1 && steps >= 2 * every && steps % every == 0, "every",
                    "must divide steps (" + steps + ") at least twice, got " + every);
            atLeast("half_window", halfWindow, 0);
        }
    }

    @Override
    public void run(StudyContext ctx, Params params) {
        List<Double> hs = params.h();
        int start = params.start();
        int steps = params.steps();
        int every = params.every();
        int w = params.halfWindow();
        ObjectiveFactory.Problem problem = params.network().problem(ctx);
        NetObjective e = NetworkParams.net(problem);
        ctx.summary("dim", e.dim());
        ctx.progress("D = " + e.dim());

        StudyContext.Table cmp = ctx.table("compare", "h", "step", "gd_loss", "gd_averaged_loss", "predicted_loss",
                "central_loss", "gradient_flow_loss", "gd_averaged_grad_norm2", "predicted_grad_norm2",
                "gradient_flow_grad_norm2", "gd_sharpness", "central_sharpness", "gradient_flow_sharpness",
                "distance_central", "distance_gradient_flow");
        // the same numbers by series, for the figures (one colour per series): GD at every step, the flows'
        // own values, and the central flow's predictions of GD's time averages in columns of their own (dashed)
        StudyContext.Table curves = ctx.table("curves", "h", "step", "series", "loss", "predicted_loss", "grad_norm2",
                "predicted_grad_norm2", "sharpness", "distance");
        Map<String, List<String>> details = new LinkedHashMap<>();
        Map<String, Boolean> holds = new LinkedHashMap<>();
        for (String id : List.of("gd-at-edge", "loss-prediction", "grad-norm-prediction", "sharpness-prediction",
                "distance")) {
            details.put(id, new ArrayList<>());
            holds.put(id, true);
        }
        for (double h : hs) {
            double edge = 2 / h;
            ctx.progress(String.format(Locale.ROOT, "h = %s (2/h = %s): GD for %d steps, then both flows for %d",
                    h, StudySupport.f(edge), start + steps + w, steps));
            long t0 = System.nanoTime();
            CentralFlowComparison.Result r = CentralFlowComparison.run(e, problem.initialTheta(), h, start, steps,
                    every, w);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (r.stopReason() != null) {
                throw new DriftlabException("params.h: at h = " + h + " the comparison stopped early (" + r.stopReason()
                        + "); choose a smaller h or fewer steps");
            }
            ctx.progress(String.format(Locale.ROOT, "  central flow: %d evaluations, %.1f s", r.evaluations(), seconds));
            for (CentralFlowComparison.Row row : r.rows()) {
                cmp.row(h, row.step(), row.gdLoss(), row.gdAveragedLoss(), row.predictedLoss(), row.flowLoss(),
                        row.gradientFlowLoss(), row.gdAveragedGradNormSquared(), row.predictedGradNormSquared(),
                        row.gradientFlowGradNormSquared(), row.gdSharpness(), row.flowEigenvalues()[0],
                        row.gradientFlowSharpness(), row.distance(), row.gradientFlowDistance());
            }
            writeCurves(curves, h, start, r);
            Measures m = Measures.of(r, h);
            String at = "h=" + h + ": ";
            holds.merge("gd-at-edge", m.gdSharpness() / edge > 0.95 && m.gdSharpness() / edge < 1.2, Boolean::logicalAnd);
            details.get("gd-at-edge").add(String.format(Locale.ROOT, "%sGD's mean λ₁ %.4g = %.3f·2/h", at,
                    m.gdSharpness(), m.gdSharpness() / edge));
            holds.merge("loss-prediction", m.lossCentral() < m.lossGradientFlow(), Boolean::logicalAnd);
            details.get("loss-prediction").add(String.format(Locale.ROOT, "%smean |E/Ē_GD − 1|: central flow's "
                    + "prediction %.3g (its own E %.3g), gradient flow %.3g", at, m.lossCentral(),
                    r.summary().flowLossError(), m.lossGradientFlow()));
            holds.merge("grad-norm-prediction", m.gradNormCentral() < m.gradNormGradientFlow(), Boolean::logicalAnd);
            details.get("grad-norm-prediction").add(String.format(Locale.ROOT, "%s|Σ‖∇E‖²/Σ‖∇E‖²_GD − 1|: central "
                    + "flow's prediction %.3g, gradient flow %.3g", at, m.gradNormCentral(), m.gradNormGradientFlow()));
            holds.merge("sharpness-prediction", m.sharpnessCentral() < m.sharpnessGradientFlow(), Boolean::logicalAnd);
            details.get("sharpness-prediction").add(String.format(Locale.ROOT, "%s|λ₁/λ̄₁_GD − 1| at the end: central "
                    + "flow (held at 2/h = %.4g) %.3g, gradient flow (λ₁ = %.4g) %.3g", at, edge, m.sharpnessCentral(),
                    r.rows().get(r.rows().size() - 1).gradientFlowSharpness(), m.sharpnessGradientFlow()));
            holds.merge("distance", m.distanceCentral() < m.distanceGradientFlow(), Boolean::logicalAnd);
            details.get("distance").add(String.format(Locale.ROOT, "%smean ‖θ̄_GD − θ_flow‖: central flow %.3g, "
                    + "gradient flow %.3g", at, m.distanceCentral(), m.distanceGradientFlow()));
            Map<String, Object> sum = new LinkedHashMap<>(m.toMap());
            sum.put("evaluations", r.evaluations());
            sum.put("seconds", seconds);
            ctx.summary("h=" + h, sum);
        }
        String span = String.format(Locale.ROOT, "over steps %d..%d, every %d, GD averaged over n − %d..n + %d",
                start + every, start + steps, every, w, w);
        ctx.finding("gd-at-edge", "GD is at the edge of stability: its sharpness, averaged " + span + ", is within "
                + "[0.95, 1.2]·2/h", holds.get("gd-at-edge"), String.join("; ", details.get("gd-at-edge")));
        ctx.finding("loss-prediction", "The central flow's time-averaged loss E + ½⟨X, UᵀHU⟩ is closer to GD's "
                + "time-averaged loss than gradient flow's loss, " + span, holds.get("loss-prediction"),
                String.join("; ", details.get("loss-prediction")));
        ctx.finding("grad-norm-prediction", "The central flow's time-averaged ‖∇E‖² is closer to GD's than gradient "
                + "flow's ‖∇E‖², " + span, holds.get("grad-norm-prediction"),
                String.join("; ", details.get("grad-norm-prediction")));
        ctx.finding("sharpness-prediction", "The central flow's sharpness (held at 2/h) is closer to GD's time-averaged "
                + "sharpness than the sharpness gradient flow ends at", holds.get("sharpness-prediction"),
                String.join("; ", details.get("sharpness-prediction")));
        ctx.finding("distance", "GD's time-averaged iterate stays closer to the central flow than to gradient flow, "
                + span, holds.get("distance"), String.join("; ", details.get("distance")));

        for (double h : hs) {
            String id = ("h" + h).replace('.', '_');
            String where = "h = " + h + ", 2/h = " + StudySupport.f(2 / h);
            ctx.figure(Figure.of("loss-" + id, "Loss, " + where).axes("step n", "E")
                    .where("h", h).line("curves", "step", "loss", "series", "")
                    .dashed("curves", "step", "predicted_loss", "series", "predicted time average: ")
                    .caption("GD's loss at every step oscillates around the central flow's prediction of its time "
                            + "average, E + ½⟨X, UᵀHU⟩ (dashed), above the central flow's own E; gradient flow, started "
                            + "at the same point, runs below GD's average.")
                    .build());
            ctx.figure(Figure.of("grad-norm-" + id, "‖∇E‖², " + where).axes("step n", "‖∇E‖²").logY()
                    .where("h", h).line("curves", "step", "grad_norm2", "series", "")
                    .dashed("curves", "step", "predicted_grad_norm2", "series", "predicted time average: ")
                    .caption("Most of GD's gradient is its oscillation across the top eigenvectors, which the central "
                            + "flow predicts as ‖∇E‖² + ⟨X, UᵀH²U⟩ (dashed); gradient flow's gradient has none of it.")
                    .build());
            ctx.figure(Figure.of("sharpness-" + id, "Sharpness, " + where).axes("step n", "λ₁")
                    .where("h", h).line("curves", "step", "sharpness", "series", "")
                    .hline(2 / h, "2/h")
                    .caption("GD's sharpness (at its sampled iterates) hovers just above 2/h, the central flow holds "
                            + "it at 2/h, gradient flow's keeps rising.")
                    .build());
            ctx.figure(Figure.of("distance-" + id, "Distance from GD's averaged iterate, " + where)
                    .axes("step n", "‖θ̄_GD(n) − θ_flow‖").where("h", h)
                    .line("curves", "step", "distance", "series", "")
                    .caption("Both flows start at GD's averaged iterate; the central flow stays near it.")
                    .build());
        }
        ctx.note("E: " + params.network().loss() + " loss of " + params.network().model() + " on " + problem.dataDescription()
                + " (full batch), D = " + e.dim() + ", PyTorch initialisation with seed " + ctx.seed() + ". GD runs "
                + "from θ_0; at step " + start + " the central flow and gradient flow start from GD's averaged iterate "
                + "and run for " + steps + " steps (t = n·h). Central flow: explicit Euler with dt = h/"
                + NetworkCentralFlow.DEFAULT_SUBSTEPS + " and relaxation κ = 1/dt (the public code's discretisation), "
                + "eigenvalues from 1.5/h tracked by warm-started Lanczos, multipliers X from the semidefinite "
                + "complementarity problem; gradient flow: classical Runge–Kutta with step h/"
                + NetworkCentralFlow.DEFAULT_SUBSTEPS + ". GD's time averages: trapezoid weights over n − " + w
                + "..n + " + w + ". Errors are means over the compared samples after the start; ‖∇E‖² compares "
                + "sums over the span (single windows scatter because GD's oscillation comes in bursts). The figures omit "
                + "the predictions at the starting point itself, where GD's sharpness still overshoots 2/h and the "
                + "multipliers project it onto the edge within one relaxation time (compare.csv keeps them).");
    }

    /** The figures' rows: GD at every step, and each series at the compared samples. */
    private static void writeCurves(StudyContext.Table t, double h, int start, CentralFlowComparison.Result r) {
        Map<Integer, CentralFlowComparison.Row> byStep = new LinkedHashMap<>();
        for (CentralFlowComparison.Row row : r.rows()) {
            byStep.put(row.step(), row);
        }
        double nan = Double.NaN;
        for (int i = 0; i < r.gdLosses().length; i++) {
            CentralFlowComparison.Row row = byStep.get(start + i);
            t.row(h, start + i, "GD", r.gdLosses()[i], nan, r.gdGradNormsSquared()[i], nan,
                    row == null ? nan : row.gdSharpness(), nan);
        }
        for (CentralFlowComparison.Row row : r.rows()) {
            t.row(h, row.step(), "GD averaged", row.gdAveragedLoss(), nan, row.gdAveragedGradNormSquared(), nan, nan,
                    nan);
        }
        for (CentralFlowComparison.Row row : r.rows()) {
            boolean first = row.step() == start;
            t.row(h, row.step(), "central flow", row.flowLoss(), first ? nan : row.predictedLoss(), nan,
                    first ? nan : row.predictedGradNormSquared(), row.flowEigenvalues()[0], row.distance());
        }
        for (CentralFlowComparison.Row row : r.rows()) {
            t.row(h, row.step(), "gradient flow", row.gradientFlowLoss(), nan, row.gradientFlowGradNormSquared(), nan,
                    row.gradientFlowSharpness(), row.gradientFlowDistance());
        }
    }

    /**
     * How far each prediction is from GD's time average, from the comparison's rows after the start (the first row
     * is the common starting point). Recomputed the same way from compare.csv by the study's test.
     *
     * @param gdSharpness GD's λ₁ averaged over the rows
     * @param lossCentral mean |predicted/averaged − 1| of the loss
     * @param lossGradientFlow mean |E_GF/averaged − 1|
     * @param gradNormCentral |Σ predicted ‖∇E‖² / Σ averaged − 1|
     * @param gradNormGradientFlow |Σ ‖∇E_GF‖² / Σ averaged − 1|
     * @param sharpnessCentral |λ₁,CF(end)/λ̄₁,GD − 1|
     * @param sharpnessGradientFlow |λ₁,GF(end)/λ̄₁,GD − 1|
     * @param distanceCentral mean ‖θ̄_GD − θ_CF‖
     * @param distanceGradientFlow mean ‖θ̄_GD − θ_GF‖
     */
    record Measures(double gdSharpness, double lossCentral, double lossGradientFlow, double gradNormCentral,
                    double gradNormGradientFlow, double sharpnessCentral, double sharpnessGradientFlow,
                    double distanceCentral, double distanceGradientFlow) {
        static Measures of(CentralFlowComparison.Result r, double h) {
            CentralFlowComparison.Summary s = r.summary();
            List<CentralFlowComparison.Row> rows = r.rows();
            double gdSharpness = s.gdSharpness() * 2 / h;
            CentralFlowComparison.Row last = rows.get(rows.size() - 1);
            return new Measures(gdSharpness, s.lossError(), s.gradientFlowLossError(),
                    Math.abs(s.gradNormRatio() - 1), Math.abs(s.gradientFlowGradNormRatio() - 1),
                    Math.abs(last.flowEigenvalues()[0] / gdSharpness - 1),
                    Math.abs(last.gradientFlowSharpness() / gdSharpness - 1), s.distance(), s.gradientFlowDistance());
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("gd_mean_sharpness", gdSharpness);
            m.put("loss_error_central", lossCentral);
            m.put("loss_error_gradient_flow", lossGradientFlow);
            m.put("grad_norm_error_central", gradNormCentral);
            m.put("grad_norm_error_gradient_flow", gradNormGradientFlow);
            m.put("sharpness_error_central", sharpnessCentral);
            m.put("sharpness_error_gradient_flow", sharpnessGradientFlow);
            m.put("distance_central", distanceCentral);
            m.put("distance_gradient_flow", distanceGradientFlow);
            return m;
        }
    }
}
