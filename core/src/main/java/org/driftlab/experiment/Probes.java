package org.driftlab.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.curvature.Drift;
import org.driftlab.curvature.EffectiveParameters;
import org.driftlab.curvature.Lanczos;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.curvature.SpectralDensity;
import org.driftlab.curvature.GradientCovariance;
import org.driftlab.curvature.Hutchinson;
import org.driftlab.linalg.Vectors;
import org.driftlab.objective.NetObjective;

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
        if (p.trace() > 0) {
            out.add(new TraceH(p.trace()));
        }
        if (p.noise() > 0) {
            out.add(new GradientNoise(p.noise()));
        }
        if (p.drift() > 0) {
            out.add(new DriftNorm(p.drift()));
        }
        if (p.fisher() > 0) {
            out.add(new FisherTrace(p.fisher(), p.fisherSamples()));
        }
        if (p.neff() > 0) {
            out.add(new EffectiveParameterCount(p.neff(), p.neffAlpha(), p.neffTop(), p.neffSteps()));
        }
        return out;
    }

    /** train_loss (and train_accuracy when the objective's metrics have it) on the full training set. */
    public record TrainLoss(int every) implements Probe {
        @Override
        public void measure(Probe.Context c, Map<String, Double> row) {
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
        public void measure(Probe.Context c, Map<String, Double> row) {
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
        public void measure(Probe.Context c, Map<String, Double> row) {
            row.put("grad_norm", Vectors.norm(c.train().gradient(c.theta())));
        }
    }

    /** Tr H by Hutchinson with 10 Rademacher probes seeded by the step (so resumed runs match), and its standard error. */
    public record TraceH(int every) implements Probe {
        @Override
        public void measure(Probe.Context c, Map<String, Double> row) {
            Hutchinson.Result r = Hutchinson.trace(c.hessian(), 10, 7919L * c.step() + 1);
            row.put("trace_H", r.estimate());
            row.put("trace_H_stderr", r.standardError());
        }
    }

    /** Tr K and λ_K of the per-example gradient covariance K (break-even point; Jastrzębski et al.). */
    public record GradientNoise(int every) implements Probe {
        @Override
        public void measure(Probe.Context c, Map<String, Double> row) {
            if (!(c.train() instanceof NetObjective net)) {
                throw new DriftlabException("probes.noise: Tr K and λ_K need a network on a data set, not "
                        + c.train().getClass().getSimpleName());
            }
            GradientCovariance k = GradientCovariance.of(net, c.theta(), 1);
            row.put("trace_K", k.traceK());
            row.put("lambda_K", k.lambdaK());
        }
    }

    /** ‖∇²E∇E‖, the drift of GD from the gradient flow at first order, and DAL's learning rate 2/‖∇²E ĝ‖. */
    public record DriftNorm(int every) implements Probe {
        @Override
        public void measure(Probe.Context c, Map<String, Double> row) {
            Drift d = Drift.at(c.train(), c.theta());
            row.put("drift_norm", d.driftNorm());
            row.put("dal_lr", d.dalLearningRate());
        }
    }

    /**
     * Tr F of the true Fisher (Jastrzębski et al. 2021, the "Fisher explosion"): the mean over {@code samples}
     * label draws ŷ_i ∼ p_θ(·|x_i) of (1/N)Σ_i‖∇ℓ(x_i, ŷ_i)‖², by {@link GradientCovariance#trueFisherTrace}. The
     * draws are seeded by the step, so a resumed run measures the same values.
     */
    public record FisherTrace(int every, int samples) implements Probe {
        @Override
        public void measure(Probe.Context c, Map<String, Double> row) {
            if (!(c.train() instanceof NetObjective net)) {
                throw new DriftlabException("probes.fisher: Tr F needs a network on a data set, not "
                        + c.train().getClass().getSimpleName());
            }
            row.put("trace_F", GradientCovariance.trueFisherTrace(net, c.theta(), samples, 104729L * c.step() + 3));
        }
    }

    /**
     * MacKay's effective number of parameters N_eff(α) = Σ_i λ_i/(λ_i + α) = Tr((H + αI)⁻¹H) of the full training
     * Hessian, by {@link #effectiveParameters}: the top eigenvalues exactly (Lanczos) plus the bulk by stochastic
     * Lanczos quadrature of the deflated Hessian.
     */
    public record EffectiveParameterCount(int every, double alpha, int top, int steps) implements Probe {
        @Override
        public void measure(Probe.Context c, Map<String, Double> row) {
            row.put("n_eff", effectiveParameters(c.hessian(), new double[] {alpha}, top, steps,
                    15485863L * c.step() + 5)[0]);
        }
    }

    /**
     * N_eff(α) = Σ_i λ_i/(λ_i + α) for each α, as Σ_{i≤k} f(λ_i) over the top-k eigenpairs (Lanczos, largest
     * algebraic) plus Tr f((I − P)H(I − P)) by SLQ (one Rademacher start, {@code steps} Lanczos steps, seeded),
     * with P the projector on the k eigenvectors. Because f(0) = 0 the deflated directions add nothing, and the
     * remaining eigenvalues are small, so the single-probe SLQ variance, which plain SLQ would pay on the
     * outliers that dominate N_eff, applies only to the bulk. One Lanczos run and one SLQ run serve every α.
     *
     * @param hessian the symmetric operator H (dimension known)
     * @param top k, the number of eigenvalues taken exactly (capped at D − 1)
     * @param steps Lanczos steps of the SLQ run on the deflated operator
     */
    public static double[] effectiveParameters(LinearOperator hessian, double[] alphas, int top, int steps, long seed) {
        NeffEstimate e = NeffEstimate.of(hessian, top, steps, seed);
        double[] out = new double[alphas.length];
        for (int a = 0; a < alphas.length; a++) {
            out[a] = e.nEff(alphas[a]);
        }
        return out;
    }

    /**
     * The spectral information behind N_eff at one θ (see {@link #effectiveParameters}): the top-k eigenvalues
     * (descending) and the SLQ quadrature of the deflated rest; N_eff is then available for any α.
     */
    public record NeffEstimate(double[] top, SpectralDensity.Result bulk, boolean converged) {
        /** Lanczos for the top-k eigenpairs, then SLQ on (I − P)H(I − P). */
        public static NeffEstimate of(LinearOperator hessian, int top, int steps, long seed) {
            int dim = hessian.dim();
            if (dim < 2) {
                throw new IllegalArgumentException("N_eff needs an operator of known dimension >= 2, got " + dim);
            }
            int k = Math.min(top, dim - 1);
            Lanczos.Result eig = Lanczos.run(hessian, Lanczos.Config.builder().k(k)
                    .which(Lanczos.Which.LARGEST_ALGEBRAIC).maxIterations(Math.min(dim, Math.max(2 * k + 20, 3 * k)))
                    // a tolerance the step budget can reach (1e-8 never converged in 2k + 20 steps); whether it did
                    // is part of the estimate, since inexact deflation biases the bulk
                    .tolerance(NEFF_TOLERANCE).seed(seed).residualMode(Lanczos.ResidualMode.RITZ_ESTIMATE).build());
            double[][] u = eig.eigenvectors();
            LinearOperator deflated = LinearOperator.of(dim, x -> project(u, hessian.apply(project(u, x))));
            SpectralDensity.Result bulk = SpectralDensity.estimate(deflated,
                    SpectralDensity.Config.defaults().withSteps(steps).withGridPoints(2).withSeed(seed + 1));
            return new NeffEstimate(eig.eigenvalues(), bulk, eig.converged());
        }

        /** N_eff(α) = Σ_top λ/(λ + α) + Tr f(deflated H). */
        public double nEff(double alpha) {
            return EffectiveParameters.nEff(top, alpha) + EffectiveParameters.nEff(bulk, alpha);
        }

        /** λ_1, the largest eigenvalue. */
        public double sharpness() {
            return top[0];
        }
    }

    /** Relative Ritz-residual tolerance of N_eff's top eigenpairs. */
    static final double NEFF_TOLERANCE = 1e-4;

    /** (I − Σ u_i u_iᵀ)x for orthonormal u_i. */
    private static double[] project(double[][] u, double[] x) {
        double[] y = x.clone();
        for (double[] ui : u) {
            Vectors.axpy(-Vectors.dot(ui, x), ui, y);
        }
        return y;
    }

    /** ‖θ − θ_0‖. */
    public record Distance(int every) implements Probe {
        @Override
        public void measure(Probe.Context c, Map<String, Double> row) {
            row.put("distance", Vectors.distance(c.theta(), c.theta0()));
        }
    }

    /** Cosine between the gradients of the last two updates (mini-batch noise; 1 for GD near a flow). */
    public record BatchCosine(int every) implements Probe {
        @Override
        public void measure(Probe.Context c, Map<String, Double> row) {
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
        public void measure(Probe.Context c, Map<String, Double> row) {
            EigenSolver.Result r = solver.top(c.hessian(), k, iterations, warmStart);
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
