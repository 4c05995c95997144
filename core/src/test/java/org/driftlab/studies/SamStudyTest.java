package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.driftlab.study.StudyRunner;
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
        assertTrue(r.finding("sam-flatter").holds(), r.finding("sam-flatter").detail());
        assertTrue(r.finding("gtracer-flatter").holds(), r.finding("gtracer-flatter").detail());
        assertTrue(r.finding("smaller-trace-h").holds(), r.finding("smaller-trace-h").detail());
        CsvTable curves = CsvTable.read(tmp.resolve("s").resolve("curves.csv"));
        // one common start per seed: identical sharpness at step 0 in every arm
        assertEquals(1, curves.where("seed", "0").where("step", "0").distinct("sharpness").size());
        // SAM is not plain SGD: the trajectories differ after the first step
        assertTrue(curves.where("seed", "0").where("step", "25").distinct("train_loss").size() == 3);
    }
}
