package org.driftlab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.driftlab.experiment.SpecLoader;
import picocli.CommandLine.Command;

/** {@code driftlab list}: the experiment catalogue, one line per entry. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the experiments in the catalogue.")
final class ListCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        Path dir = SpecLoader.catalogueDir();
        List<SpecLoader.Entry> entries = SpecLoader.catalogue(dir);
        if (entries.isEmpty()) {
            System.out.println("no experiments in " + dir);
            return 0;
        }
        int width = entries.stream().mapToInt(e -> e.name().length()).max().orElse(0);
        for (SpecLoader.Entry e : entries) {
            System.out.printf("%-" + width + "s  %s%n", e.name(), e.description());
        }
        return 0;
    }
}
