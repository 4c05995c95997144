package org.driftlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.driftlab.Escape;
import org.driftlab.experiment.Provenance;
import org.driftlab.experiment.Runner;
import org.driftlab.experiment.Spec;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.report.ReportWriter;
import org.driftlab.study.StudyRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code driftlab resume RUN_DIR}: continue from the latest checkpoint under the directory's lock, then rewrite the
 * report. The spec and the code must be those the run started with (or the change is accepted with
 * {@code --new-segment}); a finished run is reported as finished and left untouched.
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue an interrupted run, study or sweep from its latest checkpoints (bitwise-identical to an "
                + "uninterrupted one; a sweep skips its finished members). A finished one is left as it is.")
final class ResumeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR")
    Path dir;

    @Option(names = "--engine", paramLabel = "local|spark", description = "For a sweep: where members run (default: local).")
    String engine = org.driftlab.sweep.Engines.LOCAL;

    @picocli.CommandLine.Mixin
    ParallelOption parallel; // for a sweep

    @Option(names = "--master", paramLabel = "URL", description = "For a sweep on --engine spark: the Spark master.")
    String master;

    @Option(names = "--new-segment", description = "Continue a run or study under its edited spec.yaml (or under "
            + "another driftlab) as a new segment, recorded in provenance.json; the model, data and sub-runs cannot "
            + "change.")
    boolean newSegment;

    @Override
    public Integer call() {
        if (org.driftlab.sweep.SweepDirectory.isSweep(dir)) {
            return SweepCommand.resume(dir, engine, parallel.count, master);
        }
        boolean study = StudyRunner.isStudyDir(dir);
        if (study ? StudyRunner.isFinished(dir) : Runner.isFinished(dir)) {
            return finished();
        }
        if (study) {
            RunCommand.printFindings(StudyRunner.resume(dir, System.out::println, newSegment));
        } else {
            Path spec = dir.resolve(Runner.SPEC);
            // the progress display needs the spec's probe periods and sizes; without a spec Runner.resume says what is wrong
            Runner.resume(dir, Files.isRegularFile(spec) ? RunCommand.options(Spec.fromMap(SpecLoader.readYaml(spec)))
                    : Runner.Options.defaults(), newSegment);
        }
        System.out.println("report: " + ReportWriter.write(dir));
        return 0;
    }

    /** A finished run or study: said so, nothing written (unless its report is missing: then it is rendered). */
    private int finished() {
        Object end = Provenance.read(dir).get("end");
        String where = Escape.controls(dir.toString());
        if (Files.exists(dir.resolve(ReportWriter.HTML))) {
            System.out.println("driftlab: " + where + " finished at " + end + "; nothing to resume (driftlab report "
                    + where + " renders its report again)");
        } else {
            System.out.println("driftlab: " + where + " finished at " + end + "; nothing to resume, but its report was "
                    + "missing: report: " + ReportWriter.write(dir));
        }
        return 0;
    }
}
