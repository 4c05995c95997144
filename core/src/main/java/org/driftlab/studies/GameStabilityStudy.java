package org.driftlab.studies;

import static org.driftlab.experiment.Params.atLeast;
import static org.driftlab.experiment.Params.check;
import static org.driftlab.experiment.Params.checkPositive;

import java.util.List;
import java.util.Locale;
import org.driftlab.study.Figure;
import org.driftlab.experiment.Param;
import org.driftlab.study.Study;
import org.driftlab.study.StudyContext;
import org.driftlab.game.DriftCoefficients;
import org.driftlab.game.Game;
import org.driftlab.game.GameField;
import org.driftlab.game.GameStepper;
import org.driftlab.game.Games;
import org.driftlab.game.ModifiedJacobian;
import org.driftlab.game.Regulariser;
import org.driftlab.game.Scheme;

/**
 * Predicted against observed stability of simultaneous and alternating GD over a grid of learning-rate factors
 * (α, λ) (h₁ = αh, h₂ = λh), on games with a fixed point at the origin: the prediction is the sign of the largest
 * real part of the modified Jacobian's eigenvalues (Rosca et al. 2021), the observation a simulated run, and the
 * arbiter the spectral radius of the exact linearised update map. "Which learning-rate ratios work best" is the
 * ratio λ/α with the fastest exact convergence rate, against the one the prediction picks.
 */
public final class GameStabilityStudy implements Study<GameStabilityStudy.Params> {
    @Override
    public String kind() {
        return "game-stability";
    }

    @Override
    public String description() {
        return "Two-player games: modified-Jacobian stability prediction vs simulated runs over a grid of (α, λ)";
    }

    /** The parameters of the study, each with its default, unit and meaning. */
    public record Params(
            @Param(value = "quadratic:a=0.1,b=1,c=0.05,d=-1", doc = "two-player game spec") String game,
            @Param(value = "0.3", doc = "h of simultaneous updates") double hSim,
            @Param(value = "1.0", doc = "h of alternating updates") double hAlt,
            @Param(value = "0.25", doc = "smallest factor of the (α, λ) grid") double factorMin,
            @Param(value = "4.0", doc = "largest factor of the (α, λ) grid") double factorMax,
            @Param(value = "0.3", doc = "reference ratio for simultaneous updates") double hRatioSim,
            @Param(value = "0.5", doc = "reference ratio for alternating updates") double hRatioAlt,
            @Param(value = "9", doc = "grid points per axis of (α, λ)") int gridPoints,
            @Param(value = "25", doc = "learning-rate ratios scanned") int ratioPoints,
            @Param(value = "400", unit = "steps", doc = "steps of each simulated run") int simSteps,
            @Param(value = "[0.5, -0.3]", doc = "initial point (φ, θ)") List<Double> z0) {
        public Params {
            checkPositive("factor_min", factorMin);
            check(factorMax > factorMin && Double.isFinite(factorMax), "factor_max",
                    factorMax + " must be a finite number > factor_min (" + factorMin + ")");
            atLeast("grid_points", gridPoints, 2);
            atLeast("ratio_points", ratioPoints, 2);
            atLeast("sim_steps", simSteps, 1);
        }
    }

    /** z0 must be a point of the game, whose fixed point must be the origin: both need the game parsed. */
    @Override
    public void validate(Params params) {
        GameField field = new GameField(Games.parse(params.game()));
        StudySupport.require(params.z0().size() == field.dim(), "z0", "expected " + field.dim()
                + " numbers for game " + params.game() + ", got " + params.z0());
        double residual = norm(field.field(new double[field.dim()]));
        StudySupport.require(residual <= 1e-12, "game", params.game()
                + " has no fixed point at the origin (‖F(0)‖ = " + residual + ")");
    }

