package org.driftlab.experiment.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.driftlab.experiment.StudyRunner;
import org.driftlab.report.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sam at its quick size: SAM and G-TRACER end in flatter regions than SGD from the same start. */
class SamStudyTest {
    @TempDir
    Path tmp;

    @Test
    void sharpnessAwareRulesEndFlatter() {
        StudyRunner.Result r = StudyRuns.quick("sam", tmp.resolve("s"));
        assertTrue(r.finding("SAM ends flatter than SGD").holds(), r.finding("SAM ends").detail());
        assertTrue(r.finding("G-TRACER ends flatter than SGD").holds(), r.finding("G-TRACER ends").detail());
        assertTrue(r.finding("SAM and G-TRACER end with a smaller Tr H").holds(), r.finding("SAM and G-TRACER end with a smaller").detail());
        CsvTable curves = CsvTable.read(tmp.resolve("s").resolve("curves.csv"));
        // one common start per seed: identical sharpness at step 0 in every arm
        assertEquals(1, curves.where("seed", "0").where("step", "0").distinct("sharpness").size());
        // SAM is not plain SGD: the trajectories differ after the first step
        assertTrue(curves.where("seed", "0").where("step", "25").distinct("train_loss").size() == 3);
    }
}
