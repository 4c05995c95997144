package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.driftlab.study.StudyRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MinimalistStudyTest {
    @TempDir
    Path tmp;

    @Test
    void finalSharpnessIsAtMostTwoOverHAndOnTheEdgeWhereGradientFlowIsSharper() {
        StudyRunner.Result r = SgdPickyStudyTest.quick("minimalist", tmp.resolve("a"), null);
        for (org.driftlab.study.StudyContext.Finding f : r.findings()) {
            assertTrue(f.holds(), f.claim() + ": " + f.detail());
        }
        // gradient flow conserves x² − y² = 6.21, whose minimum has sharpness 2·sqrt(6.21² + 4)
        assertEquals(2 * Math.sqrt(6.21 * 6.21 + 4), ((Number) r.summary().get("gf_sharpness")).doubleValue(), 1e-9);
        assertEquals(4, ((Number) r.summary().get("converged_runs")).intValue());
        assertEquals(2, ((Number) r.summary().get("edge_runs")).intValue());
        // a stricter edge window fails: GD ends slightly below 2/h (0.5% at h = 0.16), not exactly on it
        StudyRunner.Result strict = SgdPickyStudyTest.quick("minimalist", tmp.resolve("b"),
                Map.of("edge_tolerance", 1e-4, "hs", List.of(0.16), "steps", 3000));
        assertFalse(strict.finding("edge-where-flow-sharper").holds());
    }
}
