package org.driftlab.studies;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.study.StudyRunner;
import org.driftlab.study.StudySpec;

/** Runs a catalogue study at its quick size, as the test suite does. */
final class StudyRuns {
    private StudyRuns() {}

    /** The catalogue file experiments/NAME.yaml at its quick size, with --set style overrides applied. */
    static Map<String, Object> quickTree(String name, String... sets) {
        return SpecLoader.loadTree(Path.of("experiments/" + name + ".yaml"), true, List.of(sets));
    }

    /** Runs the study of a (quick) tree into dir. */
    static StudyRunner.Result run(Map<String, Object> tree, Path dir) {
        return StudyRunner.start(StudySpec.fromMap(tree, true), dir, s -> { });
    }

    /** Runs the catalogue study NAME at its quick size into dir. */
    static StudyRunner.Result quick(String name, Path dir) {
        return run(quickTree(name), dir);
    }

    static double num(StudyRunner.Result r, String key) {
        return ((Number) r.summary().get(key)).doubleValue();
    }
}
