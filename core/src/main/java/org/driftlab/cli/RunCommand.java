package org.driftlab.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.driftlab.DriftlabException;
import org.driftlab.Escape;
import org.driftlab.data.DirectoryLock;
import org.driftlab.experiment.Runner;
import org.driftlab.experiment.Spec;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.study.StudyContext;
import org.driftlab.study.StudyRunner;
import org.driftlab.study.StudySpec;
import org.driftlab.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code driftlab run NAME|SPEC.yaml [--set k=v ...] [--quick] [--threads N] [--seed S] [--out DIR]}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run an experiment from the catalogue (see 'driftlab list') or a YAML spec file.")
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME|SPEC.yaml", description = "Catalogue name or path to a spec file.")
    String experiment;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a spec value by dotted key, e.g. --set optimizer.lr=0.02 --set lrs=[0.02,0.04].")
    List<String> sets = new ArrayList<>();

    @Option(names = "--quick", description = "Apply the spec's quick: overrides (small and fast).")
    boolean quick;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads of each run (the spec's threads:; results are bitwise reproducible for a seed and N).")
    Integer threads;

    @Option(names = "--seed", paramLabel = "S", description = "The seed of every run (the spec's seed:, replacing a seeds: list).")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default runs/<name>-<yyyyMMdd-HHmmss>).")
    Path out;

    @Override
    public Integer call() {
        requireOut(out, "run");
        Path file = SpecLoader.locate(experiment, SpecLoader.catalogueDir());
        // --threads and --seed are the --set assignments of the spec's own keys (one mechanism, one validation)
        if (threads != null) {
            sets.add("threads=" + threads);
        }
        if (seed != null) {
            sets.add("seed=" + seed);
        }
        java.util.Map<String, Object> tree = SpecLoader.loadTree(file, quick, sets);
        if (org.driftlab.sweep.SweepPlan.isSweep(tree)) {
            // a sweep: section, or a training spec's lrs:/seeds: lists (the same thing): run as ./driftlab sweep
            return SweepCommand.run(org.driftlab.sweep.SweepPlan.of(tree, SweepCommand.keys(sets),
                    org.driftlab.sweep.SweepSpec.DEFAULT_LIMIT, quick), out, org.driftlab.sweep.Engines.LOCAL, 0, null);
        }
        if (StudySpec.isStudy(tree)) {
            StudySpec study = StudySpec.fromMap(tree, quick);
            StudyRunner.check(study); // a missing data set is one error line, before any header or directory
            Path dir = out != null ? out : defaultDir(study.name());
            DirectoryLock.checkNew(dir, "study"); // refused before the header is printed
            System.out.println("driftlab: " + Escape.controls(study.name()) + " (study " + study.kind() + ") -> "
                    + Escape.controls(dir.toString()));
            StudyRunner.Result r = StudyRunner.start(study, dir, System.out::println);
            printFindings(r);
            System.out.println("report: " + ReportWriter.write(dir));
            return 0;
        }
        tree.remove("kind");
        Spec spec = Spec.fromMap(tree);
        Runner.Options options = options(spec);
        Runner.check(spec, options); // a missing data set is one error line, before any header or directory
        Path dir = out != null ? out : defaultDir(spec.name());
        DirectoryLock.checkNew(dir, "run"); // refused before the header is printed
        System.out.println("driftlab: " + Escape.controls(spec.name()) + " -> " + Escape.controls(dir.toString()) + " ("
                + spec.subRuns().size() + " sub-run" + (spec.subRuns().size() == 1 ? "" : "s") + ")");
        Runner.start(spec, dir, options);
        Path report = ReportWriter.write(dir);
        System.out.println("report: " + report);
        return 0; // a diverged sub-run is a result (see its outcome), not an error
    }

    /** An --out that was given empty ({@code --out ""}) would be the current directory: refused. */
    static void requireOut(Path out, String what) {
        if (out != null && out.toString().isBlank()) {
            throw new DriftlabException("--out is empty; give a directory for the " + what + " (or leave --out out for "
                    + "runs/NAME-TIMESTAMP)");
        }
    }

    static Path defaultDir(String name) {
        return Path.of("runs", name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** One line per finding: the verdict a reader checks first. */
    static void printFindings(StudyRunner.Result r) {
        for (StudyContext.Finding f : r.findings()) {
            System.out.println((f.holds() ? "  [holds]          " : "  [does not hold]  ")
                    + Escape.controls(f.claim() + " (" + f.detail() + ") [" + f.id() + "]"));
        }
    }

    /** Progress on the console for a run of this spec. */
    static Runner.Options options(Spec spec) {
        return Runner.Options.defaults().withListener(ProgressListener.of(spec, System.out, System.console() != null));
    }
}
