package org.driftlab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.driftlab.experiment.Runner;
import org.driftlab.study.StudyRunner;
import org.driftlab.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code driftlab resume RUN_DIR}: continue from the latest checkpoint, then rewrite the report. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue an interrupted run, study or sweep from its latest checkpoints (bitwise-identical to an "
                + "uninterrupted one; a sweep skips its finished members).")
final class ResumeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR")
    Path dir;

    @Option(names = "--engine", paramLabel = "local|spark", description = "For a sweep: where members run (default: local).")
    String engine = org.driftlab.sweep.Engines.LOCAL;

    @Option(names = "--parallel", paramLabel = "N", description = "For a sweep: members at once (default: from the cores).")
    int parallel;

    @Option(names = "--master", paramLabel = "URL", description = "For a sweep on --engine spark: the Spark master.")
    String master;

    @Override
    public Integer call() {
        if (org.driftlab.sweep.SweepDirectory.isSweep(dir)) {
            return SweepCommand.resume(dir, engine, parallel, master);
        }
        if (StudyRunner.isStudyDir(dir)) {
            RunCommand.printFindings(StudyRunner.resume(dir, System.out::println));
        } else {
            Runner.resume(dir, RunCommand.options());
        }
        System.out.println("report: " + ReportWriter.write(dir));
        return 0;
    }
}
