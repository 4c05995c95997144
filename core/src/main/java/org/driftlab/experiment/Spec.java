package org.driftlab.experiment;

import static org.driftlab.experiment.Params.check;
import static org.driftlab.experiment.Params.atLeast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;

/**
 * A resolved, validated training spec: what to train (model, data, loss), how (update rule, schedule), what to
 * measure (probes) and when to stop. Immutable. Several learning rates h and/or seeds make one sub-run per
 * (h, seed) pair, in the order lrs × seeds.
 *
 * <p>Every key is declared once, as a {@link Param} component of a section record: {@link Top} (the top level),
 * {@link OptimizerKeys} plus the chosen optimizer's own record ({@link Optimizers}), {@link RegularizerKeys} plus
 * the chosen regulariser's own record ({@link Regularizers}),
 * {@link ScheduleSpec}, {@link Probes}, {@link Stop}. {@link #fromMap} validates a YAML tree against them (an
 * unknown key is named with the allowed ones; a wrong type names the key, the value and the type),
 * {@link #toMap} writes the resolved spec back with every default explicit, and {@link #with} sets one dotted key
 * on a resolved spec and validates the result. {@code driftlab show NAME} prints the declarations.
 */
public record Spec(String name, String description, String model, String data, String testData, String loss,
                   Optimizer optimizer, List<Double> lrs, List<Long> seeds, int threads, ScheduleSpec schedule,
                   Probes.Settings probes, Stop stop, int checkpointEvery, int saveIterates, double initScale) {

    /** Sections read by hand beside {@link Top}'s keys. */
    private static final List<String> SECTIONS = List.of("optimizer", "regularizer", "schedule", "probes", "stop", "kind");

    /** Losses by spec name. */
    public static final List<String> LOSSES = List.of("mse", "ce");

    /** Immutable copies of the lists. */
    public Spec {
        lrs = List.copyOf(lrs);
        seeds = List.copyOf(seeds);
    }

    /** The top-level keys of a training spec. */
    public record Top(
            @Param(value = Param.REQUIRED, doc = "the run's name: letters, digits, '.', '_', '-'") String name,
            @Param(value = "", doc = "one line for 'driftlab list' and the report") String description,
            @Param(value = Param.REQUIRED, doc = "network (fc-tanh:200,200, cnn-relu:32,32) or analytic objective (quadratic:eigs=1,10)") String model,
            @Param(value = "none", doc = "training data source, e.g. fashion-mnist:train:1000:standardize") String data,
            @Param(value = Param.NONE, doc = "held-out data source for the test probe") String testData,
            @Param(value = "mse", doc = "loss: mse (Cohen et al.'s ½‖f − y‖² summed over outputs) or ce") String loss,
            @Param(value = Param.NONE, doc = "learning rates h, one sub-run each (instead of optimizer.lr)") List<Double> lrs,
            @Param(value = "0", doc = "seed of θ₀, batches and noise") long seed,
            @Param(value = Param.NONE, doc = "several seeds, one sub-run each (instead of seed)") List<Long> seeds,
            @Param(value = "1", doc = "worker threads of the tensor kernels (results are deterministic per count)") int threads,
            @Param(value = "100", unit = "steps", doc = "checkpoint period") int checkpointEvery,
            @Param(value = "0", unit = "steps", doc = "keep θ every N steps in iterates_TAG.npz, e.g. for 'driftlab landscape' (0: off)") int saveIterates,
            @Param(value = "1.0", doc = "factor on θ₀ as initialised (< 1 starts where the curvature is low and grows, the early phase of training)") double initScale) {
        /** Checks names and ranges. */
        public Top {
            check(name.matches("[A-Za-z0-9._-]+"), "name", "'" + name + "' must be a non-empty word of letters, digits, '.', '_', '-'");
            check(LOSSES.contains(loss), "loss", "'" + loss + "' is not one of " + String.join(", ", LOSSES));
            atLeast("threads", threads, 1);
            atLeast("checkpoint_every", checkpointEvery, 1);
            check(saveIterates >= 0, "save_iterates", saveIterates + " must be >= 0 (0: off; N: θ every N steps)");
            check(lrs == null || !lrs.isEmpty(), "lrs", "the list is empty");
            check(seeds == null || !seeds.isEmpty(), "seeds", "the list is empty");
            check(initScale > 0 && Double.isFinite(initScale), "init_scale", initScale + " must be a number > 0");
            for (double lr : lrs == null ? List.<Double>of() : lrs) {
                check(lr > 0 && Double.isFinite(lr), "lrs", "learning rate " + lr + " must be positive");
            }
        }
    }

    /** The keys of the {@code optimizer:} section every optimizer has; its own keys come from {@link Optimizers}. */
    public record OptimizerKeys(
            @Param(value = "gd", doc = "update rule: " + "gd, sgd, momentum, nesterov, rmsprop, adam, ngd, dal, dal-p, sam, asam, sgld") String name,
            @Param(value = Param.NONE, doc = "learning rate h (or a top-level list lrs)") Double lr,
            @Param(value = Param.NONE, unit = "examples", doc = "mini-batch size (absent: full batch)") Integer batchSize,
            @Param(value = "true", doc = "reshuffle the examples every epoch") boolean shuffle,
            @Param(value = "false", doc = "draw every batch i.i.d. with replacement (the SGD theory's sampling)") boolean replacement) {
        /** Checks the rate and batch size. */
        public OptimizerKeys {
            check(lr == null || (lr > 0 && Double.isFinite(lr)), "lr", "learning rate " + lr + " must be positive");
            check(batchSize == null || batchSize >= 1, "batch_size", batchSize + " must be >= 1 (or absent for full batch)");
        }
    }

    /**
     * The update rule: its registry name, sampling and its own parameters.
     *
     * @param batchSize 0 for full batch
     * @param params the optimizer's parameter record ({@link Optimizers.Entry#params()})
     * @param regularizer the explicit penalty added to E, or null
     */
    public record Optimizer(String name, int batchSize, boolean shuffle, boolean replacement, Record params,
                            Regularizer regularizer) {
        /** The registry entry. */
        public Optimizers.Entry<?> entry() {
            return Optimizers.get(name);
        }
    }

    /** The key of the optional {@code regularizer:} section every regulariser has; its own keys come from {@link Regularizers}. */
    public record RegularizerKeys(
            @Param(value = Param.REQUIRED, doc = "penalty: igr, grad-norm, fisher, micro-batch, hessian-trace, gtracer") String name) {}

    /**
     * The explicit penalty: its registry name and parameters (any optimizer then descends E + α·P).
     *
     * @param params the regulariser's parameter record ({@link Regularizers.Entry#params()})
     */
    public record Regularizer(String name, Record params) {
        /** The registry entry. */
        public Regularizers.Entry<?> entry() {
            return Regularizers.get(name);
        }
    }

    /** The learning-rate schedule: constant, step drops at {@code at} by {@code factor}, or cosine to min·h. */
    public record ScheduleSpec(
            @Param(value = "constant", doc = "constant, step or cosine") String name,
            @Param(value = "[]", unit = "steps", doc = "steps of the drops of a step schedule") List<Long> at,
            @Param(value = "0.1", doc = "factor of each drop of a step schedule") double factor,
            @Param(value = "0.0", doc = "final rate of a cosine schedule, as a fraction of h") double min,
            @Param(value = "0", unit = "steps", doc = "linear warm-up") long warmup) {
        /** Checks the name and a step schedule's drops. */
        public ScheduleSpec {
            at = List.copyOf(at);
            check(List.of("constant", "step", "cosine").contains(name), "name", "'" + name
                    + "' is not one of constant, step, cosine");
            check(!name.equals("step") || !at.isEmpty(), "at", "a step schedule needs the steps of its drops, e.g. at: [500]");
        }
    }

    /** Stop conditions; absent thresholds are off. */
    public record Stop(
            @Param(value = "1000", unit = "steps", doc = "step cap") long steps,
            @Param(value = Param.NONE, doc = "stop when the training loss falls below this") Double lossBelow,
            @Param(value = Param.NONE, doc = "stop when the training accuracy reaches this") Double accuracyAbove,
            @Param(value = Param.NONE, doc = "loss above which a run counts as diverged (absent: 1000·max(1, E(θ₀)))") Double divergeAbove) {
        /** At least one step. */
        public Stop {
            atLeast("steps", steps, 1);
        }
    }

    /** The sub-runs: every (h, seed) pair. */
    public List<SubRun> subRuns() {
        List<SubRun> runs = new ArrayList<>();
        for (double lr : lrs) {
            for (long seed : seeds) {
                runs.add(new SubRun(runs.size(), lr, seed));
            }
        }
        return runs;
    }

    /** One sub-run, tagged {@code r<index>} in the metrics. */
    public record SubRun(int index, double lr, long seed) {
        /** The tag in the {@code run} column. */
        public String tag() {
            return "r" + index;
        }
    }

    // ------------------------------------------------------------------ parsing

    /**
     * The section records that declare a tree's keys, by section path ("" for the top level; the optimizer's own
     * record under {@code optimizer (NAME)}), for {@code driftlab show}.
     */
    public static Map<String, Class<? extends Record>> sections(Map<String, Object> tree) {
        Map<String, Class<? extends Record>> m = new LinkedHashMap<>();
        m.put("", Top.class);
        m.put("optimizer", OptimizerKeys.class);
        Object opt = section(tree, "optimizer").get("name");
        Optimizers.Entry<?> e = Optimizers.get(opt == null ? "gd" : String.valueOf(opt));
        if (Params.schema(e.params()).size() > 0) {
            m.put("optimizer (" + e.name() + ")", e.params());
        }
        if (tree.get("regularizer") != null) {
            m.put("regularizer", RegularizerKeys.class);
            Object reg = section(tree, "regularizer").get("name");
            if (reg != null) {
                Regularizers.Entry<?> r = Regularizers.get(String.valueOf(reg));
                m.put("regularizer (" + r.name() + ")", r.params());
            }
        }
        m.put("schedule", ScheduleSpec.class);
        for (Probes.Entry<?> p : Probes.entries()) {
            m.put("probes (" + p.key() + ")", p.params());
        }
        m.put("stop", Stop.class);
        return m;
    }

    private static Map<?, ?> section(Map<String, Object> root, String key) {
        Object v = root.get(key);
        if (v != null && !(v instanceof Map)) {
            throw new DriftlabException(key + ": expected a section of keys, got '" + v + "'");
        }
        return v == null ? Map.of() : (Map<?, ?>) v;
    }

    /** Validates a YAML tree (the {@code quick} section must already be applied or is ignored). */
    public static Spec fromMap(Map<String, Object> root) {
        Top top = Params.bind(Top.class, root, "", Map.of(), SECTIONS);

        Map<?, ?> optYaml = section(root, "optimizer");
        Object optName = optYaml.get("name");
        Optimizers.Entry<?> entry = Optimizers.get(optName == null ? "gd" : String.valueOf(optName));
        OptimizerKeys keys = Params.bind(OptimizerKeys.class, optYaml, "optimizer", Map.of(), Params.keys(entry.params()));
        Record own = Params.bind(entry.params(), optYaml, "optimizer", Map.of(), Params.keys(OptimizerKeys.class));
        int batch = keys.batchSize() == null ? 0 : keys.batchSize();
        if (entry.batches() == Optimizers.Batches.NEVER && batch != 0) {
            throw new DriftlabException("optimizer.batch_size: " + entry.name() + " is full-batch; use name: sgd for mini-batches");
        }
        if (entry.batches() == Optimizers.Batches.REQUIRED && batch == 0) {
            throw new DriftlabException("optimizer.batch_size: " + entry.name() + " needs a batch size");
        }
        if (keys.replacement() && batch == 0) {
            throw new DriftlabException("optimizer.replacement: needs a batch_size (full batch draws nothing)");
        }
        Regularizer regularizer = null;
        if (root.get("regularizer") != null) {
            Map<?, ?> regYaml = section(root, "regularizer");
            Object regName = regYaml.get("name");
            Regularizers.Entry<?> reg = regName == null ? null : Regularizers.get(String.valueOf(regName));
            // without a name only its absence is reported (the other keys cannot be judged yet)
            RegularizerKeys rk = Params.bind(RegularizerKeys.class, regYaml, "regularizer", Map.of(),
                    reg == null ? regYaml.keySet().stream().map(String::valueOf).toList() : Params.keys(reg.params()));
            regularizer = new Regularizer(rk.name(), Params.bind(reg.params(), regYaml, "regularizer", Map.of(),
                    Params.keys(RegularizerKeys.class)));
        }
        Optimizer optimizer = new Optimizer(entry.name(), batch, keys.shuffle(), keys.replacement(), own, regularizer);

        List<Double> lrs;
        if (top.lrs() != null) {
            lrs = top.lrs();
        } else if (keys.lr() != null) {
            lrs = List.of(keys.lr());
        } else {
            throw new DriftlabException("optimizer.lr: missing (or give a list 'lrs' at top level)");
        }
        boolean dal = entry.name().equals("dal") || entry.name().equals("dal-p");
        if (dal && lrs.size() > 1) {
            throw new DriftlabException("lrs: " + entry.name() + " chooses its own h = min(2/ζ^p, h_max), so a sweep over "
                    + "lrs would repeat one run; give one optimizer.lr");
        }
        if (dal && regularizer != null && regularizer.params() instanceof Regularizers.IgrParams igr && igr.coef() == null) {
            throw new DriftlabException("regularizer.coef: igr's default h/4 uses the spec's h, which " + entry.name()
                    + " ignores; give coef explicitly");
        }
        List<Long> seeds = top.seeds() != null ? top.seeds() : List.of(top.seed());

        ScheduleSpec schedule = Params.bind(ScheduleSpec.class, section(root, "schedule"), "schedule");
        Map<String, Object> probeDefaults = new java.util.HashMap<>();
        if (top.testData() != null) {
            probeDefaults.put("test", 10);
        }
        Map<?, ?> probeSection = section(root, "probes");
        Object perLayer = probeSection == null ? null : probeSection.get("per_layer");
        if (perLayer != null && !"0".equals(String.valueOf(perLayer)) && top.model() != null
                && org.driftlab.nn.Networks.isNetwork(top.model())) {
            // per-layer columns name the model's parameter groups (one-line edit for the per-layer probe)
            probeDefaults.put("per_layer_groups", org.driftlab.nn.Networks.groupNames(top.model()));
        }
        Probes.Settings probes = Probes.bind(probeSection, probeDefaults);
        if (probes.every("test") > 0 && top.testData() == null) {
            throw new DriftlabException("probes.test: needs test_data");
        }
        Stop stop = Params.bind(Stop.class, section(root, "stop"), "stop");
        return new Spec(top.name(), top.description(), top.model(), top.data(), top.testData(), top.loss(), optimizer,
                lrs, seeds, top.threads(), schedule, probes, stop, top.checkpointEvery(), top.saveIterates(), top.initScale());
    }

    /**
     * This spec with one dotted key set ({@code optimizer.lr}, {@code seed}, {@code model}, {@code probes.k},
     * ...) and validated as a file would be: an unknown key or a value of the wrong type is a user error naming the
     * key. Setting {@code optimizer.lr} replaces the list {@code lrs}, and {@code seed} replaces {@code seeds}.
     */
    public Spec with(String key, Object value) {
        Map<String, Object> tree = toMap();
        SpecLoader.set(tree, key, value);
        return fromMap(tree);
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
        o.putAll(Params.toMap(optimizer.params()));
        m.put("optimizer", o);
        if (optimizer.regularizer() != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", optimizer.regularizer().name());
            r.putAll(Params.toMap(optimizer.regularizer().params()));
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
        m.put("probes", probes.toMap());
        m.put("stop", Params.toMap(stop));
        m.put("checkpoint_every", checkpointEvery);
        if (saveIterates > 0) {
            m.put("save_iterates", saveIterates);
        }
        if (initScale != 1) {
            m.put("init_scale", initScale);
        }
        return m;
    }

    /** A builder of a training spec in code, typed section by section; {@link Builder#build} validates it as a file. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Builds a spec from typed parts: the optimizer's, regulariser's and probes' own {@link Param} records
     * ({@link Optimizers}, {@link Regularizers}, {@link Probes}) and the top-level values. Every probe starts off;
     * {@link #probe} switches one on with its record. {@link #build} goes through {@link Spec#fromMap}, so a spec
     * built in code is checked exactly as a spec file is (one validation, with the same messages).
     */
    public static final class Builder {
        private final Map<String, Object> tree = new LinkedHashMap<>();
        private final Map<String, Object> probes = new LinkedHashMap<>();
        private final Map<String, Object> stop = new LinkedHashMap<>();
        private final Map<String, Object> regularizer = new LinkedHashMap<>();
        private String optimizer = "gd";
        private Record optimizerParams;
        private int batchSize;
        private Double lr;

        private Builder(String name) {
            tree.put("name", name);
            for (Probes.Entry<?> e : Probes.entries()) {
                probes.put(e.key(), 0);
            }
        }

        /** The model, training data and loss ({@code data} "none" for an analytic objective). */
        public Builder network(String model, String data, String loss) {
            tree.put("model", model);
            tree.put("data", data);
            tree.put("loss", loss);
            return this;
        }

        /** Held-out data for the test probe. */
        public Builder testData(String source) {
            tree.put("test_data", source);
            return this;
        }

        /** An optimizer with its parameters' defaults (gd, sgd, ngd have none). */
        public Builder optimizer(String name) {
            optimizer = Optimizers.get(name).name();
            optimizerParams = null;
            return this;
        }

        /** An optimizer with its own parameter record (e.g. {@link Optimizers.SamParams}). */
        public Builder optimizer(String name, Record params) {
            Optimizers.Entry<?> e = Optimizers.get(name);
            if (!e.params().isInstance(params)) {
                throw new IllegalArgumentException(name + " takes " + e.params().getSimpleName() + ", not "
                        + params.getClass().getSimpleName());
            }
            optimizer = name;
            optimizerParams = params;
            return this;
        }

        /** Mini-batches of B examples (0: full batch). */
        public Builder batchSize(int b) {
            batchSize = b;
            return this;
        }

        /** One learning rate h. */
        public Builder lr(double h) {
            tree.remove("lrs");
            lr = h;
            return this;
        }

        /** One sub-run per learning rate. */
        public Builder lrs(List<Double> hs) {
            lr = null;
            tree.put("lrs", new ArrayList<>(hs));
            return this;
        }

        /** The explicit penalty: a {@link Regularizers} entry's record (e.g. {@link Regularizers.FisherParams}). */
        public Builder regularizer(String name, Record params) {
            Regularizers.Entry<?> e = Regularizers.get(name);
            if (!e.params().isInstance(params)) {
                throw new IllegalArgumentException(name + " takes " + e.params().getSimpleName() + ", not "
                        + params.getClass().getSimpleName());
            }
            regularizer.clear();
            regularizer.put("name", name);
            regularizer.putAll(Params.toMap(params));
            return this;
        }

        /** One sub-run per seed. */
        public Builder seeds(List<Long> seeds) {
            tree.put("seeds", new ArrayList<>(seeds));
            return this;
        }

        /** Worker threads of the kernels. */
        public Builder threads(int n) {
            tree.put("threads", n);
            return this;
        }

        /** Switches a probe on: its registry record (e.g. {@code new Probes.SharpnessParams(20, 1, 20)}). */
        public Builder probe(Record params) {
            for (Probes.Entry<?> e : Probes.entries()) {
                if (e.params().isInstance(params)) {
                    probes.putAll(Params.toMap(params));
                    return this;
                }
            }
            throw new IllegalArgumentException(params.getClass().getSimpleName() + " is not a probe's record");
        }

        /** The step cap. */
        public Builder steps(long n) {
            stop.put("steps", n);
            return this;
        }

        /** The loss above which a sub-run counts as diverged. */
        public Builder divergeAbove(double bound) {
            stop.put("diverge_above", bound);
            return this;
        }

        /** Checkpoint period. */
        public Builder checkpointEvery(int n) {
            tree.put("checkpoint_every", n);
            return this;
        }

        /** Keep θ every n steps (iterates_TAG.npz). */
        public Builder saveIterates(int n) {
            tree.put("save_iterates", n);
            return this;
        }

        /** Factor on θ₀. */
        public Builder initScale(double s) {
            tree.put("init_scale", s);
            return this;
        }

        /** The validated spec. */
        public Spec build() {
            Map<String, Object> m = new LinkedHashMap<>(tree);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", optimizer);
            if (lr != null) {
                o.put("lr", lr);
            }
            if (batchSize > 0) {
                o.put("batch_size", batchSize);
            }
            if (optimizerParams != null) {
                o.putAll(Params.toMap(optimizerParams));
            }
            m.put("optimizer", o);
            if (!regularizer.isEmpty()) {
                m.put("regularizer", new LinkedHashMap<>(regularizer));
            }
            m.put("probes", new LinkedHashMap<>(probes));
            m.put("stop", new LinkedHashMap<>(stop));
            return fromMap(m);
        }
    }

    @Override
    public String toString() {
        return "Spec[" + name + ", " + model + ", " + data + ", " + optimizer.name() + ", lrs=" + lrs + ", seeds="
                + seeds + ", steps=" + stop.steps() + ", schedule=" + schedule.name() + "]";
    }
}
