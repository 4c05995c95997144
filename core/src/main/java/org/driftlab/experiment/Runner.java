package org.driftlab.experiment;

import org.driftlab.data.AtomicFiles;
import org.driftlab.data.DirectoryLock;
import org.driftlab.data.Npy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.linalg.Vectors;
import org.driftlab.objective.Objective;
import org.driftlab.optim.Schedule;
import org.driftlab.optim.UpdateRule;
import org.driftlab.tensor.Parallel;

/**
 * Runs a spec into a run directory: each sub-run of the sweep in turn, probes at their frequencies, stop
 * conditions, atomic checkpoints every {@code checkpoint_every} steps, and a resumable layout:
 * <pre>
 *   spec.yaml  metrics.csv  metrics.jsonl  provenance.json  checkpoint.bin  theta_final_rI.npy
 *   [iterates_rI.npz with save_iterates]
 * </pre>
 * A run killed at any moment and continued with {@link #resume} ends with exactly the rows and the final θ of an
 * uninterrupted run: metrics files are only (re)written together with a checkpoint, and resume truncates them
 * to the checkpoint's row count before recomputing from its state.
 */
public final class Runner {
    /** Spec file name in a run directory. */
    public static final String SPEC = "spec.yaml";
    /** Provenance file name. */
    public static final String PROVENANCE = Provenance.FILE;

    private final Spec spec;
    private final Path dir;
    private final Options options;
    private Metrics log;
    /** The edge-of-stability verdict of each finished sub-run that measured sharpness, by tag. */
    private final Map<String, EdgeOfStability.Verdict> edges = new LinkedHashMap<>();
    /** The data each sub-run trained on (description and checksum), by tag, for provenance. */
    private final Map<String, Map<String, Object>> data = new LinkedHashMap<>();

    /** Progress callbacks (a progress bar on a terminal, log lines otherwise). */
    public interface Listener {
        /** The data a sub-run trains on, including where it came from (e.g. installed or embedded Fashion-MNIST). */
        default void data(Spec.SubRun run, String description) {}

        /** A sub-run starts (or resumes) at step from. */
        default void started(Spec.SubRun run, long from, long total) {}

        /** After each step; loss and sharpness are the latest measured values (NaN if none yet). */
        default void progress(Spec.SubRun run, long step, long total, double loss, double sharpness) {}

        /** A sub-run ended. */
        default void finished(Spec.SubRun run, Outcome outcome) {}

        /** A sub-run that measured sharpness was judged at its end (once; also stored in provenance.json). */
        default void judged(Spec.SubRun run, EdgeOfStability.Verdict edge) {}
    }

    /** Called after every step (tests use it to simulate a kill). */
    @FunctionalInterface
    public interface StepHook {
        /** After step t of the sub-run and its checkpoint (if any) have been handled. */
        void afterStep(int subRun, long step);
    }

    /** How to run: where objectives and eigenvalues come from, who listens. */
    public record Options(ObjectiveFactory factory, EigenSolver solver, Listener listener, StepHook hook) {
        /** The defaults: networks and data from their spec strings (NetProblemFactory), internal Lanczos, silent. */
        public static Options defaults() {
            return new Options(ObjectiveFactories.DEFAULT, EigenSolver.DEFAULT, new Listener() {}, (r, t) -> {});
        }

        /** With another listener. */
        public Options withListener(Listener l) {
            return new Options(factory, solver, l, hook);
        }

        /** With another hook. */
        public Options withHook(StepHook h) {
            return new Options(factory, solver, listener, h);
        }
    }

    private Runner(Spec spec, Path dir, Options options) {
        this.spec = spec;
        this.dir = dir;
        this.options = options;
    }

    /**
     * Keys of a resolved spec that define the problem and its sub-runs: a resume cannot continue a run under another
     * value of these, even as a new segment ({@link RunIdentity}).
     */
    public static final java.util.Set<String> FIXED_KEYS = java.util.Set.of("model", "data", "test_data", "loss",
            "optimizer.name", "optimizer.batch_size", "regularizer.name", "lrs", "seeds");

