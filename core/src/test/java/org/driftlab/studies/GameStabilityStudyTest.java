package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.report.CsvTable;
import org.driftlab.study.StudyRunner;
import org.driftlab.study.StudySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The game-stability study at its quick size: the predictions agree with simulated runs. */
class GameStabilityStudyTest {
    @Test
    void quickStudyPredictsStabilityOverTheGrid(@TempDir Path dir) {
        StudyRunner.Result r = StudyRuns.quick("game-stability", dir);
        // the claims recomputed from grid.csv and ratio.csv: a run is observed stable when its simulated growth
        // rate is negative (a blank rate: it overflowed, unstable); a prediction says stable when the largest real
        // part of its Jacobian's eigenvalues is negative
        CsvTable grid = CsvTable.read(dir.resolve("grid.csv"));
        CsvTable ratio = CsvTable.read(dir.resolve("ratio.csv"));
        for (String scheme : List.of("simultaneous", "alternating")) {
            CsvTable g = grid.where("scheme", scheme);
            double[] growth = g.col("growth_sim");
            int common = agreements(growth, g.col("maxre_common"));
            int paper = agreements(growth, g.col("maxre_paper"));
            int flow = agreements(growth, g.col("maxre_flow"));
            // the modified Jacobian (common time) predicts >= 90% of the grid, more than the original flow and at
            // least as many as the paper's per-player coefficients (measured 47 and 45 of 49; flow 11 and 39)
            assertTrue(common >= 0.9 * growth.length && common > flow && common >= paper,
                    scheme + ": common " + common + ", paper " + paper + ", flow " + flow + " of " + growth.length);
            // the ratio λ/α the modified Jacobian picks converges within 10% of the fastest exact rate
            CsvTable rs = ratio.where("scheme", scheme);
            double[] exact = rs.col("rate_exact");
            double[] predicted = rs.col("rate_common");
            int pick = 0;
            for (int i = 1; i < predicted.length; i++) {
                pick = predicted[i] < predicted[pick] ? i : pick;
            }
            double fastest = Arrays.stream(exact).min().orElseThrow();
            assertTrue(exact[pick] <= 0.9 * fastest, scheme + ": exact rate at the pick " + exact[pick] + " vs " + fastest);
        }
        double agree = ((Number) r.summary().get("agreement_common_simultaneous")).doubleValue();
        double flow = ((Number) r.summary().get("agreement_flow_simultaneous")).doubleValue();
        assertTrue(agree >= 0.9 && flow < 0.5, agree + " vs " + flow);
        assertEquals(0.25, ((Number) r.summary().get("best_ratio_exact_simultaneous")).doubleValue(), 1e-12);
    }

    private static int agreements(double[] growth, double[] maxRe) {
        int n = 0;
        for (int i = 0; i < growth.length; i++) {
            n += (growth[i] < 0) == (maxRe[i] < 0) ? 1 : 0;
        }
        return n;
    }

    @Test
    void aStartingPointOfTheWrongLengthIsRejected(@TempDir Path dir) {
        Map<String, Object> tree = StudyRuns.quickTree("game-stability");
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) tree.get("params");
        params.put("z0", new ArrayList<>(List.of(0.5)));
        DriftlabException e = assertThrows(DriftlabException.class, () -> StudyRunner.start(StudySpec.fromMap(tree, true), dir, s -> {}));
        assertTrue(e.getMessage().contains("z0"), e.getMessage());
    }
}
