package org.driftlab.experiment;

import org.driftlab.data.AtomicFiles;
import org.driftlab.data.Npy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.driftlab.DriftlabException;
import org.driftlab.linalg.Vectors;
import org.driftlab.objective.Objective;
import org.driftlab.optim.Schedule;
import org.driftlab.optim.UpdateRule;
import org.driftlab.report.EdgeOfStability;
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
    public static final String PROVENANCE = "provenance.json";
    /** The relative share of probes within ±10% of 2/h counts as "at the edge". */
    public static final double EDGE_TOLERANCE = 0.10;

    private final Spec spec;
    private final Path dir;
    private final Options options;
    private final List<String> columns;
    private MetricsLog log;

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
    }

    /** Called after every step (tests use it to simulate a kill). */
    @FunctionalInterface
    public interface StepHook {
        /** After step t of the sub-run and its checkpoint (if any) have been handled. */
        void afterStep(int subRun, long step);
    }

    /** How to run: where objectives and eigenvalues come from, who listens. */
    public record Options(ObjectiveFactory factory, EigenSolver solver, Listener listener, StepHook hook) {
        /** The defaults: toy factory, internal Lanczos, silent. */
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
        this.columns = MetricsLog.columnsFor(spec.probes().k());
    }

    /**
     * Starts a fresh run in dir (which must not hold a run already). The spec's data are checked first, so that a
     * missing data set leaves no directory behind.
     */
    public static List<Outcome> start(Spec spec, Path dir, Options options) {
        if (Files.exists(dir.resolve(SPEC))) {
            throw new DriftlabException(dir + " already holds a run; use 'driftlab resume " + dir + "' or another --out");
        }
        check(spec, options);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DriftlabException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        AtomicFiles.writeString(dir.resolve(SPEC), SpecLoader.toYaml(spec));
        Runner r = new Runner(spec, dir, options);
        r.log = new MetricsLog(r.columns);
        Map<String, Object> prov = r.newProvenance();
        return r.execute(new Checkpoint(List.of(), 0, null), prov);
    }

    /** Checks what the run needs before anything is created (see {@link ObjectiveFactory#check}). */
    public static void check(Spec spec, Options options) {
        options.factory().check(spec);
    }

    /** Continues a run from its latest checkpoint (a finished run is left as is). */
    public static List<Outcome> resume(Path dir, Options options) {
        if (!Files.exists(dir.resolve(SPEC))) {
            throw new DriftlabException(dir + " is not a run directory (no " + SPEC + ")");
        }
        Spec spec = Spec.fromMap(SpecLoader.readYaml(dir.resolve(SPEC)));
        AtomicFiles.cleanTemporaries(dir);
        Runner r = new Runner(spec, dir, options);
        Checkpoint cp = Checkpoint.read(dir);
        if (cp == null) {
            cp = new Checkpoint(List.of(), 0, null);
        }
        r.log = MetricsLog.read(dir, r.columns);
        r.log.truncate(cp.rowCount());
        Map<String, Object> prov = r.readProvenance();
        @SuppressWarnings("unchecked")
        List<Object> resumed = (List<Object>) prov.computeIfAbsent("resumed", k -> new ArrayList<>());
        resumed.add(Instant.now().toString());
        return r.execute(cp, prov);
    }

    private List<Outcome> execute(Checkpoint cp, Map<String, Object> prov) {
        Parallel.setThreads(spec.threads());
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
            log.write(dir);
            new Checkpoint(finished, log.size(), null).write(dir);
            prov.put("outcomes", outcomesJson(finished));
            writeProvenance(prov);
            options.listener().finished(run, o);
        }
        prov.put("end", Instant.now().toString());
        prov.put("outcomes", outcomesJson(finished));
        writeProvenance(prov);
        return finished;
    }

    private Outcome runOne(Spec.SubRun run, Checkpoint.Current state, List<Outcome> finished, Map<String, Object> prov) {
        ObjectiveFactory.Problem problem = options.factory().create(spec, run.seed());
        if (!prov.containsKey("data")) {
            prov.put("data", problem.dataDescription());
            prov.put("data_checksum", problem.dataChecksum());
            writeProvenance(prov);
        }
        options.listener().data(run, problem.dataDescription());
        Objective train = problem.train();
        UpdateRule rule = Rules.create(spec.optimizer(), train.numExamples(), run.seed());
        Schedule schedule = Rules.schedule(spec);
        List<Probe> probes = Probes.fromSpec(spec.probes(), options.solver());
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
            for (Probe p : probes) {
                if (p instanceof Probes.Sharpness) {
                    p.restore(state.warmStart());
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
            Map<String, Object> row = measure(run, 0, 0, schedule, probes, true, theta, theta0, train, problem, lastCos);
            outcome = checkStop(run, row, 0, bound);
            log.add(row);
            note(row, latest);
        }
        while (outcome == null) {
            if (t >= steps) {
                outcome = new Outcome(run.tag(), run.lr(), run.seed(), Outcome.COMPLETED, t, lastLoss(run.tag()));
                break;
            }
            double h = schedule.rate(t, run.lr());
            UpdateRule.Step s = rule.step(train, theta, t, h);
            if (!Double.isFinite(s.loss()) || s.loss() > bound) {
                outcome = new Outcome(run.tag(), run.lr(), run.seed(), Outcome.DIVERGED, t, s.loss());
                if (!lastRowIsStep(run, t)) {
                    Map<String, Object> row = baseRow(run, t, time, schedule);
                    row.put("train_loss", s.loss()); // the loss at θ_t computed by the step itself
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
            Map<String, Object> row = measure(run, t, time, schedule, probes, last, theta, theta0, train, problem, lastCos);
            outcome = checkStop(run, row, t, bound);
            if (outcome != null && !last && !outcome.outcome().equals(Outcome.DIVERGED)) {
                row = measure(run, t, time, schedule, probes, true, theta, theta0, train, problem, lastCos);
            }
            if (row.size() > 6 || last) { // more than the identifying columns: some probe was due
                log.add(row);
            }
            note(row, latest);
            options.listener().progress(run, t, steps, latest[0], latest[1]);
            if (outcome == null && t % spec.checkpointEvery() == 0) {
                if (iterates != null) {
                    iterates.write(); // before the checkpoint: the file always reaches at least its step
                }
                log.write(dir);
                double[] warm = new double[0];
                for (Probe p : probes) {
                    if (p instanceof Probes.Sharpness) {
                        warm = p.state();
                    }
                }
                new Checkpoint(finished, log.size(), new Checkpoint.Current(run.index(), t, time, theta, theta0,
                        lastGrad == null ? new double[0] : lastGrad, lastCos, rule.state(), warm, bound)).write(dir);
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
    private double lastLoss(String tag) {
        int li = columns.indexOf("train_loss");
        for (int i = log.size() - 1; i >= 0; i--) {
            String[] r = log.row(i);
            if (r[0].equals(tag) && !r[li].isEmpty()) {
                return Double.parseDouble(r[li]);
            }
        }
        return Double.NaN;
    }

    private boolean lastRowIsStep(Spec.SubRun run, long t) {
        if (log.size() == 0) {
            return false;
        }
        String[] r = log.row(log.size() - 1);
        return r[0].equals(run.tag()) && r[3].equals(Long.toString(t));
    }

    private static void note(Map<String, Object> row, double[] latest) {
        if (row.get("train_loss") instanceof Double d) {
            latest[0] = d;
        }
        if (row.get("sharpness") instanceof Double d) {
            latest[1] = d;
        }
    }

    private Map<String, Object> baseRow(Spec.SubRun run, long t, double time, Schedule schedule) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("run", run.tag());
        row.put("lr", run.lr());
        row.put("seed", run.seed());
        row.put("step", t);
        row.put("time", time);
        row.put("h", schedule.rate(t, run.lr()));
        return row;
    }

    private Map<String, Object> measure(Spec.SubRun run, long t, double time, Schedule schedule, List<Probe> probes,
                                        boolean all, double[] theta, double[] theta0, Objective train,
                                        ObjectiveFactory.Problem problem, double cos) {
        Map<String, Object> row = baseRow(run, t, time, schedule);
        Probe.Context c = new Probe.Context(t, theta, theta0, train, problem.test(), cos);
        for (Probe p : probes) {
            if (all || t % p.every() == 0) {
                p.measure(c, row);
            }
        }
        return row;
    }

    private Outcome checkStop(Spec.SubRun run, Map<String, Object> row, long t, double bound) {
        if (!(row.get("train_loss") instanceof Double loss)) {
            return null;
        }
        if (!Double.isFinite(loss) || loss > bound) {
            return new Outcome(run.tag(), run.lr(), run.seed(), Outcome.DIVERGED, t, loss);
        }
        if (spec.stop().lossBelow() != null && loss < spec.stop().lossBelow()) {
            return new Outcome(run.tag(), run.lr(), run.seed(), Outcome.LOSS_THRESHOLD, t, loss);
        }
        if (spec.stop().accuracyAbove() != null && row.get("train_accuracy") instanceof Double acc
                && acc >= spec.stop().accuracyAbove()) {
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
        Map<String, Object> p = new LinkedHashMap<>();
        String v = Runner.class.getPackage().getImplementationVersion();
        p.put("driftlab_version", v == null ? "dev" : v);
        p.put("git_commit", gitCommit());
        p.put("experiment", spec.name());
        p.put("seeds", new ArrayList<>(spec.seeds()));
        p.put("lrs", new ArrayList<>(spec.lrs()));
        p.put("threads", spec.threads());
        p.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vendor") + ")");
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        p.put("start", Instant.now().toString());
        p.put("end", null);
        writeProvenance(p);
        return p;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> readProvenance() {
        Path f = dir.resolve(PROVENANCE);
        if (!Files.exists(f)) {
            return newProvenance();
        }
        return new LinkedHashMap<>(SpecLoader.readYaml(f));
    }

    private void writeProvenance(Map<String, Object> p) {
        AtomicFiles.writeString(dir.resolve(PROVENANCE), Json.write(p));
    }

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
            EdgeOfStability.Result e = edge(o.run());
            m.put("edge_first_step", e.reached() ? e.firstStep() : null);
            m.put("edge_share", e.reached() ? e.shareAtEdge() : null);
            out.add(m);
        }
        return out;
    }

    /** The edge-of-stability detectors on the sharpness rows of one sub-run. */
    private EdgeOfStability.Result edge(String tag) {
        List<long[]> steps = new ArrayList<>();
        List<double[]> vals = new ArrayList<>();
        int si = columns.indexOf("sharpness");
        for (int i = 0; i < log.size(); i++) {
            String[] r = log.row(i);
            if (r[0].equals(tag) && !r[si].isEmpty()) {
                steps.add(new long[] {Long.parseLong(r[3])});
                vals.add(new double[] {Double.parseDouble(r[si]), Double.parseDouble(r[5])});
            }
        }
        long[] s = new long[steps.size()];
        double[] sh = new double[s.length];
        double[] h = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = steps.get(i)[0];
            sh[i] = vals.get(i)[0];
            h[i] = vals.get(i)[1];
        }
        return EdgeOfStability.detect(s, sh, h, EDGE_TOLERANCE);
    }

    /** HEAD of the git checkout in the working directory, or "unknown". */
    public static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unknown";
            }
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
