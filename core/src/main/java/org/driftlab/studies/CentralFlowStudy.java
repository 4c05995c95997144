package org.driftlab.studies;

import static org.driftlab.experiment.Params.check;
import static org.driftlab.experiment.Params.atLeast;
import static org.driftlab.experiment.Params.checkPositive;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.study.Figure;
import org.driftlab.experiment.Param;
import org.driftlab.linalg.Stats;
import org.driftlab.study.Study;
import org.driftlab.study.StudyContext;
import org.driftlab.flow.CentralFlow;
import org.driftlab.flow.Comparison;
import org.driftlab.flow.FlowIntegrator;
import org.driftlab.flow.GradientFlow;
import org.driftlab.flow.PrincipalFlow;
import org.driftlab.flow.Trajectory;
import org.driftlab.flow.VectorField;
import org.driftlab.objective.Objective;
import org.driftlab.objective.ToyObjectives;
import org.driftlab.linalg.Vectors;

/**
 * {@code central-flow} (stretch): the central flow of Cohen, Damian et al. (2024) beside the Principal Flow and
 * gradient flow at the edge of stability, on the smallest network that shows it: the depth-4 scalar linear network
 * E = ½(1 − xyzw)² from an unbalanced start, where gradient flow reaches a minimum sharper than 2/h and GD, unable
 * to, oscillates its way to a flatter one with sharpness ≈ 2/h. Runs in about 15 seconds.
 */
public final class CentralFlowStudy implements Study<CentralFlowStudy.Params> {
    @Override
    public String kind() {
        return "central-flow";
    }

    @Override
    public String description() {
        return "Central flow vs Principal Flow vs gradient flow at the edge of stability on ½(1 − xyzw)²";
    }

    /** The parameters of the study, each with its default, unit and meaning. */
    public record Params(
            @Param(value = "xyzw", doc = "analytic objective spec") String objective,
            @Param(value = "[0.2, 0.2, 1.8, 1.8]", doc = "initial θ") List<Double> theta0,
            @Param(value = "[0.3, 0.4]", doc = "learning rates h") List<Double> h,
            @Param(value = "300", unit = "steps", doc = "GD steps") int steps,
            @Param(value = "10", unit = "steps", doc = "steps of the early window compared") int earlySteps,
            @Param(value = "60", unit = "steps", doc = "steps over which the Principal Flow is integrated") int pfSteps,
            @Param(value = "10.0", doc = "stiffness of the central flow's projection") double stiffness,
            @Param(value = "1.0e-08", doc = "relative tolerance of the ODE integrator") double rtol) {
        /** Every check, made before the study creates anything (the objective is analytic: parsing it is cheap). */
        public Params {
            int dim = -1;
            try {
                dim = ToyObjectives.parse(objective).dim();
            } catch (DriftlabException ex) {
                check(false, "objective", ex.getMessage());
            }
            check(theta0.size() == dim, "theta0", objective + " has D = " + dim + " parameters, got " + theta0.size()
                    + " values");
            checkPositive("h", h);
            atLeast("steps", steps, 2);
            check(earlySteps >= 1 && earlySteps < steps, "early_steps", earlySteps + " must be in [1, steps = " + steps + ")");
            check(pfSteps >= earlySteps && pfSteps <= steps, "pf_steps", pfSteps + " must be in [early_steps = "
                    + earlySteps + ", steps = " + steps + "]");
            checkPositive("stiffness", stiffness);
            checkPositive("rtol", rtol);
        }
    }

