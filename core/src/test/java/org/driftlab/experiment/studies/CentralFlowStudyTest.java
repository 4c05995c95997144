package org.driftlab.experiment.studies;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.experiment.StudyRunner;
import org.driftlab.experiment.StudySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick central-flow study: GD at the edge, the central flow holding 2/h and ending near GD. */
class CentralFlowStudyTest {
    @Test
    void quickStudyFindingsHold(@TempDir Path dir) {
        Map<String, Object> tree = SpecLoader.loadTree(Path.of("experiments/central-flow.yaml"), true, List.of());
        StudyRunner.Result r = StudyRunner.start(StudySpec.fromMap(tree, true), dir.resolve("run"), s -> {});
        for (String claim : List.of("GD settles at the edge", "The central flow ends near GD",
                "Once it reaches 2/h", "At the edge the central flow is closer to GD than the PF")) {
            assertTrue(r.finding(claim).holds(), claim + ": " + r.finding(claim).detail());
        }
    }
}