    /**
     * Starts a fresh run in dir, which must not exist or be empty. Everything is checked first (the spec's data,
     * model and memory; see {@link #check}), so that a refused run leaves no directory behind; the directory is then
     * claimed and locked for the life of the run ({@link DirectoryLock}). A run that fails before its first
     * checkpoint (nothing to resume) removes the directory again.
     */
    public static RunResult start(Spec spec, Path dir, Options options) {
        if (Files.exists(dir.resolve(SPEC))) {
            throw new DriftlabException(dir + " already holds a run; use 'driftlab resume " + dir + "' or another --out");
        }
        check(spec, options);
        DirectoryLock lock = DirectoryLock.create(dir, "run");
        try {
            AtomicFiles.writeString(dir.resolve(SPEC), SpecLoader.toYaml(spec));
            Runner r = new Runner(spec, dir, options);
            r.log = RunColumns.table(spec.probes());
            Map<String, Object> prov = r.newProvenance();
            return r.execute(new Checkpoint(List.of(), 0, null), prov);
        } catch (RuntimeException | Error e) {
            if (!Checkpoint.exists(dir)) {
                lock.discard();
            }
            throw e;
        } finally {
            lock.close();
        }
    }

    /** Checks what the run needs before anything is created (see {@link ObjectiveFactory#check}). */
    public static void check(Spec spec, Options options) {
        options.factory().check(spec);
    }

    /** Continues a run from its latest checkpoint (a finished run is left as is); a changed spec is refused. */
    public static RunResult resume(Path dir, Options options) {
        return resume(dir, options, false);
    }

