package org.driftlab.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.driftlab.DriftlabException;
import org.driftlab.curvature.Drift;
import org.driftlab.curvature.EffectiveParameters;
import org.driftlab.curvature.Lanczos;
import org.driftlab.curvature.LayerSpectra;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.curvature.SpectralDensity;
import org.driftlab.curvature.GradientCovariance;
import org.driftlab.curvature.Hutchinson;
import org.driftlab.linalg.Vectors;
import org.driftlab.objective.NetObjective;
import org.driftlab.objective.Objective;

/**
 * The probe registry: one entry per probe, holding everything a spec knows about it: its parameter record (the
 * period key that switches it on, e.g. {@code sharpness: 20}, and its own settings, with defaults, units,
 * descriptions and checks; all live flat in the {@code probes:} section), the metric columns it writes, and how
 * it is built. Its state (a Lanczos warm start) is its own {@link Probe#state()}, checkpointed by key. The entries'
 * order is the order of the columns and of the measurements. Adding a probe is one entry here and its test.
 */
public final class Probes {
    private Probes() {}

    /**
     * One probe.
     *
     * @param key the period key in {@code probes:} (the record's first component)
     * @param columns the metric columns the probe writes, given its parameters
     * @param build the probe, given its parameters and the run's eigen-solver
     */
    public record Entry<P extends Record>(String key, Class<P> params, Function<P, List<String>> columns,
                                          BiFunction<P, EigenSolver, Probe> build) {
        /** The period of a bound parameter record (0: off). */
        public int every(Record p) {
            return (Integer) Params.get(p, key);
        }

        List<String> columnsOf(Record p) {
            return columns.apply(params.cast(p));
        }

        Probe buildOf(Record p, EigenSolver solver) {
            return build.apply(params.cast(p), solver);
        }
    }

    /** train_loss and train_accuracy. */
    public record TrainParams(@Param(value = "1", unit = "steps", doc = "train_loss and train_accuracy on the full training set") int train) {}

    /** ‖∇E‖. */
    public record GradNormParams(@Param(value = "1", unit = "steps", doc = "‖∇E‖ of the full training loss") int gradNorm) {}

    /** λ1 and the top-k eigenvalues. */
    public record SharpnessParams(
            @Param(value = "0", unit = "steps", doc = "sharpness λ1 and eig_1..eig_k (warm-started Lanczos)") int sharpness,
            @Param(value = "1", doc = "top Hessian eigenvalues measured") int k,
            @Param(value = "20", doc = "Lanczos products per measurement") int iterations) {
        /** At least one eigenvalue and one product. */
        public SharpnessParams {
            Params.atLeast("k", k, 1);
            Params.atLeast("iterations", iterations, 1);
        }
    }

    /** Held-out loss and accuracy. */
    public record TestParams(@Param(value = "0", unit = "steps", doc = "test_loss and test_accuracy (default 10 when test_data is given)") int test) {}

    /** ‖θ − θ₀‖. */
    public record DistanceParams(@Param(value = "0", unit = "steps", doc = "‖θ − θ₀‖") int distance) {}

    /** Cosine of successive update gradients. */
    public record BatchCosineParams(@Param(value = "0", unit = "steps", doc = "cosine between the last two update gradients") int batchCosine) {}

    /** Tr H. */
    public record TraceParams(@Param(value = "0", unit = "steps", doc = "Tr H by Hutchinson (10 probes) with its standard error") int trace) {}

    /** Tr K and λ_K. */
    public record NoiseParams(@Param(value = "0", unit = "steps", doc = "Tr K and λ_K of the gradient covariance (networks only)") int noise) {}

    /** ‖∇²E∇E‖ and 2/ζ. */
    public record DriftParams(@Param(value = "0", unit = "steps", doc = "‖∇²E∇E‖ and DAL's rate 2/ζ") int drift) {}

    /** Tr F. */
    public record FisherParams(
            @Param(value = "0", unit = "steps", doc = "Tr F of the true Fisher (networks only)") int fisher,
            @Param(value = "1", doc = "label draws per measurement") int fisherSamples) {
        /** At least one draw. */
        public FisherParams {
            Params.atLeast("fisher_samples", fisherSamples, 1);
        }
    }

    /** N_eff(α). */
    public record NeffParams(
            @Param(value = "0", unit = "steps", doc = "N_eff(α) = Σλ/(λ + α): top eigenvalues plus SLQ of the rest") int neff,
            @Param(value = "1.0", doc = "prior precision α") double neffAlpha,
            @Param(value = "10", doc = "eigenvalues taken exactly") int neffTop,
            @Param(value = "30", doc = "Lanczos steps of the SLQ") int neffSteps) {
        /** α > 0, counts ≥ 1. */
        public NeffParams {
            Params.check(neffAlpha > 0 && Double.isFinite(neffAlpha), "neff_alpha", neffAlpha
                    + " must be a positive number (the prior precision α)");
            Params.atLeast("neff_top", neffTop, 1);
            Params.atLeast("neff_steps", neffSteps, 1);
        }
    }