    @Override
    public void run(StudyContext ctx, Params params) {
        Objective e = ToyObjectives.parse(params.objective());
        double[] theta0 = StudySupport.array(params.theta0());
        List<Double> hs = params.h();
        int steps = params.steps();
        int early = params.earlySteps();
        int pfSteps = params.pfSteps();
        double stiffness = params.stiffness();
        double rtol = params.rtol();
        FlowIntegrator integ = FlowIntegrator.dormandPrince().withTolerances(rtol, rtol * 1e-2)
                .withMaxEvaluations(500_000);

        StudyContext.Table t = ctx.table("traj", "h", "method", "step", "sharpness", "loss", "distance", "sigma2",
                "averaged_loss");
        boolean edgeOk = true;
        boolean trackOk = true;
        boolean holdOk = true;
        boolean pfEarlyOk = true;
        StringBuilder edge = new StringBuilder();
        StringBuilder track = new StringBuilder();
        StringBuilder hold = new StringBuilder();
        StringBuilder pfEarly = new StringBuilder();
        for (double h : hs) {
            double edgeValue = 2 / h;
            ctx.progress("h = " + h + " (2/h = " + StudySupport.f(edgeValue) + ")");
            List<double[]> gd = Comparison.gradientDescent(e, theta0, h, steps);
            if (gd.size() <= steps) {
                throw new DriftlabException("params.h: GD diverged at h = " + h + " after " + (gd.size() - 1)
                        + " steps; choose a smaller h");
            }
            CentralFlow central = new CentralFlow(e, h, stiffness);
            List<VectorField> fields = List.of(new GradientFlow(e), PrincipalFlow.exact(e, h), central);
            Map<String, Trajectory> trajs = new LinkedHashMap<>();
            for (VectorField f : fields) {
                long t0 = System.nanoTime();
                // The PF is a local model and stiff once it has left GD: it is integrated over pf_steps only.
                Trajectory tr = integ.integrate(f, theta0, h, f instanceof PrincipalFlow ? pfSteps : steps);
                trajs.put(f.name(), tr);
                ctx.progress(String.format(Locale.ROOT, "  %s: %d evaluations, %.1f s%s", f.name(), tr.evaluations(),
                        (System.nanoTime() - t0) / 1e9, tr.complete() ? "" : " (stopped: " + tr.stopReason() + ")"));
            }
            double gdFinalS = 0;
            for (int n = 0; n <= steps; n++) {
                double[] p = gd.get(n);
                double s = Comparison.topEigenpairs(e, p, 1)[0][0];
                t.row(h, "gd", n, s, e.value(p), 0.0, Double.NaN, Double.NaN);
                gdFinalS = s;
            }
            Map<String, double[]> distances = new LinkedHashMap<>();
            double maxEdgeGap = 0;
            boolean reached = false;
            double gfFinalS = Double.NaN;
            for (Map.Entry<String, Trajectory> en : trajs.entrySet()) {
                Trajectory tr = en.getValue();
                double[] d = new double[steps + 1];
                java.util.Arrays.fill(d, Double.NaN);
                for (int n = 0; n <= tr.steps(); n++) {
                    double[] p = tr.real(n);
                    d[n] = Vectors.distance(gd.get(n), p);
                    if (en.getKey().equals("central")) {
                        CentralFlow.Point cp = central.at(p);
                        t.row(h, "central", n, cp.sharpness(), cp.loss(), d[n], cp.sigma2(), cp.averagedLoss());
                        if (reached || cp.sharpness() >= edgeValue * (1 - 1e-3)) {
                            maxEdgeGap = reached ? Math.max(maxEdgeGap, Math.abs(cp.sharpness() / edgeValue - 1)) : 0;
                            reached = true;
                        }
                    } else {
                        double s = Comparison.topEigenpairs(e, p, 1)[0][0];
                        t.row(h, en.getKey(), n, s, e.value(p), d[n], Double.NaN, Double.NaN);
                        if (en.getKey().equals("ngf")) {
                            gfFinalS = s;
                        }
                    }
                }
                distances.put(en.getKey(), d);
            }
            boolean atEdge = gdFinalS / edgeValue > 0.9 && gdFinalS / edgeValue < 1.02 && gfFinalS > 1.1 * edgeValue;
            edgeOk &= atEdge;
            edge.append(String.format(Locale.ROOT, "h=%s: final λ₁ GD %.3f, gradient flow %.3f, 2/h %.3f; ", h,
                    gdFinalS, gfFinalS, edgeValue));
            double dCf = distances.get("central")[steps];
            double dGf = distances.get("ngf")[steps];
            double dPf = distances.get("pf")[pfSteps];
            double dCfAtPf = distances.get("central")[pfSteps];
            trackOk &= dCf < 0.25 * dGf;
            track.append(String.format(Locale.ROOT, "h=%s: final ‖θ_GD − θ_flow‖ central %.3g, gradient flow %.3g "
                    + "(PF at n = %d: %.3g); ", h, dCf, dGf, pfSteps, dPf));
            holdOk &= reached && maxEdgeGap < 1e-2;
            hold.append(String.format(Locale.ROOT, "h=%s: %s, max |λ₁/(2/h) − 1| after that %.1e; ", h,
                    reached ? "reaches 2/h" : "never reaches 2/h", maxEdgeGap));
            double pfMean = Stats.mean(java.util.Arrays.copyOfRange(distances.get("pf"), 1, early + 1));
            double cfMean = Stats.mean(java.util.Arrays.copyOfRange(distances.get("central"), 1, early + 1));
            pfEarlyOk &= dCfAtPf < dPf;
            pfEarly.append(String.format(Locale.ROOT, "h=%s: mean distance n = 1..%d PF %.3g, central %.3g; at n = %d "
                    + "PF %.3g, central %.3g; ", h, early, pfMean, cfMean, pfSteps, dPf, dCfAtPf));
            Map<String, Object> sum = new LinkedHashMap<>();
            sum.put("gd_final_sharpness", gdFinalS);
            sum.put("gf_final_sharpness", gfFinalS);
            sum.put("final_distance_central", dCf);
            sum.put("final_distance_gf", dGf);
            sum.put("final_distance_pf", dPf);
            ctx.summary("h=" + h, sum);
        }
        ctx.finding("gd-at-edge", "GD settles at the edge of stability: its final sharpness is between 0.9·2/h and 2/h (+2%), while "
                + "gradient flow ends above 1.1·2/h", edgeOk, edge.toString().trim());
        ctx.finding("central-flow-tracks-gd", "The central flow ends near GD's final point; gradient flow does not (distance ratio < 0.25)",
                trackOk, track.toString().trim());
        ctx.finding("central-flow-holds-edge", "Once it reaches 2/h the central flow's sharpness stays there (within 1%)", holdOk,
                hold.toString().trim());
        ctx.finding("central-flow-beats-pf", "At the edge the central flow is closer to GD than the PF after pf_steps = " + pfSteps + " steps: the "
                + "PF's local quadratic model misses GD's self-stabilisation", pfEarlyOk, pfEarly.toString().trim());

        for (double h : hs) {
            String id = ("h" + h).replace('.', '_');
            ctx.figure(Figure.of("sharpness-" + id, "Sharpness, h = " + h).axes("step n", "λ₁")
                    .where("h", h).line("traj", "step", "sharpness", "method", "")
                    .hline(2 / h, "2/h")
                    .caption("GD's sharpness (measured at its iterates) oscillates around and settles at 2/h; "
                            + "gradient flow's rises past it; the central flow is held at 2/h. One run, "
                            + "deterministic.")
                    .build());
            ctx.figure(Figure.of("distance-" + id, "Distance from GD, h = " + h).axes("step n", "‖θ_GD(n) − θ(nh)‖")
                    .logY().where("h", h).line("traj", "step", "distance", "method", "")
                    .caption("The PF follows GD's oscillation only while the local quadratic model holds; the "
                            + "central flow models GD's time average.")
                    .build());
            ctx.figure(Figure.of("loss-" + id, "Loss, h = " + h).axes("step n", "E").logY()
                    .where("h", h).line("traj", "step", "loss", "method", "")
                    .dashed("traj", "step", "averaged_loss", null, "central: E + ½σ²S")
                    .caption("The central flow predicts GD's time-averaged loss E + ½σ²S, above its own E while GD "
                            + "oscillates.")
                    .build());
        }
        ctx.note("Central flow (one eigenvalue at the edge): θ̇ = −∇E − ½σ²∇S, S = λ₁, ∇S = ∇³E[u₁, u₁], with σ² = "
                + "max(0, 2(−∇S·∇E + κ(S − 2/h))/‖∇S‖²), κ = " + stiffness + "/h, a soft form of the complementarity "
                + "condition σ² ≥ 0, S ≤ 2/h, σ²(2/h − S) = 0. Dormand–Prince 5(4), rtol " + rtol + ".");
    }

}
