package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.study.StudyRunner;
import org.driftlab.study.StudySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick central-flow study: GD at the edge, the central flow holding 2/h and ending near GD. */
class CentralFlowStudyTest {
    @Test
    void quickStudyFindingsHold(@TempDir Path dir) {
        Map<String, Object> tree = SpecLoader.loadTree(Path.of("experiments/central-flow.yaml"), true, List.of());
        StudyRunner.Result r = StudyRunner.start(StudySpec.fromMap(tree, true), dir.resolve("run"), s -> {});
        for (String claim : List.of("gd-at-edge", "central-flow-tracks-gd",
                "central-flow-holds-edge", "central-flow-beats-pf")) {
            assertTrue(r.finding(claim).holds(), claim + ": " + r.finding(claim).detail());
        }
    }
}