    /** Per-layer curvature. */
    public record PerLayerParams(
            @Param(value = "0", unit = "steps", doc = "per parameter group (layer or block sub-module): λ_max of its diagonal Hessian block, its trace and its share of the top eigenvector") int perLayer,
            @Param(value = "20", doc = "Lanczos products per group's λ_max, and for the top eigenvector") int perLayerIterations,
            @Param(value = "10", doc = "Rademacher probes shared by all groups' traces") int perLayerProbes,
            @Param(value = "[]", doc = "the groups measured (default: every group of a network model)") List<String> perLayerGroups) {
        /** Positive counts, and groups when switched on. */
        public PerLayerParams {
            Params.atLeast("per_layer_iterations", perLayerIterations, 1);
            Params.atLeast("per_layer_probes", perLayerProbes, 2);
            Params.check(perLayer == 0 || !perLayerGroups.isEmpty(), "per_layer_groups",
                    "no groups: per_layer needs a network model");
        }
    }

    private static final List<Entry<?>> ENTRIES = new ArrayList<>();

    private static <P extends Record> void add(String key, Class<P> params, Function<P, List<String>> columns,
                                               BiFunction<P, EigenSolver, Probe> build) {
        ENTRIES.add(new Entry<>(key, params, columns, build));
    }

    static {
        add("train", TrainParams.class, p -> List.of("train_loss", "train_accuracy"), (p, s) -> new TrainLoss(p.train()));
        add("grad_norm", GradNormParams.class, p -> List.of("grad_norm"), (p, s) -> new GradNorm(p.gradNorm()));
        add("sharpness", SharpnessParams.class, p -> {
            List<String> c = new ArrayList<>(List.of("sharpness"));
            for (int i = 1; i <= p.k(); i++) {
                c.add("eig_" + i);
            }
            return c;
        }, (p, s) -> new Sharpness(p.sharpness(), p.k(), p.iterations(), s));
        add("test", TestParams.class, p -> List.of("test_loss", "test_accuracy"), (p, s) -> new TestLoss(p.test()));
        add("distance", DistanceParams.class, p -> List.of("distance"), (p, s) -> new Distance(p.distance()));
        add("batch_cosine", BatchCosineParams.class, p -> List.of("batch_cosine"), (p, s) -> new BatchCosine(p.batchCosine()));
        add("trace", TraceParams.class, p -> List.of("trace_H", "trace_H_stderr"), (p, s) -> new TraceH(p.trace()));
        add("noise", NoiseParams.class, p -> List.of("trace_K", "lambda_K"), (p, s) -> new GradientNoise(p.noise()));
        add("drift", DriftParams.class, p -> List.of("drift_norm", "dal_lr"), (p, s) -> new DriftNorm(p.drift()));
        add("fisher", FisherParams.class, p -> List.of("trace_F"), (p, s) -> new FisherTrace(p.fisher(), p.fisherSamples()));
        add("neff", NeffParams.class, p -> List.of("n_eff"),
                (p, s) -> new EffectiveParameterCount(p.neff(), p.neffAlpha(), p.neffTop(), p.neffSteps()));
        add("per_layer", PerLayerParams.class, p -> {
            List<String> c = new ArrayList<>();
            for (String g : p.perLayer() == 0 ? List.<String>of() : p.perLayerGroups()) {
                c.addAll(List.of("lambda_" + g, "trace_" + g, "share_" + g));
            }
            return c;
        }, (p, s) -> new PerLayer(p.perLayer(), p.perLayerIterations(), p.perLayerProbes(), p.perLayerGroups()));
    }

    /** Every probe, in column and measurement order. */
    public static List<Entry<?>> entries() {
        return List.copyOf(ENTRIES);
    }

    /** Every key of the {@code probes:} section, entry by entry. */
    public static List<String> keys() {
        List<String> k = new ArrayList<>();
        for (Entry<?> e : ENTRIES) {
            k.addAll(Params.keys(e.params()));
        }
        return k;
    }

    /**
     * The probe settings of a spec: each entry's record, bound from the flat {@code probes:} section.
     *
     * @param contextual defaults that depend on the rest of the spec (the test period when test_data is given)
     */
    public static Settings bind(Map<?, ?> section, Map<String, Object> contextual) {
        Map<String, Record> out = new LinkedHashMap<>();
        List<String> all = keys();
        for (Entry<?> e : ENTRIES) {
            List<String> others = new ArrayList<>(all);
            others.removeAll(Params.keys(e.params()));
            Record r = Params.bind(e.params(), section, "probes", contextual, others);
            int every = e.every(r);
            if (every < 0) {
                throw new DriftlabException("probes." + e.key() + ": " + every + " must be >= 0 (0 switches it off)");
            }
            out.put(e.key(), r);
        }
        return new Settings(out);
    }

