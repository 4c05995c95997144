package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.study.StudyRunner;
import org.driftlab.study.StudySpec;
import org.driftlab.report.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick langevin study: stationary variances and temperatures against their closed forms. */
class LangevinStudyTest {
    @Test
    void quickStudyFindingsHold(@TempDir Path dir) {
        Map<String, Object> tree = SpecLoader.loadTree(Path.of("experiments/langevin.yaml"), true, List.of());
        StudyRunner.Result r = StudyRunner.start(StudySpec.fromMap(tree, true), dir.resolve("run"), s -> {});
        for (String claim : List.of("sgd-discrete-variance", "sde-gibbs-law",
                "two-temperatures", "rates-restore-one-temperature")) {
            assertTrue(r.finding(claim).holds(), claim + ": " + r.finding(claim).detail());
        }
        assertEquals(1.0 / 9, ((Number) r.summary().get("temperature_ratio_isotropic")).doubleValue(), 0.011);
        assertEquals(1.0, ((Number) r.summary().get("temperature_ratio_rates")).doubleValue(), 0.1);

        // The SGD rows at ha = 0.5 sit at the discrete variance, a third above the SDE's Gibbs variance.
        CsvTable v = CsvTable.read(dir.resolve("run/variance.csv")).where("panel", "1d h=0.5");
        double[] sgd = v.where("process", "sgd").col("variance");
        double[] sde = v.where("process", "sde").col("variance");
        assertEquals(3, sgd.length);
        double ratio = mean(sgd) / mean(sde);
        assertEquals(4.0 / 3, ratio, 0.07, "SGD / SDE variance at ha = 0.5 must be 2/(2 − ha)");

        // Histogram densities integrate to about 1 (the range holds ±4.5 standard deviations).
        CsvTable h = CsvTable.read(dir.resolve("run/hist.csv")).where("series", "1d h=0.1/sde");
        double[] x = h.col("x");
        double[] d = h.col("density");
        double mass = 0;
        for (double di : d) {
            mass += di * (x[1] - x[0]);
        }
        assertEquals(1, mass, 0.01);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x / v.length;
        }
        return s;
    }
}
