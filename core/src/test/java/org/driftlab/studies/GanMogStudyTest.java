package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.driftlab.report.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gan-mog study at its quick size. A few hundred steps cannot settle the quality claim, so the test checks
 * that every run stays finite and the tables have their shape; that the cancelled runs really subtract the
 * interaction term is a unit test of the game package ({@code MogGanTest}), not a finding.
 */
class GanMogStudyTest {
    @Test
    void quickStudyRunsFiniteAndWritesItsTables(@TempDir Path dir) throws Exception {
        StudyRuns.quick("gan-mog", dir);
        // every evaluation is finite: a share of high-quality samples in [0, 1] and 0..8 modes covered
        CsvTable curve = CsvTable.read(dir.resolve("curve.csv"));
        for (double q : curve.col("hq_share")) {
            assertTrue(q >= 0 && q <= 1, "hq_share " + q);
        }
        for (double m : curve.col("modes_covered")) {
            assertTrue(m >= 0 && m <= 8 && m == Math.rint(m), "modes " + m);
        }
        // 2 variants × 2 seeds × 4 evaluations, plus the header
        assertEquals(1 + 2 * 2 * 4, Files.readAllLines(dir.resolve("curve.csv")).size());
        assertEquals(1 + 2 * 4, Files.readAllLines(dir.resolve("spread.csv")).size());
    }
}