    /** The bound settings of every probe, by period key, in registry order. */
    public record Settings(Map<String, Record> byKey) {
        /** Immutable copy. */
        public Settings {
            byKey = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byKey));
        }

        /** The period of a probe (0: off). */
        public int every(String key) {
            return entry(key).every(byKey.get(key));
        }

        /** A probe's parameter record. */
        public <P extends Record> P get(Class<P> type) {
            for (Record r : byKey.values()) {
                if (type.isInstance(r)) {
                    return type.cast(r);
                }
            }
            throw new IllegalArgumentException("no probe settings of type " + type.getSimpleName());
        }

        /** The flat YAML section (every key explicit). */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Record r : byKey.values()) {
                m.putAll(Params.toMap(r));
            }
            return m;
        }

        /** The metric columns of every probe, enabled or not (files keep one set of columns per spec). */
        public List<String> columns() {
            List<String> c = new ArrayList<>();
            for (Entry<?> e : ENTRIES) {
                c.addAll(e.columnsOf(byKey.get(e.key())));
            }
            return c;
        }

        /** The enabled probes by key, in registry order. */
        public Map<String, Probe> build(EigenSolver solver) {
            Map<String, Probe> out = new LinkedHashMap<>();
            for (Entry<?> e : ENTRIES) {
                Record p = byKey.get(e.key());
                if (e.every(p) > 0) {
                    out.put(e.key(), e.buildOf(p, solver));
                }
            }
            return out;
        }
    }

    private static Entry<?> entry(String key) {
        for (Entry<?> e : ENTRIES) {
            if (e.key().equals(key)) {
                return e;
            }
        }
        throw new IllegalArgumentException("no probe " + key);
    }

    /** train_loss (and train_accuracy when the objective's metrics have it) on the full training set. */
    public record TrainLoss(int every) implements Probe {
        @Override
        public void measure(Probe.Context c, Map<String, Double> row) {
            lossAndAccuracy(c.train(), c.theta(), "train_", row);
        }
    }

    /** test_loss and test_accuracy on the held-out objective. */
    public record TestLoss(int every) implements Probe {
        @Override
        public void measure(Probe.Context c, Map<String, Double> row) {
            c.test().ifPresent(t -> lossAndAccuracy(t, c.theta(), "test_", row));
        }
    }

    /** PREFIX_loss, and PREFIX_accuracy when the objective's metrics have it, of the objective at θ. */
    private static void lossAndAccuracy(Objective o, double[] theta, String prefix, Map<String, Double> row) {
        Map<String, Double> m = o.metrics(theta);
        row.put(prefix + "loss", m.get("loss"));
        if (m.containsKey("accuracy")) {
            row.put(prefix + "accuracy", m.get("accuracy"));
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

    /**
     * Per-layer curvature ({@link LayerSpectra}): for each parameter group of the network, λ_max of its diagonal
     * Hessian block (Lanczos), its trace (Hutchinson probes shared by all groups, seeded by the step) and its share
     * ‖u₁|_g‖² of the top eigenvector u₁ of the whole Hessian, in columns lambda_G, trace_G and share_G.
     */
    public record PerLayer(int every, int iterations, int probes, List<String> groups) implements Probe {
        @Override
        public void measure(Probe.Context c, Map<String, Double> row) {
            if (!(c.train() instanceof NetObjective net)) {
                throw new DriftlabException("probes.per_layer: needs a network on a data set, not "
                        + c.train().getClass().getSimpleName());
            }
            List<LayerSpectra.Group> all = new ArrayList<>();
            for (org.driftlab.nn.Network.Group g : net.network().groups()) {
                int[] starts = new int[g.slices().size()];
                int[] lengths = new int[starts.length];
                for (int i = 0; i < starts.length; i++) {
                    starts[i] = g.slices().get(i).offset();
                    lengths[i] = g.slices().get(i).size();
                }
                all.add(new LayerSpectra.Group(g.name(), g.label(), starts, lengths));
            }
            long seed = 32452843L * c.step() + 11;
            double[] top = Lanczos.run(c.hessian(), Lanczos.Config.builder().k(1).maxIterations(iterations).tolerance(1e-4)
                    .seed(seed).residualMode(Lanczos.ResidualMode.RITZ_ESTIMATE).build()).eigenvector(0);
            for (LayerSpectra.Entry e : LayerSpectra.estimate(c.hessian(), all, 1, iterations, 1e-4, probes, top, seed + 1)) {
                if (groups.contains(e.name())) {
                    row.put("lambda_" + e.name(), e.topEigenvalues()[0]);
                    row.put("trace_" + e.name(), e.trace());
                    row.put("share_" + e.name(), e.topEigenvectorShare());
                }
            }
        }
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
