package org.driftlab.experiment.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.experiment.StudyRunner;
import org.driftlab.experiment.StudySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gan-mog study at its quick size. A few hundred steps cannot settle the quality claim, so the test checks
 * the mechanism: the cancelled runs really subtract the interaction term, and every run stays finite.
 */
class GanMogStudyTest {
    @Test
    void quickStudyAppliesTheCancellation(@TempDir Path dir) throws Exception {
        Map<String, Object> tree = SpecLoader.loadTree(Path.of("experiments/gan-mog.yaml"), true, List.of());
        StudyRunner.Result r = StudyRunner.start(StudySpec.fromMap(tree, true), dir, s -> {});
        assertTrue(r.finding("The cancelled run applies exactly").holds(), r.finding("The cancelled run applies exactly").detail());
        assertTrue(r.finding("Every run stays finite").holds());
        assertTrue(((Number) r.summary().get("mechanism_relative_error")).doubleValue() < 1e-5);
        // 2 variants × 2 seeds × 4 evaluations, plus the header
        assertEquals(1 + 2 * 2 * 4, Files.readAllLines(dir.resolve("curve.csv")).size());
        assertEquals(1 + 2 * 4, Files.readAllLines(dir.resolve("spread.csv")).size());
    }
}
