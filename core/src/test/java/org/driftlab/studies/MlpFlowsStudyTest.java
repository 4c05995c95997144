package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.study.StudyRunner;
import org.driftlab.study.StudySpec;
import org.driftlab.report.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick mlp-flows study: the flows' ordering against GD and the sign of ∇E·u₁ at the unstable h. */
class MlpFlowsStudyTest {
    @Test
    void quickStudyFindingsHold(@TempDir Path dir) {
        Map<String, Object> tree = SpecLoader.loadTree(Path.of("experiments/mlp-flows.yaml"), true, List.of());
        StudyRunner.Result r = StudyRunner.start(StudySpec.fromMap(tree, true), dir.resolve("run"), s -> {});
        for (String claim : List.of("tracking-order-stable", "tracking-order-unstable",
                "unstable-sign-flips")) {
            assertTrue(r.finding(claim).holds(), claim + ": " + r.finding(claim).detail());
        }
        // Every trajectory starts at θ₀ (distance 0), and GD's own rows agree with a fresh GD run on the loss.
        CsvTable d = CsvTable.read(dir.resolve("run/distance.csv"));
        double[] step = d.col("step");
        double[] dist = d.col("distance");
        for (int i = 0; i < step.length; i++) {
            if (step[i] == 0) {
                assertEquals(0, dist[i], 0);
            }
        }
        CsvTable cost = CsvTable.read(dir.resolve("run/cost.csv"));
        for (String complete : cost.text("complete")) {
            assertEquals("true", complete);
        }
    }
}
