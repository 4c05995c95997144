package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.driftlab.study.StudyRunner;
import org.driftlab.report.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** break-even at its quick size: the conjectures, the common start, and the PCA plane. */
class BreakEvenStudyTest {
    @TempDir
    Path tmp;

    @Test
    void noisierSgdAttainsLowerCurvature() {
        StudyRunner.Result r = StudyRuns.quick("break-even", tmp.resolve("b"));
        assertTrue(r.finding("conjecture-1-lambda-h").holds(), r.finding("conjecture-1-lambda-h").detail());
        assertTrue(r.finding("runs-separate").holds(), r.finding("runs-separate").detail());
        assertTrue(r.finding("conjecture-1-lambda-k").holds(), r.finding("conjecture-1-lambda-k").detail());
        assertTrue(r.finding("conjecture-2-conditioning").holds(), r.finding("conjecture-2-conditioning").detail());
        Path dir = tmp.resolve("b");
        CsvTable traj = CsvTable.read(dir.resolve("trajectory.csv"));
        // every run of a seed starts at the same θ0: identical step-0 measurements
        CsvTable start = traj.where("seed", "0").where("step", "0");
        assertEquals(4, start.size());
        assertEquals(1, start.distinct("lambda_H").size());
        assertEquals(1, start.distinct("trace_K").size());
        // λ_K* <= λ_K¹ and Tr K >= λ_K¹ (K is positive semi-definite)
        double[] k1 = traj.col("lambda_K");
        double[] ks = traj.col("lambda_K_star");
        double[] tr = traj.col("trace_K");
        for (int i = 0; i < k1.length; i++) {
            assertTrue(ks[i] <= k1[i] && k1[i] <= tr[i] * (1 + 1e-12), "row " + i);
        }
        // the plane: every snapshot of every run projected, four λ_K bins
        CsvTable plane = CsvTable.read(dir.resolve("plane.csv"));
        assertEquals(traj.size(), plane.size());
        assertEquals(4, plane.distinct("lambda_K_bin").size());
        // all runs of a seed share θ0, hence the same point in the plane
        CsvTable p0 = plane.where("seed", "0").where("step", "0");
        double[] x = p0.col("pc1");
        double[] y = p0.col("pc2");
        assertEquals(4, x.length);
        for (int i = 1; i < x.length; i++) {
            assertEquals(x[0], x[i], 1e-9 * (1 + Math.abs(x[0])), "one common start in the plane");
            assertEquals(y[0], y[i], 1e-9 * (1 + Math.abs(y[0])), "one common start in the plane");
        }
        // the plane is the top-2 PCA plane: the first coordinate spreads more than the second
        double[] all1 = plane.where("seed", "0").col("pc1");
        double[] all2 = plane.where("seed", "0").col("pc2");
        assertTrue(variance(all1) >= variance(all2), variance(all1) + " vs " + variance(all2));
    }

    private static double variance(double[] v) {
        double m = 0;
        for (double x : v) {
            m += x / v.length;
        }
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m) / v.length;
        }
        return s;
    }
}
