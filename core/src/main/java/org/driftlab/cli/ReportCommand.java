package org.driftlab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.driftlab.DriftlabException;
import org.driftlab.data.AtomicFiles;
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
            if (out != null) {
                checkComparisonDir(out);
            }
            System.out.println(SweepReport.compare(dirs, out != null ? out : RunCommand.defaultDir("compare")));
        } else if (SweepDirectory.isSweep(dirs.get(0))) {
            System.out.println(SweepReport.write(dirs.get(0)));
        } else {
            System.out.println(ReportWriter.write(dirs.get(0)));
        }
        return 0;
    }

    /**
     * A comparison's --out is new, empty, or an earlier comparison (its report and charts alone), never the current
     * directory or a run, study or sweep, whose own report the comparison would overwrite (issue 17).
     */
    private static void checkComparisonDir(Path out) {
        if (out.toString().isBlank()) {
            throw new DriftlabException("--out is empty; give a directory for the comparison (or leave --out out for "
                    + "runs/compare-TIMESTAMP)");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new DriftlabException(out + " is a file; give a new directory for the comparison");
        }
        if (Files.isDirectory(out)) {
            try (Stream<Path> s = Files.list(out)) {
                if (!s.map(p -> p.getFileName().toString()).allMatch(n -> n.equals(ReportWriter.HTML)
                        || n.startsWith(org.driftlab.chart.ChartRenderer.PREFIX))) {
                    throw new DriftlabException(out + " holds more than an earlier comparison (its report and charts); "
                            + "give a new or empty directory for the comparison");
                }
            } catch (IOException e) {
                throw new DriftlabException("cannot read " + out + ": " + AtomicFiles.describe(e), e);
            }
        }
    }
}
