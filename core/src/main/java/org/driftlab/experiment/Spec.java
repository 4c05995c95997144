package org.driftlab.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.LinkedHashSet;
import org.driftlab.DriftlabException;
import org.driftlab.curvature.Drift;
import org.driftlab.optim.Regularized;

/**
 * A resolved, validated experiment: what to train (model, data, loss), how (update rule, schedule), what to
 * measure (probes) and when to stop. Immutable. Several learning rates h and/or seeds make a sweep: one sub-run
 * per (h, seed) pair, in the order lrs × seeds.
 *
 * <p>Built from a YAML tree by {@link #fromMap(Map)}, which names the offending key and the allowed values on
 * any error, and written back with every default filled in by {@link #toMap()}.
 *
 * <h2>Optimizer keys ({@code optimizer:})</h2>
 * <pre>
 * name:        gd | sgd | momentum | nesterov | rmsprop | adam | ngd | dal | dal-p | sam | asam | sgld
 * lr:          h (or a top-level list lrs: [...]); dal and dal-p ignore it (their rate is min(2/ζ^p, h_max)),
 *              so the h column of their metrics shows the spec's lr, while time t = Σh adds DAL's own rates;
 *              the drift probe logs 2/ζ as dal_lr
 * batch_size:  mini-batch size (sgd needs it, gd forbids it; optional for the others, absent = full batch)
 * shuffle:     reshuffle the examples every epoch (default true)
 * replacement: draw every batch independently, with replacement (default false: epochs without replacement);
 *              the i.i.d. sampling of the SGD theory (McAllester's converged-loss theorem, SDE models)
 * momentum:    β of momentum / nesterov (default 0.9)
 * rho:         rmsprop's decay (default 0.99); the radius ρ of sam (default 0.05, Foret et al.) and asam
 *              (default 2.0, the ASAM recommendation)
 * eta:         asam's offset η in T_w = |w| + η (default 0, as davda54/sam)
 * beta1, beta2, eps: adam (and eps of rmsprop)
 * p:           dal-p's exponent, h = min(2/ζ^p, h_max) with ζ = ‖∇²E∇E‖/‖∇E‖ (default 1; dal is p = 1)
 * h_max:       cap of the dal / dal-p rate (default 5, as DeepMind's dal.py)
 * temperature: sgld's T in θ' = θ − h∇E + √(2hT)ξ (default 1e-4; noise seeded by the run's seed and the step)
 * </pre>
 *
 * <h2>Regulariser keys ({@code regularizer:}, optional, any optimizer descends E + coef·P)</h2>
 * <pre>
 * name:        igr | grad-norm | fisher | micro-batch | hessian-trace | gtracer   (see optim.Regularized)
 * coef:        α (ρ for gtracer); required except for igr, whose default is h/4 with the step's h
 * q:           power of the norm for grad-norm (default 2) and fisher (default 1, the seed slides; 2 in later papers)
 * samples:     Hutchinson probes per step for hessian-trace and gtracer (default 1)
 * micro_batch: micro-batch size of micro-batch (default 32; consecutive runs of the step's batch)
 * beta:        gtracer's EMA weight of the new Fisher diagonal, G ← (1−β)G + β g⊙g (default 0.01)
 * delta:       gtracer's damping, G⁻¹ = diag(1/(G_i + δ)) (default 1e-8)
 * </pre>
 *
 * <p>{@code save_iterates: N} (default 0, off) keeps θ_0, θ after every N-th step and the final θ of each sub-run
 * in {@code iterates_TAG.npz} ({@code theta} [M, D], {@code step} [M]), e.g. for the trajectory plane of
 * {@code driftlab landscape}; see {@link Iterates}.
 */
