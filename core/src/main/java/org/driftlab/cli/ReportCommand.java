package org.driftlab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.driftlab.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code driftlab report RUN_DIR}: (re)write report.html and the chart PNGs of a run. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write report.html (self-contained, offline) and one PNG per chart into a run directory.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR")
    Path dir;

    @Override
    public Integer call() {
        System.out.println(ReportWriter.write(dir));
        return 0;
    }
}
