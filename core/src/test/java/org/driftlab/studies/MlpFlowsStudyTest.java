package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.driftlab.report.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick mlp-flows study: the flows' ordering against GD and the sign of ∇E·u₁ at the unstable h. */
class MlpFlowsStudyTest {
    @Test
    void quickStudyFindingsHold(@TempDir Path dir) {
        StudyRuns.quick("mlp-flows", dir.resolve("run"));
        // the claims recomputed from the tables: over the first 3 steps, at the stable and the unstable h, the PF
        // tracks GD better than the IGR flow, which tracks it better than the NGF (mean distance; measured gaps are
        // factors of 2-5, the flows being integrated to 1e-10)
        CsvTable distance = CsvTable.read(dir.resolve("run/distance.csv"));
        for (String factor : distance.distinct("lr_factor")) {
            double pf = early(distance.where("lr_factor", factor).where("method", "pf"), "distance");
            double igr = early(distance.where("lr_factor", factor).where("method", "igr"), "distance");
            double ngf = early(distance.where("lr_factor", factor).where("method", "ngf"), "distance");
            assertTrue(pf < igr && igr < ngf, factor + "·2/λ1: PF " + pf + ", IGR " + igr + ", NGF " + ngf);
        }
        // at the unstable h GD's ∇E·u₁ changes sign at every one of the first 3 steps, and so does the PF's; the
        // NGF's and the IGR flow's do not
        CsvTable projection = CsvTable.read(dir.resolve("run/projection.csv"));
        String unstable = projection.distinct("lr_factor").stream()
                .max(java.util.Comparator.comparingDouble(Double::parseDouble)).orElseThrow();
        CsvTable up = projection.where("lr_factor", unstable);
        assertEquals(3, signChanges(up.where("method", "gd")));
        assertEquals(3, signChanges(up.where("method", "pf")));
        assertTrue(signChanges(up.where("method", "ngf")) < 3 && signChanges(up.where("method", "igr")) < 3);
        // Every trajectory starts at θ₀ (distance 0), and GD's own rows agree with a fresh GD run on the loss.
        CsvTable d = CsvTable.read(dir.resolve("run/distance.csv"));
        double[] step = d.col("step");
        double[] dist = d.col("distance");
        for (int i = 0; i < step.length; i++) {
            if (step[i] == 0) {
                assertEquals(0, dist[i], 0);
            }
        }
        CsvTable cost = CsvTable.read(dir.resolve("run/cost.csv"));
        for (String complete : cost.text("complete")) {
            assertEquals("true", complete);
        }
    }

    /** Mean of a column over steps 1..3. */
    private static double early(CsvTable rows, String column) {
        double[] step = rows.col("step");
        double[] v = rows.col(column);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < step.length; i++) {
            if (step[i] >= 1 && step[i] <= 3) {
                sum += v[i];
                n++;
            }
        }
        assertEquals(3, n, "steps 1..3");
        return sum / n;
    }

    /** Sign changes of ∇E·u₁ over steps 0..3. */
    private static int signChanges(CsvTable rows) {
        double[] step = rows.col("step");
        double[] g = rows.col("grad_dot_u1");
        int changes = 0;
        for (int i = 1; i < step.length; i++) {
            if (step[i] <= 3 && Math.signum(g[i]) != Math.signum(g[i - 1])) {
                changes++;
            }
        }
        return changes;
    }
}
