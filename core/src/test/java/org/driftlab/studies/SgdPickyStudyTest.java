package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.driftlab.report.CsvTable;
import org.driftlab.study.StudyRunner;
import org.driftlab.study.StudySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SgdPickyStudyTest {
    @TempDir
    Path tmp;

    static StudyRunner.Result quick(String name, Path dir, Map<String, Object> overrides) {
        Map<String, Object> tree = StudyRuns.quickTree(name);
        if (overrides != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> params = (Map<String, Object>) tree.computeIfAbsent("params",
                    k -> new java.util.LinkedHashMap<String, Object>());
            params.putAll(overrides);
        }
        return StudyRunner.start(StudySpec.fromMap(tree, true), dir, s -> {});
    }

    @Test
    void gdStaysAtOneAndSgdEscapesToZero() {
        StudyRunner.Result r = quick("sgd-picky", tmp.resolve("a"), null);
        // the claims recomputed from the final iterates: GD ends at the minimum x = 1, every SGD seed at x = 0
        // (both are attracting fixed points, so the iterates reach them to round-off; 1e-6 is the study's own
        // tolerance, measured |x_T - 1| = 0 and |x_T| < 1e-128)
        CsvTable last = CsvTable.read(tmp.resolve("a").resolve("final.csv"));
        assertEquals(1.0, last.where("method", "gd").col("x_final")[0], 1e-6);
        CsvTable sgd = last.where("method", "sgd");
        assertTrue(sgd.size() >= 2, "seeds: " + sgd.size());
        for (double x : sgd.col("x_final")) {
            assertEquals(0.0, x, 1e-6);
        }
        // linear stability from the per-example curvatures in the stability table: at x = 1 GD's multiplier
        // |1 - h·mean f''| < 1 while SGD's mean log|1 - h f_i''| > 0; at x = 0 both contract (h from the quick size)
        CsvTable st = CsvTable.read(tmp.resolve("a").resolve("stability.csv"));
        double h = ((Number) r.summary().get("h")).doubleValue();
        for (String min : st.distinct("minimum")) {
            double c1 = st.where("minimum", min).col("curvature_f1")[0];
            double c2 = st.where("minimum", min).col("curvature_f2")[0];
            double gd = Math.abs(1 - h * (c1 + c2) / 2);
            double logRate = 0.5 * (Math.log(Math.abs(1 - h * c1)) + Math.log(Math.abs(1 - h * c2)));
            assertTrue(gd < 1, "GD stable at " + min);
            assertTrue(Double.parseDouble(min) == 1.0 ? logRate > 0 : logRate < 0, "SGD at " + min + ": " + logRate);
        }
        assertEquals(0.4, ((Number) r.summary().get("gd_multiplier_at_1")).doubleValue(), 1e-12);
        // ½(ln 0.86 + ln 1.66): the per-example curvatures 0.2 and 3.8 at x = 1
        assertEquals(0.5 * (Math.log(0.86) + Math.log(1.66)), ((Number) r.summary().get("sgd_log_rate_at_1")).doubleValue(),
                1e-12);
        // a small h keeps SGD at x = 1 too (0.1·3.8 < 2 and the mean log-rate is negative): the finding can fail
        StudyRunner.Result small = quick("sgd-picky", tmp.resolve("b"), Map.of("h", 0.3));
        assertFalse(small.finding("sgd-escapes-to-0").holds(), small.finding("sgd-escapes-to-0").detail());
        for (double x : CsvTable.read(tmp.resolve("b").resolve("final.csv")).where("method", "sgd").col("x_final")) {
            assertEquals(1.0, x, 1e-6, "SGD stays at x = 1 at the small h");
        }
    }
}
