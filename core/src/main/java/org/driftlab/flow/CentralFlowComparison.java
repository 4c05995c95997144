package org.driftlab.flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.driftlab.autodiff.Autodiff;
import org.driftlab.linalg.Vectors;
import org.driftlab.objective.Objective;

/**
 * GD against its central flow and against gradient flow, the comparison of Cohen, Damian et al. (2024): GD runs from
 * θ_0; both flows start from GD's window-averaged iterate at a chosen step (0: θ_0 itself, or a step inside the edge
 * of stability, after GD's oscillation has built up) and are sampled every few steps after it. Each row holds GD's
 * loss, its window averages (see {@link GdAverages}), the central flow's own loss and its predictions, gradient
 * flow's loss, the sharpness of both, and the distances of GD's averaged iterate from each flow. The central flow is
 * {@link NetworkCentralFlow#trajectory}'s (Euler, h/4); gradient flow is integrated by classical Runge–Kutta with
 * step h/4 (stable while hλ₁ &lt; 11). This is what a study of the central flow on a network needs in one call.
 */
public final class CentralFlowComparison {
    private CentralFlowComparison() {}

    /**
     * One sampled step n.
     *
     * @param gdLoss E(θ_n)
     * @param gdAveragedLoss GD's window-averaged loss
     * @param flowLoss E on the central flow
     * @param predictedLoss the central flow's prediction of GD's averaged loss
     * @param gradientFlowLoss E on gradient flow
     * @param gdAveragedGradNormSquared GD's window-averaged ‖∇E‖²
     * @param predictedGradNormSquared the central flow's prediction of it
     * @param gradientFlowGradNormSquared ‖∇E‖² on gradient flow
     * @param gdSharpness λ₁(θ_n)
     * @param flowEigenvalues the eigenvalues the central flow tracks (those at the edge equal 2/h)
     * @param gradientFlowSharpness λ₁ on gradient flow
     * @param distance ‖θ̄_n − θ_CF‖, GD's averaged iterate from the central flow
     * @param gradientFlowDistance ‖θ̄_n − θ_GF‖
     */
    public record Row(int step, double gdLoss, double gdAveragedLoss, double flowLoss, double predictedLoss,
                      double gradientFlowLoss, double gdAveragedGradNormSquared, double predictedGradNormSquared,
                      double gradientFlowGradNormSquared, double gdSharpness, double[] flowEigenvalues, double gradientFlowSharpness, double distance,
                      double gradientFlowDistance) {}

    /**
     * Means over the rows after the start.
     *
     * @param distance mean ‖θ̄ − θ_CF‖
     * @param gradientFlowDistance mean ‖θ̄ − θ_GF‖
     * @param lossError mean |predicted/averaged − 1| of the loss
     * @param flowLossError the same for the central flow's own E (without the oscillation term)
     * @param gradientFlowLossError the same for gradient flow's E
     * @param gradNormError mean |predicted/averaged − 1| of ‖∇E‖²
     * @param gradNormRatio (mean predicted ‖∇E‖²)/(mean averaged ‖∇E‖²), the error of the average over the whole span
     * @param gradientFlowGradNormRatio the same for gradient flow's ‖∇E‖²
     * @param gdSharpness mean λ₁ of GD, divided by 2/h
     */
    public record Summary(double distance, double gradientFlowDistance, double lossError, double flowLossError,
                          double gradientFlowLossError, double gradNormError, double gradNormRatio, double gradientFlowGradNormRatio,
                          double gdSharpness) {}

    /**
     * The rows and their summary.
     *
     * @param gdLosses E(θ_n) at every step n = start, …, start + steps (fewer if GD diverged): GD's own oscillation
     * @param gdGradNormsSquared ‖∇E(θ_n)‖² at the same steps
     * @param evaluations the central flow's right-hand-side evaluations
     * @param stopReason why a trajectory ended early, or null
     */
    public record Result(List<Row> rows, Summary summary, double[] gdLosses, double[] gdGradNormsSquared,
                         long evaluations, String stopReason) {}

