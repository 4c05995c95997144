package org.driftlab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.driftlab.experiment.Runner;
import org.driftlab.experiment.StudyRunner;
import org.driftlab.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code driftlab resume RUN_DIR}: continue from the latest checkpoint, then rewrite the report. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue an interrupted run from its latest checkpoint (bitwise-identical to an uninterrupted run).")
final class ResumeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR")
    Path dir;

    @Override
    public Integer call() {
        if (org.driftlab.sweep.SweepDirectory.isSweep(dir)) {
            return SweepCommand.resume(dir, org.driftlab.sweep.Engines.LOCAL, 0, null);
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
