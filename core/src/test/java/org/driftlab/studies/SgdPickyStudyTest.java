package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.study.StudyRunner;
import org.driftlab.study.StudySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SgdPickyStudyTest {
    @TempDir
    Path tmp;

    static StudyRunner.Result quick(String name, Path dir, Map<String, Object> overrides) {
        Map<String, Object> tree = SpecLoader.loadTree(Path.of("experiments/" + name + ".yaml"), true, List.of());
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
        assertTrue(r.finding("gd-converges-to-1").holds(), r.finding("gd-converges-to-1").detail());
        assertTrue(r.finding("sgd-escapes-to-0").holds(), r.finding("sgd-escapes-to-0").detail());
        assertTrue(r.finding("linear-stability").holds());
        assertEquals(0.4, ((Number) r.summary().get("gd_multiplier_at_1")).doubleValue(), 1e-12);
        // ½(ln 0.86 + ln 1.66): the per-example curvatures 0.2 and 3.8 at x = 1
        assertEquals(0.5 * (Math.log(0.86) + Math.log(1.66)), ((Number) r.summary().get("sgd_log_rate_at_1")).doubleValue(),
                1e-12);
        // a small h keeps SGD at x = 1 too (0.1·3.8 < 2 and the mean log-rate is negative): the finding can fail
        StudyRunner.Result small = quick("sgd-picky", tmp.resolve("b"), Map.of("h", 0.3));
        assertFalse(small.finding("sgd-escapes-to-0").holds(), small.finding("sgd-escapes-to-0").detail());
        assertTrue(small.finding("gd-converges-to-1").holds());
    }
}
