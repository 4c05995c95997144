package org.driftlab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.driftlab.experiment.SpecLoader;
import picocli.CommandLine.Command;

/**
 * {@code driftlab list}: the experiment catalogue, one line per entry: its name, the measured CPU time of its
 * {@code --quick} and full sizes (read from the spec file's {@code cpu_seconds:}, their one home), its description.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the experiments in the catalogue with the measured CPU time of their --quick and full sizes.")
final class ListCommand implements Callable<Integer> {
    /** The header's note on what the times are. */
    static final String NOTE = "CPU time (user+sys) measured on 2 cores; with 2 idle cores a run takes between half of "
            + "it and all of it";

    @Override
    public Integer call() {
        Path dir = SpecLoader.catalogueDir();
        List<SpecLoader.Entry> entries = SpecLoader.catalogue(dir);
        if (entries.isEmpty()) {
            System.out.println("no experiments in " + dir);
            return 0;
        }
        int width = Math.max(4, entries.stream().mapToInt(e -> e.name().length()).max().orElse(0));
        String format = "%-" + width + "s  %7s  %7s  %s%n";
        System.out.printf(format, "NAME", "QUICK", "FULL", NOTE);
        for (SpecLoader.Entry e : entries) {
            System.out.printf(format, e.name(), time(e.quickCpuSeconds()), time(e.fullCpuSeconds()), e.description());
        }
        return 0;
    }

    /** A measured time as the progress line writes it (45s, 3m07s), or "?" when the file states none. */
    static String time(Double seconds) {
        return seconds == null ? "?" : ProgressListener.formatSeconds(seconds);
    }
}