public record Spec(String name, String description, String model, String data, String testData, String loss,
                   Optimizer optimizer, List<Double> lrs, List<Long> seeds, int threads, ScheduleSpec schedule,
                   Probes probes, Stop stop, int checkpointEvery, int saveIterates) {

    /** Keys allowed at the top level of a spec file. */
    public static final List<String> TOP_KEYS = List.of("name", "description", "model", "data", "test_data", "loss",
            "optimizer", "regularizer", "lrs", "seed", "seeds", "threads", "schedule", "probes", "stop", "checkpoint_every",
            "save_iterates", "quick");
    /** Update rules by spec name. */
    public static final List<String> OPTIMIZERS = List.of("gd", "sgd", "momentum", "nesterov", "rmsprop", "adam", "ngd", "dal",
            "dal-p", "sam", "asam", "sgld");
    /** Regularisers by spec name. */
    public static final List<String> REGULARIZERS = Regularized.NAMES;
    /** Schedules by spec name. */
    public static final List<String> SCHEDULES = List.of("constant", "step", "cosine");
    /** Losses by spec name. */
    public static final List<String> LOSSES = List.of("mse", "ce");

    /** Immutable copies of the lists. */
    public Spec {
        lrs = List.copyOf(lrs);
        seeds = List.copyOf(seeds);
    }

    /**
     * The update rule and its hyper-parameters.
     *
     * @param batchSize 0 for full batch
     * @param momentum β of heavy ball / Nesterov
     * @param rho RMSProp's decay, or the SAM / ASAM radius ρ
     * @param p DAL-p's exponent (1 for dal)
     * @param maxRate DAL's cap h_max
     * @param temperature SGLD's T
     * @param eta ASAM's offset η
     * @param regularizer the explicit penalty added to E, or null
     * @param replacement whether batches are drawn i.i.d. with replacement instead of by shuffled epochs
     */
    public record Optimizer(String name, int batchSize, boolean shuffle, double momentum, double rho, double beta1,
                            double beta2, double eps, double p, double maxRate, double temperature, double eta,
                            Regularized.Config regularizer, boolean replacement) {}

    /** The learning-rate schedule: constant, step drops at {@code at} by {@code factor}, or cosine to min·h. */
    public record ScheduleSpec(String name, List<Long> at, double factor, double min, long warmup) {
        /** Immutable copy. */
        public ScheduleSpec {
            at = List.copyOf(at);
        }
    }

    /**
     * Probe frequencies (every K steps; 0 switches a probe off). Every enabled probe also runs at step 0 and at
     * the last step.
     *
     * @param k number of top Hessian eigenvalues (eig_1..eig_k; sharpness = eig_1)
     * @param iterations Lanczos iterations per measurement
     * @param trace period of Tr H (Hutchinson, 10 Rademacher probes, with its standard error)
     * @param noise period of Tr K and λ_K, the gradient covariance (needs a network objective)
     * @param drift period of ‖∇²E∇E‖ and the DAL learning rate 2/‖∇²E ĝ‖
     * @param fisher period of Tr F, the trace of the true Fisher (Monte Carlo, {@code fisherSamples} label draws
     *               from the model per example; needs a network objective)
     * @param fisherSamples label draws per Tr F measurement
     * @param neff period of N_eff(α) = Σ λ_i/(λ_i + α): top eigenvalues exactly plus the bulk by stochastic
     *             Lanczos quadrature of the deflated Hessian ({@link org.driftlab.experiment.Probes#effectiveParameters})
     * @param neffAlpha the prior precision α of N_eff
     * @param neffTop eigenvalues taken exactly by Lanczos
     * @param neffSteps Lanczos steps m of the one SLQ run on the deflated Hessian
     */
    public record Probes(int train, int test, int gradNorm, int sharpness, int k, int iterations, int distance,
                         int batchCosine, int trace, int noise, int drift, int fisher, int fisherSamples, int neff,
                         double neffAlpha, int neffTop, int neffSteps) {}

    /**
     * Stop conditions; null thresholds are off.
     *
     * @param divergeAbove the loss above which a run counts as diverged (null: 1000·max(1, E(θ_0)))
     */
    public record Stop(long steps, Double lossBelow, Double accuracyAbove, Double divergeAbove) {}

    /** The sub-runs of the sweep: every (h, seed) pair. */
    public List<SubRun> subRuns() {
        List<SubRun> runs = new ArrayList<>();
        for (double lr : lrs) {
            for (long seed : seeds) {
                runs.add(new SubRun(runs.size(), lr, seed));
            }
        }
        return runs;
    }

    /** One sub-run of a sweep, tagged {@code r<index>} in the metrics. */
    public record SubRun(int index, double lr, long seed) {
        /** The tag in the {@code run} column. */
        public String tag() {
            return "r" + index;
        }
    }

    // ------------------------------------------------------------------ parsing

    /** Validates a YAML tree (the {@code quick} section must already be applied or is ignored). */
    public static Spec fromMap(Map<String, Object> root) {
        Section top = new Section("", root, TOP_KEYS);
        String name = top.string("name", null);
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new DriftlabException("name: '" + name + "' must be a non-empty word of letters, digits, '.', '_', '-'");
        }
        String description = top.string("description", "");
        String model = top.string("model", null);
        if (model == null) {
            throw new DriftlabException("model: missing; e.g. fc-tanh:200,200 or quadratic:eigs=1,10,100");
        }
        String data = top.string("data", "none");
        String testData = top.string("test_data", null);
        String loss = top.choice("loss", "mse", LOSSES);

        Section opt = top.section("optimizer", List.of("name", "lr", "batch_size", "shuffle", "momentum", "rho",
                "beta1", "beta2", "eps", "p", "h_max", "temperature", "eta", "replacement"));
        String optName = opt.choice("name", "gd", OPTIMIZERS);
        int batch = opt.integer("batch_size", 0);
        if (batch < 0) {
            throw new DriftlabException("optimizer.batch_size: " + batch + " must be >= 1 (or absent for full batch)");
        }
        if (optName.equals("gd") && batch != 0) {
            throw new DriftlabException("optimizer.batch_size: gd is full-batch; use name: sgd for mini-batches");
        }
        if (optName.equals("sgd") && batch == 0) {
            throw new DriftlabException("optimizer.batch_size: sgd needs a batch size");
        }
        double momentum = opt.number("momentum", optName.equals("momentum") || optName.equals("nesterov") ? 0.9 : 0.0);
        if (momentum < 0 || momentum >= 1) {
            throw new DriftlabException("optimizer.momentum: " + momentum + " must be in [0, 1)");
        }
        double rho = opt.number("rho", optName.equals("sam") ? 0.05 : optName.equals("asam") ? 2.0 : 0.99);
        if ((optName.equals("sam") || optName.equals("asam")) && !(rho > 0)) {
            throw new DriftlabException("optimizer.rho: " + rho + " must be > 0 (the SAM radius)");
        }
        double p = opt.number("p", 1.0);
        if (optName.equals("dal") && opt.has("p") && p != 1) {
            throw new DriftlabException("optimizer.p: dal is p = 1; use name: dal-p for p = " + p);
        }
        if (!(p >= 0) || Double.isInfinite(p)) {
            throw new DriftlabException("optimizer.p: " + p + " must be >= 0 (0 is fixed-rate GD, 1 is DAL)");
        }
        double maxRate = opt.number("h_max", Drift.DEFAULT_MAX_LEARNING_RATE);
        if (!(maxRate > 0) || Double.isInfinite(maxRate)) {
            throw new DriftlabException("optimizer.h_max: " + maxRate + " must be > 0");
        }
        double temperature = opt.number("temperature", 1e-4);
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new DriftlabException("optimizer.temperature: " + temperature + " must be >= 0");
        }
        double eta = opt.number("eta", 0.0);
        if (!(eta >= 0) || Double.isInfinite(eta)) {
            throw new DriftlabException("optimizer.eta: " + eta + " must be >= 0");
        }
        Regularized.Config regularizer = null;
        if (root.get("regularizer") != null) {
            Section reg = top.section("regularizer", List.of("name", "coef", "q", "samples", "micro_batch", "beta",
                    "delta"));
            if (!reg.has("name")) {
                throw new DriftlabException("regularizer.name: missing; one of " + String.join(", ", REGULARIZERS));
            }
            String regName = reg.choice("name", null, REGULARIZERS);
            regularizer = new Regularized.Config(regName, reg.optionalNumber("coef"),
                    reg.number("q", regName.equals("fisher") ? 1.0 : 2.0), reg.integer("samples", 1),
                    reg.integer("micro_batch", 32), reg.number("beta", 0.01), reg.number("delta", 1e-8));
        }
        Optimizer optimizer = new Optimizer(optName, batch, opt.bool("shuffle", true), momentum, rho,
                opt.number("beta1", 0.9), opt.number("beta2", 0.999), opt.number("eps", 1e-8), p, maxRate,
                temperature, eta, regularizer, opt.bool("replacement", false));
        if (optimizer.replacement() && batch == 0) {
            throw new DriftlabException("optimizer.replacement: needs a batch_size (full batch draws nothing)");
        }

        List<Double> lrs;
        if (root.containsKey("lrs")) {
            lrs = top.numbers("lrs");
        } else if (opt.has("lr")) {
            lrs = List.of(opt.number("lr", 0));
        } else {
            throw new DriftlabException("optimizer.lr: missing (or give a list 'lrs' at top level)");
        }
        if (lrs.isEmpty()) {
            throw new DriftlabException("lrs: the list is empty");
        }
        for (double lr : lrs) {
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new DriftlabException("lrs: learning rate " + lr + " must be positive");
            }
        }
        boolean dal = optName.equals("dal") || optName.equals("dal-p");
        if (dal && lrs.size() > 1) {
            throw new DriftlabException("lrs: " + optName + " chooses its own h = min(2/ζ^p, h_max), so a sweep over "
                    + "lrs would repeat one run; give one optimizer.lr");
        }
        if (dal && regularizer != null && regularizer.name().equals("igr") && regularizer.coef() == null) {
            throw new DriftlabException("regularizer.coef: igr's default h/4 uses the spec's h, which " + optName
                    + " ignores; give coef explicitly");
        }
        List<Long> seeds;
        if (root.containsKey("seeds")) {
            seeds = new ArrayList<>();
            for (double s : top.numbers("seeds")) {
                if (s != Math.rint(s)) {
                    throw new DriftlabException("seeds: " + s + " is not an integer");
                }
                seeds.add((long) s);
            }
            if (seeds.isEmpty()) {
                throw new DriftlabException("seeds: the list is empty");
            }
        } else {
            seeds = List.of(top.longInt("seed", 0));
        }
        int threads = top.integer("threads", 1);
        if (threads < 1) {
            throw new DriftlabException("threads: " + threads + " must be >= 1");
        }

        Section sch = top.section("schedule", List.of("name", "at", "factor", "min", "warmup"));
        String schName = sch.choice("name", "constant", SCHEDULES);
        List<Long> at = new ArrayList<>();
        if (sch.has("at")) {
            for (double a : sch.numbers("at")) {
                at.add((long) a);
            }
        }
        if (schName.equals("step") && at.isEmpty()) {
            throw new DriftlabException("schedule.at: a step schedule needs the steps of its drops, e.g. at: [500]");
        }
        ScheduleSpec schedule = new ScheduleSpec(schName, at, sch.number("factor", 0.1), sch.number("min", 0.0),
                sch.longInt("warmup", 0));

        Section pr = top.section("probes", List.of("train", "test", "grad_norm", "sharpness", "k", "iterations",
                "distance", "batch_cosine", "trace", "noise", "drift", "fisher", "fisher_samples", "neff", "neff_alpha",
                "neff_top", "neff_steps"));
        Probes probes = new Probes(pr.nonNegative("train", 1), pr.nonNegative("test", testData == null ? 0 : 10),
                pr.nonNegative("grad_norm", 1), pr.nonNegative("sharpness", 0), pr.positive("k", 1),
                pr.positive("iterations", 20), pr.nonNegative("distance", 0), pr.nonNegative("batch_cosine", 0),
                pr.nonNegative("trace", 0), pr.nonNegative("noise", 0), pr.nonNegative("drift", 0),
                pr.nonNegative("fisher", 0), pr.positive("fisher_samples", 1), pr.nonNegative("neff", 0),
                pr.number("neff_alpha", 1.0), pr.positive("neff_top", 10), pr.positive("neff_steps", 30));
        if (!(probes.neffAlpha() > 0) || Double.isInfinite(probes.neffAlpha())) {
            throw new DriftlabException("probes.neff_alpha: " + probes.neffAlpha() + " must be a positive number (the prior precision α)");
        }
        if (probes.test() > 0 && testData == null) {
            throw new DriftlabException("probes.test: needs test_data");
        }

        Section st = top.section("stop", List.of("steps", "loss_below", "accuracy_above", "diverge_above"));
        long steps = st.longInt("steps", 1000);
        if (steps < 1) {
            throw new DriftlabException("stop.steps: " + steps + " must be >= 1");
        }
        Stop stop = new Stop(steps, st.optionalNumber("loss_below"), st.optionalNumber("accuracy_above"),
                st.optionalNumber("diverge_above"));
        int checkpointEvery = top.integer("checkpoint_every", 100);
        if (checkpointEvery < 1) {
            throw new DriftlabException("checkpoint_every: " + checkpointEvery + " must be >= 1");
        }
        int saveIterates = top.integer("save_iterates", 0);
        if (saveIterates < 0) {
            throw new DriftlabException("save_iterates: " + saveIterates + " must be >= 0 (0: off; N: θ every N steps)");
        }
        return new Spec(name, description, model, data, testData, loss, optimizer, lrs, seeds, threads, schedule,
                probes, stop, checkpointEvery, saveIterates);
    }

    /** The resolved spec with every default explicit (what {@code spec.yaml} holds). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("description", description);
        m.put("model", model);
        m.put("data", data);
        if (testData != null) {
            m.put("test_data", testData);
        }
        m.put("loss", loss);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", optimizer.name());
        if (optimizer.batchSize() > 0) {
            o.put("batch_size", optimizer.batchSize());
            o.put("shuffle", optimizer.shuffle());
            o.put("replacement", optimizer.replacement());
        }
        switch (optimizer.name()) {
            case "momentum", "nesterov" -> o.put("momentum", optimizer.momentum());
            case "rmsprop" -> {
                o.put("rho", optimizer.rho());
                o.put("eps", optimizer.eps());
            }
            case "adam" -> {
                o.put("beta1", optimizer.beta1());
                o.put("beta2", optimizer.beta2());
                o.put("eps", optimizer.eps());
            }
            case "dal", "dal-p" -> {
                if (optimizer.name().equals("dal-p")) {
                    o.put("p", optimizer.p());
                }
                o.put("h_max", optimizer.maxRate());
            }
            case "sam" -> o.put("rho", optimizer.rho());
            case "asam" -> {
                o.put("rho", optimizer.rho());
                o.put("eta", optimizer.eta());
            }
            case "sgld" -> o.put("temperature", optimizer.temperature());
            default -> { }
        }
        m.put("optimizer", o);
        Regularized.Config rc = optimizer.regularizer();
        if (rc != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", rc.name());
            if (rc.coef() != null) {
                r.put("coef", rc.coef());
            }
            switch (rc.name()) {
                case "grad-norm", "fisher" -> r.put("q", rc.q());
                case "micro-batch" -> r.put("micro_batch", rc.microBatch());
                case "hessian-trace" -> r.put("samples", rc.samples());
                case "gtracer" -> {
                    r.put("samples", rc.samples());
                    r.put("beta", rc.beta());
                    r.put("delta", rc.delta());
                }
                default -> { }
            }
            m.put("regularizer", r);
        }
        m.put("lrs", new ArrayList<>(lrs));
        m.put("seeds", new ArrayList<>(seeds));
        m.put("threads", threads);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", schedule.name());
        if (schedule.name().equals("step")) {
            s.put("at", new ArrayList<>(schedule.at()));
            s.put("factor", schedule.factor());
        }
        if (schedule.name().equals("cosine")) {
            s.put("min", schedule.min());
        }
        s.put("warmup", schedule.warmup());
        m.put("schedule", s);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("train", probes.train());
        p.put("test", probes.test());
        p.put("grad_norm", probes.gradNorm());
        p.put("sharpness", probes.sharpness());
        p.put("k", probes.k());
        p.put("iterations", probes.iterations());
        p.put("distance", probes.distance());
        p.put("batch_cosine", probes.batchCosine());
        p.put("trace", probes.trace());
        p.put("noise", probes.noise());
        p.put("drift", probes.drift());
        p.put("fisher", probes.fisher());
        p.put("fisher_samples", probes.fisherSamples());
        p.put("neff", probes.neff());
        p.put("neff_alpha", probes.neffAlpha());
        p.put("neff_top", probes.neffTop());
        p.put("neff_steps", probes.neffSteps());
        m.put("probes", p);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("steps", stop.steps());
        if (stop.lossBelow() != null) {
            t.put("loss_below", stop.lossBelow());
        }
        if (stop.accuracyAbove() != null) {
            t.put("accuracy_above", stop.accuracyAbove());
        }
        if (stop.divergeAbove() != null) {
            t.put("diverge_above", stop.divergeAbove());
        }
        m.put("stop", t);
        m.put("checkpoint_every", checkpointEvery);
        if (saveIterates > 0) {
            m.put("save_iterates", saveIterates);
        }
        return m;
    }

    /** A map node with a path for messages and a closed set of keys. */
    private static final class Section {
        private final String path;
        private final Map<String, Object> map;

        Section(String path, Map<String, Object> map, List<String> allowed) {
            this.path = path;
            this.map = map == null ? Map.of() : map;
            Set<String> ok = new LinkedHashSet<>(allowed);
            for (Object key : this.map.keySet()) {
                if (!ok.contains(String.valueOf(key))) {
                    String where = path.isEmpty() ? "at top level" : "in " + path;
                    throw new DriftlabException("spec: unknown key '" + key + "' " + where + "; allowed: "
                            + String.join(", ", allowed));
                }
            }
        }

        private String key(String k) {
            return path.isEmpty() ? k : path + "." + k;
        }

        boolean has(String k) {
            return map.get(k) != null;
        }

        @SuppressWarnings("unchecked")
        Section section(String k, List<String> allowed) {
            Object v = map.get(k);
            if (v != null && !(v instanceof Map)) {
                throw new DriftlabException(key(k) + ": expected a section of keys " + String.join(", ", allowed)
                        + ", got '" + v + "'");
            }
            return new Section(key(k), (Map<String, Object>) v, allowed);
        }

        String string(String k, String dflt) {
            Object v = map.get(k);
            if (v == null) {
                return dflt;
            }
            if (v instanceof Map || v instanceof List) {
                throw new DriftlabException(key(k) + ": expected a single value, got '" + v + "'");
            }
            return String.valueOf(v);
        }

        String choice(String k, String dflt, List<String> allowed) {
            String v = string(k, dflt);
            if (!allowed.contains(v)) {
                throw new DriftlabException(key(k) + ": '" + v + "' is not one of " + String.join(", ", allowed));
            }
            return v;
        }

        double number(String k, double dflt) {
            Object v = map.get(k);
            if (v == null) {
                return dflt;
            }
            return toNumber(key(k), v);
        }

        Double optionalNumber(String k) {
            return has(k) ? number(k, 0) : null;
        }

        long longInt(String k, long dflt) {
            double v = number(k, dflt);
            if (v != Math.rint(v) || Math.abs(v) > 1e15) {
                throw new DriftlabException(key(k) + ": " + map.get(k) + " is not an integer");
            }
            return (long) v;
        }

        int integer(String k, int dflt) {
            long v = longInt(k, dflt);
            if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
                throw new DriftlabException(key(k) + ": " + v + " is out of range");
            }
            return (int) v;
        }

        int nonNegative(String k, int dflt) {
            int v = integer(k, dflt);
            if (v < 0) {
                throw new DriftlabException(key(k) + ": " + v + " must be >= 0 (0 switches it off)");
            }
            return v;
        }

        int positive(String k, int dflt) {
            int v = integer(k, dflt);
            if (v < 1) {
                throw new DriftlabException(key(k) + ": " + v + " must be >= 1");
            }
            return v;
        }

        boolean bool(String k, boolean dflt) {
            Object v = map.get(k);
            if (v == null) {
                return dflt;
            }
            if (v instanceof Boolean b) {
                return b;
            }
            throw new DriftlabException(key(k) + ": '" + v + "' is not one of true, false");
        }

        List<Double> numbers(String k) {
            Object v = map.get(k);
            List<Double> out = new ArrayList<>();
            if (v instanceof List<?> list) {
                for (Object o : list) {
                    out.add(toNumber(key(k), o));
                }
            } else if (v != null) {
                out.add(toNumber(key(k), v));
            }
            return out;
        }

        private static double toNumber(String key, Object v) {
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            try {
                return Double.parseDouble(String.valueOf(v).trim());
            } catch (NumberFormatException e) {
                throw new DriftlabException(key + ": '" + v + "' is not a number");
            }
        }
    }

    @Override
    public String toString() {
        return "Spec[" + name + ", " + model + ", " + data + ", " + optimizer.name() + ", lrs=" + lrs + ", seeds="
                + seeds + ", steps=" + stop.steps() + ", schedule=" + schedule.name() + "]";
    }
}
