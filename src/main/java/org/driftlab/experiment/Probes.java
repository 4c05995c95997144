package org.driftlab.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.driftlab.linalg.Vectors;

/** The probes of a spec, and their implementations. */
public final class Probes {
    private Probes() {}

    /** The enabled probes of a spec, in column order. */
    public static List<Probe> fromSpec(Spec.Probes p, EigenSolver solver) {
        List<Probe> out = new ArrayList<>();
        if (p.train() > 0) {
            out.add(new TrainLoss(p.train()));
        }
        if (p.test() > 0) {
            out.add(new TestLoss(p.test()));
        }
        if (p.gradNorm() > 0) {
            out.add(new GradNorm(p.gradNorm()));
        }
        if (p.sharpness() > 0) {
            out.add(new Sharpness(p.sharpness(), p.k(), p.iterations(), solver));
        }
        if (p.distance() > 0) {
            out.add(new Distance(p.distance()));
        }
        if (p.batchCosine() > 0) {
            out.add(new BatchCosine(p.batchCosine()));
        }
        return out;
    }

    /** train_loss (and train_accuracy when the objective's metrics have it) on the full training set. */
    public record TrainLoss(int every) implements Probe {
        @Override
        public void measure(Probe.Context c, Map<String, Object> row) {
            Map<String, Double> m = c.train().metrics(c.theta());
            row.put("train_loss", m.get("loss"));
            if (m.containsKey("accuracy")) {
                row.put("train_accuracy", m.get("accuracy"));
            }
        }
    }

    /** test_loss and test_accuracy on the held-out objective. */
    public record TestLoss(int every) implements Probe {
        @Override
        public void measure(Probe.Context c, Map<String, Object> row) {
            c.test().ifPresent(t -> {
                Map<String, Double> m = t.metrics(c.theta());
                row.put("test_loss", m.get("loss"));
                if (m.containsKey("accuracy")) {
                    row.put("test_accuracy", m.get("accuracy"));
                }
            });
        }
    }

    /** ‖∇E(θ)‖ of the full training objective. */
    public record GradNorm(int every) implements Probe {
        @Override
        public void measure(Probe.Context c, Map<String, Object> row) {
            row.put("grad_norm", Vectors.norm(c.train().gradient(c.theta())));
        }
    }

    /** ‖θ − θ_0‖. */
    public record Distance(int every) implements Probe {
        @Override
        public void measure(Probe.Context c, Map<String, Object> row) {
            row.put("distance", Vectors.distance(c.theta(), c.theta0()));
        }
    }

    /** Cosine between the gradients of the last two updates (mini-batch noise; 1 for GD near a flow). */
    public record BatchCosine(int every) implements Probe {
        @Override
        public void measure(Probe.Context c, Map<String, Object> row) {
            if (!Double.isNaN(c.batchCosine())) {
                row.put("batch_cosine", c.batchCosine());
            }
        }
    }

    /**
     * Sharpness λ_1 and the top-k Hessian eigenvalues eig_1..eig_k of the full training loss, by the
     * {@link EigenSolver} on {@code objective.hessian(θ)}, warm-started from the previous top eigenvector.
     */
    public static final class Sharpness implements Probe {
        private final int every;
        private final int k;
        private final int iterations;
        private final EigenSolver solver;
        private double[] warmStart;

        /** Top-k eigenvalues every K steps with a Lanczos budget of iterations products. */
        public Sharpness(int every, int k, int iterations, EigenSolver solver) {
            this.every = every;
            this.k = k;
            this.iterations = iterations;
            this.solver = solver;
        }

        @Override
        public int every() {
            return every;
        }

        @Override
        public void measure(Probe.Context c, Map<String, Object> row) {
            EigenSolver.Result r = solver.top(c.train().hessian(c.theta()), k, iterations, warmStart);
            warmStart = r.topVector();
            row.put("sharpness", r.values()[0]);
            for (int i = 0; i < k; i++) {
                row.put("eig_" + (i + 1), r.values()[i]);
            }
        }

        @Override
        public double[] state() {
            return warmStart == null ? new double[0] : warmStart.clone();
        }

        @Override
        public void restore(double[] state) {
            warmStart = state.length == 0 ? null : state.clone();
        }
    }
}
