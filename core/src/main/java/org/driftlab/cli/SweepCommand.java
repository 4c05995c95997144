package org.driftlab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.driftlab.DriftlabException;
import org.driftlab.experiment.EdgeOfStability;
import org.driftlab.experiment.Provenance;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.sweep.EngineOptions;
import org.driftlab.sweep.Engines;
import org.driftlab.sweep.Member;
import org.driftlab.sweep.MemberResult;
import org.driftlab.report.SweepReport;
import org.driftlab.sweep.SweepDirectory;
import org.driftlab.sweep.SweepEngine;
import org.driftlab.sweep.SweepPlan;
import org.driftlab.sweep.SweepRunner;
import org.driftlab.sweep.SweepSpec;
import org.yaml.snakeyaml.error.YAMLException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code driftlab sweep NAME|SPEC.yaml [--engine local|spark] [--parallel N] [--master URL] [--out DIR] [--quick]
 * [--set k=v ...] [--allow-large]}: every member of the spec's sweep (its {@code sweep:} section, or its
 * {@code lrs:}/{@code seeds:} lists) in one sweep directory, then the comparison report.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run every member of a spec's sweep: section (grid / zip / linspace / logspace axes over any key) "
                + "into one sweep directory with sweep.csv and a comparison report.")
final class SweepCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME|SPEC.yaml", description = "Catalogue name or path to a spec file.")
    String experiment;

    @Option(names = "--engine", paramLabel = "local|spark", description = "Where members run (default: local).")
    String engine = Engines.LOCAL;

    @picocli.CommandLine.Mixin
    ParallelOption parallel;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master for --engine spark: local[N] (default "
            + ParallelOption.DEFAULT_MASTER + "), spark://…, yarn, k8s://….")
    String master;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a spec value; an axis over the same key is dropped. sweep.grid.KEY=[…] sets an axis.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--quick", description = "Apply the spec's quick: overrides (small and fast).")
    boolean quick;

    @Option(names = "--allow-large", description = "Accept a sweep of more than " + SweepSpec.DEFAULT_LIMIT + " members.")
    boolean allowLarge;

    @Option(names = "--out", paramLabel = "DIR", description = "Sweep directory (default runs/<name>-<yyyyMMdd-HHmmss>).")
    Path out;

    @Override
    public Integer call() {
        Path file = SpecLoader.locate(experiment, SpecLoader.catalogueDir());
        List<String> specSets = new ArrayList<>();
        List<String> axisSets = new ArrayList<>();
        for (String s : sets) {
            (s.startsWith("sweep.") ? axisSets : specSets).add(s);
        }
        Map<String, Object> tree = SpecLoader.loadTree(file, quick, specSets);
        for (String s : axisSets) {
            setAxis(tree, s);
        }
        SweepPlan plan = SweepPlan.of(tree, keys(specSets), allowLarge ? SweepSpec.HARD_LIMIT : SweepSpec.DEFAULT_LIMIT,
                quick);
        return run(plan, out, engine, parallel.count, master);
    }

    /** Runs a planned sweep (also what {@code driftlab run} does with a spec that has a sweep). */
    static int run(SweepPlan plan, Path out, String engineName, int parallel, String master) {
        String name = String.valueOf(plan.base().getOrDefault("name", "sweep"));
        RunCommand.requireOut(out, "sweep");
        Path dir = out != null ? out : RunCommand.defaultDir(name);
        EngineOptions options = new EngineOptions(parallel, plan.maxThreads(), master);
        Engines.check(engineName, options);
        org.driftlab.data.DirectoryLock.checkNew(dir, "sweep"); // refused before the header is printed
        try (SweepEngine engine = Engines.create(engineName, options)) {
            System.out.println("driftlab: " + org.driftlab.Escape.controls(name + ", a sweep of " + plan.members().size()
                    + " member" + (plan.members().size() == 1 ? "" : "s") + " over " + axesText(plan) + " -> " + dir
                    + " (" + engine.describe("member") + ")"));
            Progress progress = new Progress(engine, plan.members().size());
            SweepRunner.Result r = SweepRunner.start(plan, dir, engine, progress, progress.job());
            finish(r);
        }
        return 0; // diverged and failed members are results (see sweep.csv), not errors of the sweep
    }

    /** Continues a killed sweep ({@code driftlab resume SWEEP_DIR}). */
    static int resume(Path dir, String engineName, int parallel, String master) {
        if (SweepRunner.isFinished(dir)) {
            System.out.println("driftlab: the sweep " + org.driftlab.Escape.controls(dir.toString()) + " has finished; "
                    + "nothing to resume (its table: " + dir.resolve(SweepDirectory.CSV) + ")");
            return 0;
        }
        SweepPlan plan = SweepRunner.plan(dir);
        EngineOptions options = new EngineOptions(parallel, plan.maxThreads(), master);
        Engines.check(engineName, options);
        SweepRunner.checkResumable(dir); // the engine starts last (Spark: seconds), once nothing else can refuse
        try (SweepEngine engine = Engines.create(engineName, options)) {
            System.out.println("driftlab: resuming the sweep " + dir + " (" + engine.describe("member") + ")");
            Progress progress = new Progress(engine, plan.members().size());
            finish(SweepRunner.resume(dir, plan, engine, progress, progress.job()));
        }
        return 0;
    }

    private static void finish(SweepRunner.Result r) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        r.results().forEach(m -> counts.merge(m.outcome(), 1, Integer::sum));
        System.out.println("sweep: " + String.join(", ", counts.entrySet().stream().map(e -> e.getValue() + " "
                + e.getKey()).toList()) + "; table " + r.dir().resolve(SweepDirectory.CSV));
        System.out.println("report: " + SweepReport.write(r.dir()));
    }

    private static String axesText(SweepPlan plan) {
        List<String> parts = new ArrayList<>();
        plan.spec().factors().forEach(f -> parts.add(String.join("+", f.stream().map(a -> a.key() + "(" + a.size() + ")")
                .toList())));
        return parts.isEmpty() ? "no axes" : String.join(" × ", parts);
    }

    /** The keys of --set assignments. */
    static Set<String> keys(List<String> sets) {
        Set<String> keys = new LinkedHashSet<>();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq > 0) {
                keys.add(s.substring(0, eq).trim());
            }
        }
        return keys;
    }

    /** {@code sweep.grid.KEY=[values]} or {@code sweep.zip.KEY=[values]}: the axis key keeps its dots. */
    @SuppressWarnings("unchecked")
    private static void setAxis(Map<String, Object> tree, String assignment) {
        int eq = assignment.indexOf('=');
        String key = eq > 0 ? assignment.substring(0, eq).trim() : assignment;
        String[] parts = key.split("\\.", 3);
        if (eq <= 0 || parts.length < 3 || !(parts[1].equals("grid") || parts[1].equals("zip"))) {
            throw new DriftlabException("--set " + key + ": sweep axes are set as sweep.grid.KEY=[values] or "
                    + "sweep.zip.KEY=[values]");
        }
        Object value;
        try {
            value = SpecLoader.yaml().load(assignment.substring(eq + 1));
        } catch (YAMLException e) {
            throw new DriftlabException("--set " + key + ": cannot parse the value '" + assignment.substring(eq + 1) + "'");
        }
        Object sweep = tree.computeIfAbsent("sweep", k -> new java.util.LinkedHashMap<String, Object>());
        if (!(sweep instanceof Map)) {
            throw new DriftlabException("sweep: expected a section with grid: and/or zip:, got '" + sweep + "'");
        }
        Object group = ((Map<String, Object>) sweep).computeIfAbsent(parts[1], k -> new java.util.LinkedHashMap<String, Object>());
        if (!(group instanceof Map)) {
            throw new DriftlabException("--set " + key + ": sweep." + parts[1] + " is a list of groups; edit the file");
        }
        ((Map<String, Object>) group).put(parts[2], value);
    }

    /** One line per finished member: its outcome, the whole sweep's ETA, and its edge-of-stability verdict. */
    static final class Progress implements SweepRunner.Listener {
        private final Set<String> dataSeen = new java.util.HashSet<>();
        /** Step progress of the members when they run one at a time in this process (else null: lines would mix). */
        private final ProgressListener steps;
        private Path dir;

        Progress(SweepEngine engine, int members) {
            steps = engine instanceof org.driftlab.sweep.LocalEngine && engine.parallelism() == 1
                    ? ProgressListener.ofSweep(members, System.out, System.console() != null) : null;
        }

        /** The member job: with step progress when members run one at a time here. */
        org.driftlab.sweep.MemberJob job() {
            return steps == null ? new org.driftlab.sweep.RunMember() : new org.driftlab.sweep.RunMember(steps::forRun);
        }

        @Override
        public void started(Path dir, int done, int total, SweepEngine engine) {
            this.dir = dir;
            if (steps != null) {
                steps.skipped(done);
            }
            if (done > 0) {
                System.out.println("sweep: " + done + " of " + total + " members already finished");
            }
        }

        @Override
        public void finished(Member member, MemberResult r, int done, int total, double eta) {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "[%d/%d] %s: %s", done, total, member.id(), r.outcome()));
            if (r.outcome().equals(MemberResult.FAILED)) {
                sb.append(" (").append(r.message()).append(')');
            } else {
                Double steps = r.summary().get("steps");
                Double loss = r.summary().get("final_train_loss");
                if (steps != null) {
                    sb.append(" at step ").append(steps.longValue());
                }
                if (loss != null) {
                    sb.append(String.format(Locale.ROOT, ", final loss %.4g", loss));
                }
            }
            sb.append(String.format(Locale.ROOT, ", %.1f s", r.wallSeconds()));
            if (done < total) {
                sb.append(", sweep ETA ").append(ProgressListener.formatSeconds(eta));
            }
            Map<?, ?> outcome = outcome(member);
            if (outcome != null && outcome.get("edge") instanceof Map<?, ?> e) { // the verdict its runner stored
                sb.append(": edge of stability: ").append(EdgeOfStability.Verdict.fromMap(e).describe());
            }
            // which data the member trained on (the installed set or the embedded subset), when it is news
            if (outcome != null && outcome.get("data") instanceof Map<?, ?> d && d.get("description") != null
                    && dataSeen.add(String.valueOf(d.get("description")))) {
                System.out.println("data: " + d.get("description"));
            }
            System.out.println(sb);
        }

        /** The member's outcome record in its provenance (null for a study or a member that failed early). */
        private Map<?, ?> outcome(Member member) {
            if (dir == null) {
                return null;
            }
            Map<String, Object> prov = Provenance.read(SweepDirectory.memberDir(dir, member));
            return prov.get("outcomes") instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?> o ? o : null;
        }
    }
}
