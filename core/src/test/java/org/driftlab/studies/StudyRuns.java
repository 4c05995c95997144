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

    static StudyRunner.Result quick(String name, Path dir) {
        Map<String, Object> tree = SpecLoader.loadTree(Path.of("experiments/" + name + ".yaml"), true, List.of());
        return StudyRunner.start(StudySpec.fromMap(tree, true), dir, s -> { });
    }

    static double num(StudyRunner.Result r, String key) {
        return ((Number) r.summary().get(key)).doubleValue();
    }
}
