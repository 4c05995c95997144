package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.study.StudyRunner;
import org.driftlab.study.StudySpec;
import org.driftlab.report.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick quadratic-flows study: its findings hold and its tables agree with GD's closed form. */
class QuadraticFlowsStudyTest {
    @Test
    void quickStudyFindingsHold(@TempDir Path dir) {
        Map<String, Object> tree = SpecLoader.loadTree(Path.of("experiments/quadratic-flows.yaml"), true, List.of());
        StudyRunner.Result r = StudyRunner.start(StudySpec.fromMap(tree, true), dir.resolve("run"), s -> {});
        assertTrue(r.finding("pf-equals-gd").holds(), r.finding("pf-equals-gd").detail());
        assertTrue(r.finding("pf-complex-between-steps").holds());
        assertTrue(r.finding("divergent-regime").holds(), r.finding("divergent-regime").detail());
        assertTrue(r.finding("igr-beats-ngf").holds());
        assertTrue(((Number) r.summary().get("pf_max_error")).doubleValue() < 1e-10);
        assertTrue(((Number) r.summary().get("pf_max_imag_between_steps")).doubleValue() > 0.1);
        assertTrue(Files.exists(dir.resolve("run/traj.csv")));
    }

    @Test
    void tablesHoldGdClosedForm(@TempDir Path dir) {
        Map<String, Object> tree = SpecLoader.loadTree(Path.of("experiments/quadratic-flows.yaml"), true, List.of());
        StudyRunner.start(StudySpec.fromMap(tree, true), dir.resolve("run"), s -> {});
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
        Map<String, Object> tree = SpecLoader.loadTree(Path.of("experiments/quadratic-flows.yaml"), true, List.of());
        ((Map<String, Object>) tree.get("params")).put("h", List.of(-0.1));
        DriftlabException e = assertThrows(DriftlabException.class,
                () -> StudyRunner.start(StudySpec.fromMap(tree, true), dir.resolve("run"), s -> {}));
        assertTrue(e.getMessage().contains("params.h"), e.getMessage());
    }
}
