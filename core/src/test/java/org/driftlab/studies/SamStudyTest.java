package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.driftlab.report.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sam at its quick size: SAM and G-TRACER end in flatter regions than SGD from the same start. */
class SamStudyTest {
    @TempDir
    Path tmp;

    @Test
    void sharpnessAwareRulesEndFlatter() {
        StudyRuns.quick("sam", tmp.resolve("s"));
        // the claims recomputed from the final measurements of every arm and seed (means over seeds)
        CsvTable last = CsvTable.read(tmp.resolve("s").resolve("final.csv"));
        double sgd = mean(last.where("arm", "SGD").col("sharpness"));
        double sam = mean(last.where("arm", "SAM").col("sharpness"));
        double gtracer = mean(last.where("arm", "G-TRACER").col("sharpness"));
        // SAM ends flatter than SGD: measured 2.90 against 3.89, with seed spreads (s.e.) 0.10 and 0.41, so 0.9x
        // is outside the noise; G-TRACER's mean is lower too (2.82) but its s.e. (0.64) does not resolve more than
        // the ordering of the means at two seeds
        assertTrue(sam < 0.9 * sgd, "SAM " + sam + " vs SGD " + sgd);
        assertTrue(gtracer < sgd, "G-TRACER " + gtracer + " vs SGD " + sgd);
        // both end with a smaller Tr H (Hutchinson, its own s.e. about 3% per run): measured 66 and 39 against 83
        double trSgd = mean(last.where("arm", "SGD").col("trace_H"));
        assertTrue(mean(last.where("arm", "SAM").col("trace_H")) < 0.9 * trSgd, "SAM's Tr H");
        assertTrue(mean(last.where("arm", "G-TRACER").col("trace_H")) < 0.9 * trSgd, "G-TRACER's Tr H");
        CsvTable curves = CsvTable.read(tmp.resolve("s").resolve("curves.csv"));
        // one common start per seed: identical sharpness at step 0 in every arm
        assertEquals(1, curves.where("seed", "0").where("step", "0").distinct("sharpness").size());
        // SAM is not plain SGD: the trajectories differ after the first step
        assertTrue(curves.where("seed", "0").where("step", "25").distinct("train_loss").size() == 3);
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElseThrow();
    }
}
