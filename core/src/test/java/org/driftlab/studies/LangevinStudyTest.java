package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.driftlab.study.StudyRunner;
import org.driftlab.report.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick langevin study: stationary variances and temperatures against their closed forms. */
class LangevinStudyTest {
    @Test
    void quickStudyFindingsHold(@TempDir Path dir) {
        StudyRunner.Result r = StudyRuns.quick("langevin", dir.resolve("run"));
        // the claims recomputed from variance.csv. A variance estimated from n samples of an AR(1) chain with
        // coefficient ρ = 1 − ha has relative standard deviation sqrt(2(1 + ρ²)/(n(1 − ρ²))): at the quick size
        // (n = 150000 at h = 0.1, 30000 at h = 0.5) 0.65% and 1.1% per seed, under 0.7% for the mean of 3 seeds,
        // so the 5% band is several standard deviations wide and still separates 2/(2 − ha) = 1.05 and 1.33
        CsvTable all = CsvTable.read(dir.resolve("run/variance.csv"));
        for (String panel : List.of("1d h=0.1", "1d h=0.5")) {
            CsvTable p = all.where("panel", panel);
            CsvTable sgdRows = p.where("process", "sgd");
            CsvTable sdeRows = p.where("process", "sde");
            // SGD sits at the exact discrete variance hσ²/(a(2 − ha)); the SDE at the Gibbs variance hσ²/(2a)
            assertEquals(sgdRows.col("discrete_variance")[0], mean(sgdRows.col("variance")),
                    0.05 * sgdRows.col("discrete_variance")[0], panel + " SGD");
            assertEquals(sdeRows.col("gibbs_variance")[0], mean(sdeRows.col("variance")),
                    0.05 * sdeRows.col("gibbs_variance")[0], panel + " SDE");
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
