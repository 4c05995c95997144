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

/** The game-flows study at its quick size: every finding holds and the key numbers match theory. */
class GameFlowsStudyTest {
    @Test
    void quickStudyReproducesTheBilinearTheoryAndTheOrders(@TempDir Path dir) {
        Map<String, Object> tree = SpecLoader.loadTree(Path.of("experiments/game-flows.yaml"), true, List.of());
        StudyRunner.Result r = StudyRunner.start(StudySpec.fromMap(tree, true), dir, s -> {});
        for (String claim : List.of("bilinear-sim-spirals", "bilinear-alt-bounded",
                "bilinear-flow-conserves", "dirac-sim-spirals-alt-bounded", "dirac-flow-conserves",
                "linear-field-sim", "modified-flows-track", "one-step-error-orders")) {
            assertTrue(r.finding(claim).holds(), claim + ": " + r.finding(claim).detail());
        }
        // 60 steps at h = 0.1: (1 + h²)^30
        assertEquals(Math.pow(1.01, 30), ((Number) r.summary().get("bilinear_sim_radius_ratio")).doubleValue(), 1e-9);
        assertEquals(3, ((Number) r.summary().get("order_modified_alternating")).doubleValue(), 0.15);
        assertTrue(Files.exists(dir.resolve("traj.csv")) && Files.exists(dir.resolve("orders.csv")));
    }
}
