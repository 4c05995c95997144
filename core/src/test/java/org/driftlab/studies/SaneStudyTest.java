package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.driftlab.report.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sane at its quick size: the large-h run at the edge, the small-h run stable, N_eff rising from θ0. */
class SaneStudyTest {
    @TempDir
    Path tmp;

    @Test
    void effectiveParametersRiseAndTheLargeStepRunSitsAtTheEdge() throws Exception {
        StudyRuns.quick("sane", tmp.resolve("s"));
        // the claims recomputed from the study's tables, per seed
        CsvTable traj = CsvTable.read(tmp.resolve("s").resolve("trajectory.csv"));
        CsvTable counts = CsvTable.read(tmp.resolve("s").resolve("neff.csv"));
        String largestAlpha = counts.distinct("alpha").stream()
                .max(java.util.Comparator.comparingDouble(Double::parseDouble)).orElseThrow();
        for (String run : traj.distinct("run")) {
            boolean edge = run.startsWith("edge");
            for (String seed : traj.distinct("seed")) {
                CsvTable rs = traj.where("run", run).where("seed", seed);
                double[] step = rs.col("step");
                double[] hl = rs.col("h_sharpness_over_2");
                double last = step[step.length - 1];
                double lateMax = java.util.stream.IntStream.range(0, hl.length).filter(i -> step[i] >= last / 2)
                        .mapToDouble(i -> hl[i]).max().orElseThrow();
                if (edge) {
                    // GD with the large h reaches the edge: late max h·λ1/2 >= 0.9 (Cohen et al.'s band; the λ1
                    // estimate's error, Lanczos on 8 top pairs, is below 1e-6 relative)
                    assertTrue(lateMax >= 0.9, run + " seed " + seed + ": late max h·λ1/2 " + lateMax);
                } else {
                    // the small h stays stable all along: h·λ1/2 < 1 (measured at most 0.31)
                    assertTrue(Arrays.stream(hl).max().orElseThrow() < 1, run + " seed " + seed);
                }
                // phase 1 of the SANE paper: N_eff(α) at the largest α rises from θ0 (stiff directions appear) to
                // mid-run and the end; measured from -0.8 or 10.8 at θ0 to 18-26, so a rise of more than 2 counted
                // directions fails only if the effect is gone, not by the SLQ estimate's seed-to-seed scatter
                CsvTable na = counts.where("run", run).where("seed", seed).where("alpha", largestAlpha);
                double[] n = na.col("n_eff");
                double[] ns = na.col("step");
                int midIndex = 0;
                for (int i = 0; i < ns.length; i++) {
                    midIndex = ns[i] <= last / 2 ? i : midIndex;
                }
                double mid = n[midIndex];
                assertTrue(mid > n[0] + 2 && n[n.length - 1] > n[0] + 2, run + " seed " + seed + ": " + Arrays.toString(n));
            }
        }
        // N_eff(α) decreases in α at every measurement (the definition: λ/(λ + α) falls with α for λ > 0) once
        // training has left θ0, where negative eigenvalues may sit near -α
        CsvTable t = CsvTable.read(tmp.resolve("s").resolve("neff.csv"));
        List<String> runs = t.distinct("run");
        for (String run : runs) {
            CsvTable rr = t.where("run", run).where("seed", "0").where("step", "120");
            double[] n = rr.col("n_eff");
            assertTrue(n.length == 3 && n[0] > n[1] && n[1] > n[2], run + ": " + Arrays.toString(n));
        }
        assertTrue(Files.readString(tmp.resolve("s").resolve("study.json")).contains("2 seeds"));
    }
}
