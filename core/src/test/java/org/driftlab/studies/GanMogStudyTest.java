package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.study.StudyRunner;
import org.driftlab.study.StudySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gan-mog study at its quick size. A few hundred steps cannot settle the quality claim, so the test checks
 * that every run stays finite and the tables have their shape; that the cancelled runs really subtract the
 * interaction term is a unit test of the game package ({@code MogGanTest}), not a finding.
 */
class GanMogStudyTest {
    @Test
    void quickStudyRunsFiniteAndWritesItsTables(@TempDir Path dir) throws Exception {
        Map<String, Object> tree = SpecLoader.loadTree(Path.of("experiments/gan-mog.yaml"), true, List.of());
        StudyRunner.Result r = StudyRunner.start(StudySpec.fromMap(tree, true), dir, s -> {});
        assertTrue(r.finding("runs-finite").holds());
        // 2 variants × 2 seeds × 4 evaluations, plus the header
        assertEquals(1 + 2 * 2 * 4, Files.readAllLines(dir.resolve("curve.csv")).size());
        assertEquals(1 + 2 * 4, Files.readAllLines(dir.resolve("spread.csv")).size());
    }
}