    /**
     * Compares GD with learning rate h from θ_0 with both flows started at GD's averaged iterate at step
     * {@code start}, at steps start, start + every, …, start + steps.
     *
     * @param halfWindow w of GD's window averages
     */
    public static Result run(Objective objective, double[] theta0, double h, int start, int steps, int every,
                             int halfWindow) {
        if (start < 0 || steps < 1 || every < 1 || steps % every != 0) {
            throw new IllegalArgumentException("start >= 0, steps >= 1 and a multiple of every >= 1, got start " + start
                    + ", steps " + steps + ", every " + every);
        }
        int m = steps / every + 1;
        int[] gdSteps = new int[m];
        int[] flowSteps = new int[m];
        for (int i = 0; i < m; i++) {
            flowSteps[i] = i * every;
            gdSteps[i] = start + flowSteps[i];
        }
        double edge = 2 / h;
        double[] losses = new double[steps + 1];
        double[] gradNorms = new double[steps + 1];
        int[] taken = {0};
        List<GdAverages.Sample> gd = GdAverages.run(objective, theta0, h, halfWindow, gdSteps,
                new EigenTracker(Double.POSITIVE_INFINITY, 1, 1e-8), (n, loss, g2) -> {
                    if (n >= start && n <= start + steps) {
                        losses[n - start] = loss;
                        gradNorms[n - start] = g2;
                        taken[0] = n - start + 1;
                    }
                });
        double[] gdLosses = Arrays.copyOf(losses, taken[0]);
        double[] gdGradNorms = Arrays.copyOf(gradNorms, taken[0]);
        if (gd.isEmpty()) {
            return new Result(List.of(), null, gdLosses, gdGradNorms, 0, "GD diverged before step " + start);
        }
        double[] from = gd.get(0).averagedTheta();
        NetworkCentralFlow.Run central = NetworkCentralFlow.trajectory(objective, from, h, steps, flowSteps);
        List<double[]> gradientFlow = new ArrayList<>();
        int[] next = {0};
        FlowIntegrator.Outcome gf = FlowIntegrator.rungeKutta4(h / NetworkCentralFlow.DEFAULT_SUBSTEPS).stream(
                new GradientFlow(objective), from, h, steps, (n, y) -> {
                    if (next[0] < m && flowSteps[next[0]] == n) {
                        gradientFlow.add(y);
                        next[0]++;
                    }
                });
        EigenTracker gfTracker = new EigenTracker(Double.POSITIVE_INFINITY, 1, 1e-8);
        int rows = Math.min(gd.size(), Math.min(central.samples().size(), gradientFlow.size()));
        List<Row> out = new ArrayList<>();
        double[] sums = new double[10];
        for (int i = 0; i < rows; i++) {
            GdAverages.Sample g = gd.get(i);
            NetworkCentralFlow.Sample c = central.samples().get(i);
            NetworkCentralFlow.Point p = c.point();
            double[] gfTheta = gradientFlow.get(i);
            Autodiff.ValueAndGrad gfValue = objective.valueAndGradient(gfTheta);
            double gfLoss = gfValue.value();
            double gfSharpness = gfTracker.track(objective.hessian(gfTheta)).values()[0];
            Row r = new Row(g.step(), g.loss(), g.averagedLoss(), p.loss(), p.averagedLoss(), gfLoss,
                    g.averagedGradNormSquared(), p.averagedGradNormSquared(),
                    Vectors.dot(gfValue.gradient(), gfValue.gradient()), g.eigenvalues()[0], p.eigenvalues(),
                    gfSharpness, Vectors.distance(g.averagedTheta(), c.theta()),
                    Vectors.distance(g.averagedTheta(), gfTheta));
            out.add(r);
            if (i > 0) {
                sums[0] += r.distance();
                sums[1] += r.gradientFlowDistance();
                sums[2] += Math.abs(r.predictedLoss() / r.gdAveragedLoss() - 1);
                sums[3] += Math.abs(r.flowLoss() / r.gdAveragedLoss() - 1);
                sums[4] += Math.abs(r.gradientFlowLoss() / r.gdAveragedLoss() - 1);
                sums[5] += Math.abs(r.predictedGradNormSquared() / r.gdAveragedGradNormSquared() - 1);
                sums[6] += r.predictedGradNormSquared();
                sums[7] += r.gdAveragedGradNormSquared();
                sums[8] += r.gdSharpness() / edge;
                sums[9] += r.gradientFlowGradNormSquared();
            }
        }
        int n = Math.max(1, rows - 1);
        Summary s = new Summary(sums[0] / n, sums[1] / n, sums[2] / n, sums[3] / n, sums[4] / n, sums[5] / n,
                sums[6] / sums[7], sums[9] / sums[7], sums[8] / n);
        String reason = rows < m ? (central.stopReason() != null ? central.stopReason()
                : gf.stopReason() != null ? gf.stopReason() : "GD diverged") : null;
        return new Result(out, s, gdLosses, gdGradNorms, central.evaluations(), reason);
    }
}
