package org.driftlab.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.driftlab.curvature.Lanczos;
import org.driftlab.data.DataSources;
import org.driftlab.data.Dataset;
import org.driftlab.experiment.Probe;
import org.driftlab.nn.Init;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Network;
import org.driftlab.nn.Networks;
import org.driftlab.objective.NetObjective;
import org.driftlab.optim.GradientRule;
import org.driftlab.optim.GradientSource;
import org.driftlab.optim.UpdateRule;

/** Full-batch GD with a rule of your own (gradient-norm clipping) and a probe that tracks λ1 as it trains. */
public final class CustomRuleExample {
    /** θ' = θ − h·g·min(1, c/‖g‖): PyTorch's clip_grad_norm_ followed by an SGD step, on the full batch. */
    public static final class ClippedGd extends GradientRule.Stateless {
        private final double maxNorm;

        public ClippedGd(double maxNorm) {
            super("clipped-gd", GradientSource.fullBatch());
            this.maxNorm = maxNorm;
        }

        @Override
        protected double[] update(double[] theta, double[] g, long t, double h) {
            double norm = 0;
            for (double gi : g) {
                norm += gi * gi;
            }
            norm = Math.sqrt(norm);
            double scale = norm > maxNorm ? maxNorm / norm : 1;
            double[] next = new double[theta.length];
            for (int i = 0; i < theta.length; i++) {
                next[i] = theta[i] - h * scale * g[i];
            }
            return next;
        }
    }

    /** λ1 every 25 steps, each Lanczos run warm-started from the previous top eigenvector. */
    public static final class SharpnessProbe implements Probe {
        private double[] top;

        @Override
        public int every() {
            return 25;
        }

        @Override
        public void measure(Probe.Context c, Map<String, Double> row) {
            Lanczos.Result r = Lanczos.trackSharpness(c.hessian(), top, 1e-6);
            top = r.eigenvector(0);
            row.put("sharpness", r.eigenvalue(0));
        }
    }

    public static void main(String[] args) {
        run(System.out, new ClippedGd(5.0), 200);
    }

    /** Trains fc-tanh:50 on 500 images with the rule for the given steps at h = 0.1; returns the probe rows. */
    public static List<Map<String, Double>> run(PrintStream out, UpdateRule rule, int steps) {
        Dataset data = DataSources.parse("fashion-mnist:train:500:standardize");
        Network net = Networks.parse("fc-tanh:50", data.inputShape(), data.outputSize());
        NetObjective e = NetObjective.of(net, Loss.parse("mse"), data);
        double h = 0.1;
        double[] theta0 = net.initialize(Init.PYTORCH, 0);
        double[] theta = theta0;
        Probe probe = new SharpnessProbe();
        List<Map<String, Double>> rows = new ArrayList<>();
        for (int t = 0; t <= steps; t++) {
            if (t % probe.every() == 0) {
                Map<String, Double> row = new LinkedHashMap<>();
                row.put("step", (double) t);
                row.put("loss", e.value(theta));
                probe.measure(new Probe.Context(t, theta, theta0, e, Optional.empty(), Double.NaN), row);
                out.printf("step %3d  E = %.5f  λ1 = %7.3f  (2/h = %.0f)%n", t, row.get("loss"), row.get("sharpness"),
                        2 / h);
                rows.add(row);
            }
            if (t < steps) {
                theta = rule.step(e, theta, t, h).theta();
            }
        }
        return rows;
    }
}
