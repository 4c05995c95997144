package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.study.StudyRunner;
import org.driftlab.study.StudySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The game-stability study at its quick size: the predictions agree with simulated runs. */
class GameStabilityStudyTest {
    @Test
    void quickStudyPredictsStabilityOverTheGrid(@TempDir Path dir) {
        Map<String, Object> tree = SpecLoader.loadTree(Path.of("experiments/game-stability.yaml"), true, List.of());
        StudyRunner.Result r = StudyRunner.start(StudySpec.fromMap(tree, true), dir, s -> {});
        for (String scheme : List.of("simultaneous", "alternating")) {
            for (String claim : List.of("-predicts-runs", "-drift-explains", "-common-time-drift", "-best-ratio")) {
                assertTrue(r.finding(scheme + claim).holds(), scheme + claim + ": " + r.finding(scheme + claim).detail());
            }
        }
        double agree = ((Number) r.summary().get("agreement_common_simultaneous")).doubleValue();
        double flow = ((Number) r.summary().get("agreement_flow_simultaneous")).doubleValue();
        assertTrue(agree >= 0.9 && flow < 0.5, agree + " vs " + flow);
        assertEquals(0.25, ((Number) r.summary().get("best_ratio_exact_simultaneous")).doubleValue(), 1e-12);
    }

    @Test
    void aStartingPointOfTheWrongLengthIsRejected(@TempDir Path dir) {
        Map<String, Object> tree = SpecLoader.loadTree(Path.of("experiments/game-stability.yaml"), true, List.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) tree.get("params");
        params.put("z0", new ArrayList<>(List.of(0.5)));
        DriftlabException e = assertThrows(DriftlabException.class, () -> StudyRunner.start(StudySpec.fromMap(tree, true), dir, s -> {}));
        assertTrue(e.getMessage().contains("z0"), e.getMessage());
    }
}
