package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.driftlab.study.StudyRunner;
import org.driftlab.report.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sane at its quick size: the large-h run at the edge, the small-h run stable, N_eff rising from θ0. */
class SaneStudyTest {
    @TempDir
    Path tmp;

    @Test
    void effectiveParametersRiseAndTheLargeStepRunSitsAtTheEdge() throws Exception {
        StudyRunner.Result r = StudyRuns.quick("sane", tmp.resolve("s"));
        assertTrue(r.finding("stable-run-stable").holds(), r.finding("stable-run-stable").detail());
        assertTrue(r.finding("phase-1-stiff-directions").holds(), r.finding("phase-1-stiff-directions").detail());
        assertTrue(r.finding("edge-run-at-edge").holds(), r.finding("edge-run-at-edge").detail());
        // N_eff(α) decreases in α at every measurement (the definition: λ/(λ + α) falls with α for λ > 0) once
        // training has left θ0, where negative eigenvalues may sit near -α
        CsvTable t = CsvTable.read(tmp.resolve("s").resolve("neff.csv"));
        List<String> runs = t.distinct("run");
        for (String run : runs) {
            CsvTable rr = t.where("run", run).where("seed", "0").where("step", "120");
            double[] n = rr.col("n_eff");
            assertTrue(n.length == 3 && n[0] > n[1] && n[1] > n[2], run + ": " + java.util.Arrays.toString(n));
        }
        assertTrue(Files.readString(tmp.resolve("s").resolve("study.json")).contains("2 seeds"));
    }
}