    /**
     * Continues a run from its latest checkpoint, holding the directory's lock. The spec file and the code must be
     * those the run started with ({@link RunIdentity}), unless newSegment accepts a change (except to
     * {@link #FIXED_KEYS}) and records it in provenance. A finished run is left exactly as it is: nothing is written
     * and its result is returned.
     *
     * @param dir        the run directory
     * @param options    how to run
     * @param newSegment whether a changed spec or code is accepted as a new segment
     * @return the run's result
     */
    public static RunResult resume(Path dir, Options options, boolean newSegment) {
        requireRunDir(dir);
        try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
            return resumeLocked(dir, options, newSegment);
        }
    }

    /** A directory that holds a run, or a one-line error saying what it holds instead. */
    static void requireRunDir(Path dir) {
        if (Files.exists(dir.resolve(SPEC))) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new DriftlabException(dir + (Files.exists(dir) ? " is a file" : " does not exist")
                    + "; resume takes a run, study or sweep directory");
        }
        if (!DirectoryLock.holdsNothing(dir)) {
            throw new DriftlabException(dir + " is not a run directory (no " + SPEC + ")");
        }
        if (!Files.exists(dir.resolve(DirectoryLock.FILE))) { // never claimed by a driftlab: nothing was killed there
            throw new DriftlabException(dir + " is empty; resume takes a run, study or sweep directory");
        }
        // only a lock: a start killed before its first write, or one still on its way to it, which must be refused
        // as busy rather than called killed; the lock says which (and the temporaries of the killed one go)
        try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
            AtomicFiles.cleanTemporaries(dir);
        }
        throw new DriftlabException(dir + " holds nothing to resume: its run, study or sweep was killed before its "
                + "first checkpoint; start it again with the same command (the same --out can be used)");
    }

    /**
     * True when the run in dir has finished: every sub-run has an outcome in the checkpoint and provenance records
     * the end. Reads only; a finished run never becomes unfinished, so no lock is needed.
     */
    public static boolean isFinished(Path dir) {
        if (!Files.exists(dir.resolve(SPEC)) || !Checkpoint.exists(dir)) {
            return false;
        }
        Checkpoint cp = Checkpoint.read(dir);
        Spec spec = Spec.fromMap(SpecLoader.readYaml(dir.resolve(SPEC)));
        return cp.current() == null && cp.finished().size() == spec.subRuns().size()
                && Provenance.read(dir).get("end") != null;
    }

    private static RunResult resumeLocked(Path dir, Options options, boolean newSegment) {
        Map<String, Object> prov = Provenance.read(dir);
        RunIdentity.verify(prov, dir.resolve(SPEC), FIXED_KEYS, newSegment, "driftlab resume " + dir
                + " --new-segment");
        Spec spec = Spec.fromMap(SpecLoader.readYaml(dir.resolve(SPEC)));
        AtomicFiles.cleanTemporaries(dir);
        Runner r = new Runner(spec, dir, options);
        Checkpoint cp = Checkpoint.read(dir);
        if (cp == null) {
            cp = new Checkpoint(List.of(), 0, null);
        }
        r.log = Metrics.read(dir, RunColumns.of(spec.probes()), RunColumns.FORMATS);
        r.log.truncate(cp.rowCount());
        if (prov.isEmpty()) {
            prov = r.newProvenance();
        }
        if (prov.get("outcomes") instanceof List<?> done) { // the data of sub-runs finished before the interruption
            for (Object o : done) {
                if (o instanceof Map<?, ?> m && m.get("data") instanceof Map<?, ?> d) {
                    r.data.put(String.valueOf(m.get("run")), new LinkedHashMap<>(castMap(d)));
                }
                if (o instanceof Map<?, ?> m && m.get("edge") instanceof Map<?, ?> e) {
                    r.edges.put(String.valueOf(m.get("run")), EdgeOfStability.Verdict.fromMap(e));
                }
            }
        }
        for (Outcome o : cp.finished()) { // judged by a driftlab that stored no verdict: judge once, now
            if (!r.edges.containsKey(o.run()) && spec.probes().every("sharpness") > 0) {
                r.edges.put(o.run(), EdgeOfStability.judge(r.log.where("run", Long.parseLong(o.run().substring(1))),
                        EdgeOfStability.phaseStarts(spec)));
            }
        }
        if (cp.current() == null && cp.finished().size() == spec.subRuns().size() && prov.get("end") != null) {
            List<EdgeOfStability.Verdict> judged = new ArrayList<>();
            for (Outcome o : cp.finished()) {
                judged.add(r.edges.get(o.run()));
            }
            return new RunResult(dir, spec, cp.finished(), r.log, judged); // finished: nothing to do, nothing written
        }
        @SuppressWarnings("unchecked")
        List<Object> resumed = (List<Object>) prov.computeIfAbsent("resumed", k -> new ArrayList<>());
        resumed.add(Instant.now().toString());
        return r.execute(cp, prov);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    /** Runs the remaining sub-runs with the spec's thread count for this thread only (runners may run side by side). */
    private RunResult execute(Checkpoint cp, Map<String, Object> prov) {
        return Parallel.withThreads(spec.threads(), () -> executeHere(cp, prov));
    }

    private RunResult executeHere(Checkpoint cp, Map<String, Object> prov) {
        List<Spec.SubRun> runs = spec.subRuns();
        List<Outcome> finished = new ArrayList<>(cp.finished());
        Checkpoint.Current current = cp.current();
        for (int i = finished.size(); i < runs.size(); i++) {
            Spec.SubRun run = runs.get(i);
            if (current != null && current.subRun() != i) {
                throw new DriftlabException("checkpoint is for sub-run " + current.subRun() + " but " + i + " is next");
            }
            Outcome o = runOne(run, current, finished, prov);
            current = null;
            finished.add(o);
            if (spec.probes().every("sharpness") > 0) { // judged once, here; provenance, report and console read it
                EdgeOfStability.Verdict e = EdgeOfStability.judge(log.where("run", run.index()),
                        EdgeOfStability.phaseStarts(spec));
                edges.put(run.tag(), e);
                options.listener().judged(run, e);
            }
            log.write(dir);
            new Checkpoint(finished, log.size(), null).write(dir);
            prov.put("outcomes", outcomesJson(finished));
            writeProvenance(prov);
            options.listener().finished(run, o);
        }
        prov.put("end", Instant.now().toString());
        prov.put("outcomes", outcomesJson(finished));
        writeProvenance(prov);
        List<EdgeOfStability.Verdict> judged = new ArrayList<>();
        for (Outcome o : finished) {
            judged.add(edges.get(o.run()));
        }
        return new RunResult(dir, spec, finished, log, judged);
    }

    private Outcome runOne(Spec.SubRun run, Checkpoint.Current state, List<Outcome> finished, Map<String, Object> prov) {
        ObjectiveFactory.Problem problem = options.factory().create(spec, run.seed());
        Map<String, Object> used = new LinkedHashMap<>();
        used.put("description", problem.dataDescription());
        used.put("checksum", problem.dataChecksum());
        data.put(run.tag(), used);
        options.listener().data(run, problem.dataDescription());
        Objective train = problem.train();
        UpdateRule rule = Rules.create(spec.optimizer(), train.numExamples(), run.seed());
        Schedule schedule = Rules.schedule(spec);
        Map<String, Probe> probes = spec.probes().build(options.solver());
        long steps = spec.stop().steps();

        long t;
        double time;
        double[] theta;
        double[] theta0;
        double[] lastGrad;
        double lastCos;
        double bound;
        Outcome outcome = null;
        if (state == null) {
            theta0 = problem.initialTheta().clone();
            theta = theta0.clone();
            t = 0;
            time = 0;
            lastGrad = null;
            lastCos = Double.NaN;
            double e0 = train.value(theta0);
            bound = spec.stop().divergeAbove() != null ? spec.stop().divergeAbove() : 1000 * Math.max(1, Math.abs(e0));
        } else {
            theta = state.theta().clone();
            theta0 = state.theta0().clone();
            t = state.step();
            time = state.time();
            lastGrad = state.lastGradient().length == 0 ? null : state.lastGradient().clone();
            lastCos = state.lastCosine();
            bound = state.divergeBound();
            rule.restore(state.rule());
            for (Map.Entry<String, double[]> e : state.probeStates().entrySet()) {
                Probe p = probes.get(e.getKey());
                if (p != null) {
                    p.restore(e.getValue());
                }
            }
        }
        Iterates iterates = spec.saveIterates() == 0 ? null
                : state == null ? Iterates.start(dir, run.tag()) : Iterates.resume(dir, run.tag(), t);
        if (iterates != null && state == null) {
            iterates.add(0, theta);
        }
        options.listener().started(run, t, steps);
        double[] latest = {Double.NaN, Double.NaN}; // loss, sharpness for progress display only
        if (state == null) {
            Map<String, Double> row = measure(run, 0, 0, schedule, probes, true, theta, theta0, train, problem, lastCos);
            outcome = checkStop(run, row, 0, bound);
            log.add(row);
            note(row, latest);
        }
        while (outcome == null) {
            if (t >= steps) {
                outcome = new Outcome(run.tag(), run.lr(), run.seed(), Outcome.COMPLETED, t, lastLoss(run));
                break;
            }
            double h = schedule.rate(t, run.lr());
            UpdateRule.Step s = rule.step(train, theta, t, h);
            int at = lastRowIsStep(run, t) ? log.size() - 1 : -1;
            if (at >= 0) {
                log.set(at, RunColumns.STEP_LOSS, s.loss()); // the loss the update from θ_t computed
            }
            if (!Double.isFinite(s.loss()) || s.loss() > bound) {
                outcome = new Outcome(run.tag(), run.lr(), run.seed(), Outcome.DIVERGED, t, s.loss());
                if (at < 0) {
                    Map<String, Double> row = baseRow(run, t, time, schedule);
                    row.put("train_loss", s.loss()); // the loss at θ_t computed by the step itself
                    row.put(RunColumns.STEP_LOSS, s.loss());
                    log.add(row);
                }
                break;
            }
            lastCos = lastGrad == null ? Double.NaN : cosine(lastGrad, s.gradient());
            lastGrad = s.gradient();
            theta = s.theta();
            t++;
            time += rule.lastStepRate(h);
            if (iterates != null && t % spec.saveIterates() == 0) {
                iterates.add(t, theta);
            }
            boolean last = t == steps;
            Map<String, Double> row = measure(run, t, time, schedule, probes, last, theta, theta0, train, problem, lastCos);
            outcome = checkStop(run, row, t, bound);
            if (outcome != null && !last && !outcome.outcome().equals(Outcome.DIVERGED)) {
                row = measure(run, t, time, schedule, probes, true, theta, theta0, train, problem, lastCos);
            }
            if (row.size() > RunColumns.BASE.size() || last) { // more than the identifying columns: some probe was due
                log.add(row);
            }
            note(row, latest);
            options.listener().progress(run, t, steps, latest[0], latest[1]);
            if (outcome == null && t % spec.checkpointEvery() == 0) {
                if (iterates != null) {
                    iterates.write(); // before the checkpoint: the file always reaches at least its step
                }
                log.write(dir);
                Map<String, double[]> states = new LinkedHashMap<>();
                for (Map.Entry<String, Probe> e : probes.entrySet()) {
                    if (e.getValue().state().length > 0) {
                        states.put(e.getKey(), e.getValue().state());
                    }
                }
                new Checkpoint(finished, log.size(), new Checkpoint.Current(run.index(), t, time, theta, theta0,
                        lastGrad == null ? new double[0] : lastGrad, lastCos, rule.state(), states, bound)).write(dir);
            }
            options.hook().afterStep(run.index(), t);
        }
        if (iterates != null) {
            iterates.add(t, theta);
            iterates.write();
        }
        Npy.write(dir.resolve("theta_final_" + run.tag() + ".npy"), theta);
        return outcome;
    }

    /** The last measured training loss of a sub-run in the log (survives a resume, unlike local state). */
    private double lastLoss(Spec.SubRun run) {
        return log.where("run", run.index()).last("train_loss");
    }

    private boolean lastRowIsStep(Spec.SubRun run, long t) {
        int n = log.size() - 1;
        return n >= 0 && log.get(n, "run") == run.index() && log.get(n, "step") == t;
    }

    private static void note(Map<String, Double> row, double[] latest) {
        if (row.get("train_loss") != null) {
            latest[0] = row.get("train_loss");
        }
        if (row.get("sharpness") != null) {
            latest[1] = row.get("sharpness");
        }
    }

    private Map<String, Double> baseRow(Spec.SubRun run, long t, double time, Schedule schedule) {
        Map<String, Double> row = new LinkedHashMap<>();
        row.put("run", (double) run.index());
        row.put("lr", run.lr());
        row.put("seed", (double) run.seed());
        row.put("step", (double) t);
        row.put("time", time);
        row.put("h", schedule.rate(t, run.lr()));
        return row;
    }

    private Map<String, Double> measure(Spec.SubRun run, long t, double time, Schedule schedule, Map<String, Probe> probes,
                                        boolean all, double[] theta, double[] theta0, Objective train,
                                        ObjectiveFactory.Problem problem, double cos) {
        Map<String, Double> row = baseRow(run, t, time, schedule);
        Probe.Context c = new Probe.Context(t, theta, theta0, train, problem.test(), cos);
        for (Probe p : probes.values()) {
            if (all || t % p.every() == 0) {
                p.measure(c, row);
            }
        }
        return row;
    }

    private Outcome checkStop(Spec.SubRun run, Map<String, Double> row, long t, double bound) {
        Double loss = row.get("train_loss");
        if (loss == null) {
            return null;
        }
        if (!Double.isFinite(loss) || loss > bound) {
            return new Outcome(run.tag(), run.lr(), run.seed(), Outcome.DIVERGED, t, loss);
        }
        if (spec.stop().lossBelow() != null && loss < spec.stop().lossBelow()) {
            return new Outcome(run.tag(), run.lr(), run.seed(), Outcome.LOSS_THRESHOLD, t, loss);
        }
        if (spec.stop().accuracyAbove() != null && row.get("train_accuracy") != null
                && row.get("train_accuracy") >= spec.stop().accuracyAbove()) {
            return new Outcome(run.tag(), run.lr(), run.seed(), Outcome.ACCURACY_THRESHOLD, t, loss);
        }
        return null;
    }

    private static double cosine(double[] a, double[] b) {
        double na = Vectors.norm(a);
        double nb = Vectors.norm(b);
        return na == 0 || nb == 0 ? Double.NaN : Vectors.dot(a, b) / (na * nb);
    }

    // ------------------------------------------------------------------ provenance

    private Map<String, Object> newProvenance() {
        Map<String, Object> p = Provenance.start(spec.name());
        p.put("seeds", new ArrayList<>(spec.seeds()));
        p.put("lrs", new ArrayList<>(spec.lrs()));
        p.put("threads", spec.threads());
        RunIdentity.record(p, dir.resolve(SPEC));
        writeProvenance(p);
        return p;
    }

    private void writeProvenance(Map<String, Object> p) {
        Provenance.write(dir, p);
    }

    /**
     * The outcomes as provenance records: how each sub-run ended, its edge-of-stability verdict (computed here,
     * once, from the metrics in memory; the report and the console read it) and the data it trained on.
     */
    private List<Object> outcomesJson(List<Outcome> outcomes) {
        List<Object> out = new ArrayList<>();
        for (Outcome o : outcomes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", o.run());
            m.put("lr", o.lr());
            m.put("seed", o.seed());
            m.put("outcome", o.outcome());
            m.put("step", o.step());
            m.put("final_loss", o.finalLoss());
            EdgeOfStability.Verdict e = edges.get(o.run());
            m.put("edge", e == null ? null : e.toMap());
            m.put("data", data.get(o.run()));
            out.add(m);
        }
        return out;
    }
}
