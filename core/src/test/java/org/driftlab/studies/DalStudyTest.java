package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.driftlab.study.StudyRunner;
import org.driftlab.report.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DalStudyTest {
    @TempDir
    Path tmp;

    @Test
    void dalRunsBesideGdAndLogsItsRate() {
        StudyRunner.Result r = SgdPickyStudyTest.quick("dal", tmp, null);
        assertTrue(r.finding("dal-beyond-edge").holds(), r.finding("dal-beyond-edge").detail());
        assertTrue(r.finding("dal-flatter").holds(), r.finding("dal-flatter").detail());
        // the rate column is min(2/ζ^p, h_max) of the logged ζ, and DAL's h·ζ = 2 wherever the cap does not bind
        CsvTable curves = CsvTable.read(tmp.resolve("curves.csv"));
        CsvTable dal = curves.where("method", "dal").nonEmpty("zeta");
        double[] zeta = dal.col("zeta");
        double[] h = dal.col("h");
        assertTrue(dal.size() > 20, "drift probes of DAL: " + dal.size());
        for (int i = 0; i < h.length; i++) {
            assertEquals(Math.min(2 / zeta[i], 5.0), h[i], 1e-12);
        }
        CsvTable p2 = curves.where("method", "dal-p2").nonEmpty("zeta");
        assertEquals(Math.min(2 / Math.pow(p2.col("zeta")[3], 2), 5.0), p2.col("h")[3], 1e-12);
        assertTrue(Files.exists(tmp.resolve("runs/dal/metrics.csv")));
        assertEquals(List.of("gd", "dal-p0.5", "dal", "dal-p2"), CsvTable.read(tmp.resolve("final.csv")).distinct("method"));
    }
}