    @Override
    public void run(StudyContext ctx, Params params) {
        Game game = Games.parse(params.game());
        GameField field = new GameField(game);
        int n = game.dimPhi();
        double[] z0 = params.z0().stream().mapToDouble(Double::doubleValue).toArray();
        double[] fixed = new double[field.dim()]; // the origin, checked to be the fixed point by validate
        double[][] j = field.jacobian(fixed);
        int points = params.gridPoints();
        int ratioPoints = params.ratioPoints();
        double lo = params.factorMin();
        double hi = params.factorMax();
        int steps = params.simSteps();
        StudyContext.Table grid = ctx.table("grid", "scheme", "alpha", "lambda", "ratio", "maxre_common", "maxre_paper",
                "maxre_flow", "rho_exact", "growth_sim", "verdict");
        StudyContext.Table ratio = ctx.table("ratio", "scheme", "ratio", "rate_exact", "rate_common", "rate_paper", "rate_flow");
        double[] eig = ModifiedJacobian.eigenvalues(j)[0];
        double flowMax = Double.NEGATIVE_INFINITY;
        for (double e : eig) {
            flowMax = Math.max(flowMax, e);
        }
        for (Scheme s : Scheme.values()) {
            double h = s == Scheme.SIMULTANEOUS ? params.hSim() : params.hAlt();
            ctx.progress("game-stability: " + s.label() + " grid");
            int total = 0;
            int agreeCommon = 0;
            int agreePaper = 0;
            int agreeFlow = 0;
            int agreeExact = 0;
            int stable = 0;
            for (int a = 0; a < points; a++) {
                for (int l = 0; l < points; l++) {
                    double alpha = lo * Math.pow(hi / lo, a / (double) (points - 1));
                    double lambda = lo * Math.pow(hi / lo, l / (double) (points - 1));
                    double common = ModifiedJacobian.forUpdates(j, n, s, h, alpha, lambda, 1, 1, Regulariser.none()).maxRealPart();
                    double paper = paperMaxRe(j, n, s, h, alpha, lambda);
                    double flow = maxRe(scaled(j, n, alpha, lambda));
                    double rho = ModifiedJacobian.spectralRadius(ModifiedJacobian.linearisedMap(j, n, s, h, alpha, lambda, 1, 1,
                            Regulariser.none()));
                    double[][] run = GameStepper.euler(field, s, h, alpha, lambda, 1, 1, Regulariser.none()).run(z0, steps);
                    double growth = Math.log(norm(run[steps]) / norm(z0)) / steps;
                    boolean observed = growth < 0;
                    boolean predicted = common < 0;
                    total++;
                    stable += observed ? 1 : 0;
                    agreeCommon += predicted == observed ? 1 : 0;
                    agreePaper += (paper < 0) == observed ? 1 : 0;
                    agreeFlow += (flow < 0) == observed ? 1 : 0;
                    agreeExact += (rho < 1) == observed ? 1 : 0;
                    String verdict = predicted == observed ? (observed ? "stable (predicted)" : "divergent (predicted)")
                            : (observed ? "stable (predicted divergent)" : "divergent (predicted stable)");
                    grid.row(s.label(), alpha, lambda, lambda / alpha, common, paper, flow, rho, growth, verdict);
                }
            }
            String tag = s.label();
            ctx.summary("agreement_common_" + tag, agreeCommon / (double) total);
            ctx.summary("agreement_paper_" + tag, agreePaper / (double) total);
            ctx.summary("agreement_flow_" + tag, agreeFlow / (double) total);
            ctx.summary("stable_share_" + tag, stable / (double) total);
            String counts = String.format(Locale.ROOT, "%d of %d grid points observed stable; modified Jacobian (common time) agrees on %d, "
                    + "the paper's per-player J̃ on %d, the original flow on %d, the exact linear map on %d", stable, total,
                    agreeCommon, agreePaper, agreeFlow, agreeExact);
            ctx.finding(tag + "-predicts-runs", cap(tag) + ": the modified Jacobian predicts divergence and convergence of simulated runs on ≥ 90% of the (α, λ) grid",
                    agreeCommon >= 0.9 * total && stable > 0 && stable < total, counts);
            ctx.finding(tag + "-drift-explains", cap(tag) + ": the drift explains what the original flow cannot (more grid points predicted than by J alone)",
                    agreeCommon > agreeFlow, counts);
            ctx.finding(tag + "-common-time-drift", cap(tag) + ": with α ≠ λ the common-time drift predicts at least as well as the paper's per-player coefficients",
                    agreeCommon >= agreePaper, counts);
            ctx.figure(Figure.of("grid-" + tag, cap(tag) + " updates: predicted vs observed stability (h = " + h + ")")
                    .axes("α (h₁ = αh)", "λ (h₂ = λh)").logX().logY()
                    .where("scheme", tag)
                    .points("grid", "alpha", "lambda", "verdict", "")
                    .caption("Each point is one simulated run of " + steps + " steps from z₀; its verdict compares the observed outcome "
                            + "with the sign of the largest real part of diag(α, λ)·J̃.")
                    .build());

            // "which learning-rate ratios work best": α = 1, λ/α swept at h_ratio, where h·max(α, λ) stays moderate
            h = s == Scheme.SIMULTANEOUS ? params.hRatioSim() : params.hRatioAlt();
            double bestExact = Double.POSITIVE_INFINITY;
            double bestExactRatio = 0;
            double bestPred = Double.POSITIVE_INFINITY;
            double bestPredRatio = 0;
            double exactAtPred = 0;
            double step = Math.pow(hi / lo, 1.0 / (ratioPoints - 1));
            for (int i = 0; i < ratioPoints; i++) {
                double r = lo * Math.pow(step, i);
                double rho = ModifiedJacobian.spectralRadius(ModifiedJacobian.linearisedMap(j, n, s, h, 1, r, 1, 1, Regulariser.none()));
                double rateExact = Math.log(rho) / h;
                double rateCommon = ModifiedJacobian.forUpdates(j, n, s, h, 1, r, 1, 1, Regulariser.none()).maxRealPart();
                double ratePaper = paperMaxRe(j, n, s, h, 1, r);
                double rateFlow = maxRe(scaled(j, n, 1, r));
                ratio.row(tag, r, rateExact, rateCommon, ratePaper, rateFlow);
                if (rateExact < bestExact) {
                    bestExact = rateExact;
                    bestExactRatio = r;
                }
                if (rateCommon < bestPred) {
                    bestPred = rateCommon;
                    bestPredRatio = r;
                    exactAtPred = rateExact;
                }
            }
            ctx.summary("best_ratio_exact_" + tag, bestExactRatio);
            ctx.summary("best_ratio_predicted_" + tag, bestPredRatio);
            // practical criterion: choosing λ/α by the prediction loses at most 10% of the fastest exact convergence rate
            boolean close = exactAtPred <= bestExact + 0.1 * Math.abs(bestExact);
            ctx.finding(tag + "-best-ratio", cap(tag) + ": the ratio λ/α the modified Jacobian picks converges within 10% of the fastest exact rate",
                    close, String.format(Locale.ROOT, "fastest exact rate %.4f at λ/α = %.3f; predicted best λ/α = %.3f (predicted rate %.4f, "
                            + "exact rate there %.4f)", bestExact, bestExactRatio, bestPredRatio, bestPred, exactAtPred));
            ctx.figure(Figure.of("ratio-" + tag, cap(tag) + " updates: convergence rate against λ/α (α = 1, h = " + h + ")")
                    .axes("λ/α", "rate per unit time (< 0 converges)").logX()
                    .where("scheme", tag)
                    .line("ratio", "ratio", "rate_exact", null, "exact: log ρ(M)/h")
                    .dashed("ratio", "ratio", "rate_common", null, "modified Jacobian (common time)")
                    .dashed("ratio", "ratio", "rate_paper", null, "J̃ with the paper's per-player drift")
                    .dashed("ratio", "ratio", "rate_flow", null, "original flow")
                    .hline(0, "stability boundary")
                    .caption("Below zero the updates converge. The original flow misses the drift entirely; the modified Jacobian "
                            + "follows the exact rate while h·max(α, λ) is small.")
                    .build());
        }
        ctx.note("Game: " + params.game() + ", Jacobian at the origin " + java.util.Arrays.deepToString(j)
                + ". Predictions: largest real part of diag(α, λ)·J̃ with J̃ = J − (h/2)Δ; 'common time' uses the drift of "
                + "DriftCoefficients.commonTime (other player's rate on the interaction terms, O(h³) per step for any α, λ), "
                + "'paper' the per-player coefficients of Rosca et al. with the eigenvalues of J̃ itself. The exact rate is "
                + "log of the spectral radius of the linearised one-iteration map, per unit time h. The original flow's largest "
                + "real part at α = λ = 1 is " + String.format(Locale.ROOT, "%.4f", flowMax) + ".");
    }

    private static double paperMaxRe(double[][] j, int n, Scheme s, double h, double alpha, double lambda) {
        DriftCoefficients c = DriftCoefficients.of(s, alpha * h, lambda * h, 1, 1);
        return maxRe(new ModifiedJacobian(j, n, h, alpha, lambda, c, Regulariser.none()).modified());
    }

    private static double[][] scaled(double[][] j, int n, double alpha, double lambda) {
        double[][] out = new double[j.length][];
        for (int i = 0; i < j.length; i++) {
            out[i] = j[i].clone();
            for (int l = 0; l < j.length; l++) {
                out[i][l] *= i < n ? alpha : lambda;
            }
        }
        return out;
    }

    private static double maxRe(double[][] m) {
        double best = Double.NEGATIVE_INFINITY;
        for (double r : ModifiedJacobian.eigenvalues(m)[0]) {
            best = Math.max(best, r);
        }
        return best;
    }

    private static double norm(double[] z) {
        double s = 0;
        for (double v : z) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    private static String cap(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
