package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.study.StudyRunner;
import org.driftlab.study.StudySpec;
import org.driftlab.report.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick quadratic-flows study: its findings hold and its tables agree with GD's closed form. */
class QuadraticFlowsStudyTest {
    @Test
    void quickStudyFindingsHold(@TempDir Path dir) {
        StudyRuns.quick("quadratic-flows", dir.resolve("run"));
        // the claims recomputed from error.csv and traj.csv
        CsvTable error = CsvTable.read(dir.resolve("run/error.csv"));
        CsvTable traj = CsvTable.read(dir.resolve("run/traj.csv"));
        for (String h : error.distinct("h")) {
            // the Principal Flow equals GD at every t = n·h, at every h (stable, oscillating, divergent): to 1e-10,
            // the integrator's tolerance (measured 2e-13 to 3e-12)
            for (double d : error.where("h", h).where("method", "pf").col("distance")) {
                assertTrue(d < 1e-10, "h = " + h + ": " + d);
            }
        }
        // below hλ1 = 1 (h = 0.04, λ1 = 20) the IGR flow tracks GD better than the NGF (max distance 0.13 vs 0.25)
        assertTrue(Arrays.stream(error.where("h", "0.04").where("method", "igr").col("distance")).max().orElseThrow()
                < Arrays.stream(error.where("h", "0.04").where("method", "ngf").col("distance")).max().orElseThrow());
        // past 2/λ1 (h = 0.105) GD and the PF diverge along u1 (|x| grows from 1) while NGF and IGR converge
        // (measured |x_N| 2.14 against 5e-8 and 2e-16)
        assertTrue(Math.abs(last(traj.where("series", "gd@h=0.105"), "x")) > 1.5);
        assertTrue(Math.abs(last(traj.where("series", "pf@h=0.105"), "x")) > 1.5);
        assertTrue(Math.abs(last(traj.where("series", "ngf@h=0.105"), "x")) < 1e-3);
        assertTrue(Math.abs(last(traj.where("series", "igr@h=0.105"), "x")) < 1e-3);
        // when hλ1 > 1 the PF is complex between steps (measured ‖Im θ‖ up to 2.0) and real at t = n·h
        double[] imag = traj.where("series", "pf@h=0.09").col("imag_norm");
        assertTrue(Arrays.stream(imag).max().orElseThrow() > 0.1, Arrays.toString(imag));
        assertTrue(Files.exists(dir.resolve("run/traj.csv")));
    }

    private static double last(CsvTable rows, String column) {
        double[] v = rows.col(column);
        return v[v.length - 1];
    }

    @Test
    void tablesHoldGdClosedForm(@TempDir Path dir) {
        StudyRuns.quick("quadratic-flows", dir.resolve("run"));
        CsvTable gd = CsvTable.read(dir.resolve("run/traj.csv")).where("series", "gd@h=0.09");
        double[] time = gd.col("t");
        double[] x = gd.col("x");
        int checked = 0;
        for (int i = 0; i < time.length; i++) {
            double n = Math.round(time[i] / 0.09);
            assertEquals(Math.pow(1 - 0.09 * 20, n), x[i], 1e-12);
            checked++;
        }
        assertEquals(9, checked);
    }

    @Test
    @SuppressWarnings("unchecked")
    void badParameterIsAUserError(@TempDir Path dir) {
        Map<String, Object> tree = StudyRuns.quickTree("quadratic-flows");
        ((Map<String, Object>) tree.get("params")).put("h", List.of(-0.1));
        DriftlabException e = assertThrows(DriftlabException.class,
                () -> StudyRunner.start(StudySpec.fromMap(tree, true), dir.resolve("run"), s -> {}));
        assertTrue(e.getMessage().contains("params.h"), e.getMessage());
    }
}
