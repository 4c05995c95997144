package org.driftlab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.driftlab.report.ReportWriter;
import org.driftlab.report.SweepReport;
import org.driftlab.sweep.SweepDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code driftlab report DIR}: (re)write report.html and the chart PNGs of a run, study or sweep directory;
 * {@code driftlab report A B C … [--out DIR]}: one comparison report overlaying several run directories.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write report.html (self-contained, offline) and one PNG per chart into a run, study or sweep "
                + "directory; given several run directories, one report comparing them (overlaid curves, metrics "
                + "against the spec keys in which they differ).")
final class ReportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DIR")
    List<Path> dirs;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where a comparison of several runs goes (default runs/compare-<yyyyMMdd-HHmmss>).")
    Path out;

    @Override
    public Integer call() {
        if (dirs.size() > 1) {
            System.out.println(SweepReport.compare(dirs, out != null ? out : RunCommand.defaultDir("compare")));
        } else if (SweepDirectory.isSweep(dirs.get(0))) {
            System.out.println(SweepReport.write(dirs.get(0)));
        } else {
            System.out.println(ReportWriter.write(dirs.get(0)));
        }
        return 0;
    }
}
