package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.driftlab.report.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * break-even at its quick size: the paper's claim recomputed from the trajectory table (the early peak of λ_H¹ is
 * lower for larger h and smaller B), the common start, and the PCA plane.
 */
class BreakEvenStudyTest {
    @TempDir
    Path tmp;

    @Test
    void theEarlyPeakOfTheSharpnessIsLowerForLargerHAndSmallerB() {
        StudyRuns.quick("break-even", tmp.resolve("b"));
        CsvTable traj = CsvTable.read(tmp.resolve("b").resolve("trajectory.csv"));
        List<String> hs = ascending(traj.distinct("h"));
        List<String> bs = ascending(traj.distinct("batch"));
        List<String> seeds = traj.distinct("seed");
        assertTrue(hs.size() >= 2 && bs.size() >= 2 && seeds.size() >= 2, "a grid of h and B over seeds");
        // peak[h][B] = mean over seeds of the largest λ_H¹ along the trajectory, recomputed from the table
        double[][] peak = new double[hs.size()][bs.size()];
        for (int i = 0; i < hs.size(); i++) {
            for (int j = 0; j < bs.size(); j++) {
                for (String seed : seeds) {
                    double[] lh = traj.where("h", hs.get(i)).where("batch", bs.get(j)).where("seed", seed).col("lambda_H");
                    double[] lk = traj.where("h", hs.get(i)).where("batch", bs.get(j)).where("seed", seed).col("lambda_K");
                    double max = Arrays.stream(lh).max().orElseThrow();
                    // the setting is one where the curvature rises first (else the peak is the value at θ0 and
                    // measures nothing): the peak at least 1.5x the start, where the measured rises are 2.5-8x
                    assertTrue(max >= 1.5 * lh[0], hs.get(i) + "/" + bs.get(j) + "/" + seed + ": λ_H¹ " + lh[0] + " → " + max);
                    assertTrue(Arrays.stream(lk).max().orElseThrow() >= 1.5 * lk[0], "λ_K¹ rises first too");
                    peak[i][j] += max / seeds.size();
                }
            }
        }
        // the claim: lower peak for the larger h at each B and for the smaller B at each h. The margin (the noisier
        // run's peak below 0.8x the quieter one's) is far above the solver's error (warm-started Lanczos, relative
        // error < 1e-3 at these sizes) and above the seed-to-seed spread (measured s.e. <= 5% of a peak); the quick
        // size measures ratios of 0.54-0.60, so a 20% margin fails only if the effect is gone.
        for (int i = 0; i < hs.size(); i++) {
            for (int j = 0; j < bs.size(); j++) {
                String at = "h=" + hs.get(i) + " B=" + bs.get(j) + ": " + Arrays.deepToString(peak);
                if (i + 1 < hs.size()) {
                    assertTrue(peak[i + 1][j] < 0.8 * peak[i][j], "larger h, lower peak; " + at);
                }
                if (j > 0) {
                    assertTrue(peak[i][j - 1] < 0.8 * peak[i][j], "smaller B, lower peak; " + at);
                }
            }
        }
        // the study's own peaks table agrees with the recomputation (its aggregation is what the finding states)
        CsvTable peaks = CsvTable.read(tmp.resolve("b").resolve("peaks.csv"));
        for (int i = 0; i < hs.size(); i++) {
            for (int j = 0; j < bs.size(); j++) {
                double[] p = peaks.where("h", hs.get(i)).where("batch", bs.get(j)).col("peak_lambda_H");
                assertEquals(peak[i][j], Arrays.stream(p).average().orElseThrow(), 1e-12 * peak[i][j], "same numbers");
            }
        }
        Path dir = tmp.resolve("b");
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

    private static List<String> ascending(List<String> numbers) {
        return numbers.stream().sorted(java.util.Comparator.comparingDouble(Double::parseDouble)).toList();
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
