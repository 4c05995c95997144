package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.driftlab.study.StudyRunner;
import org.driftlab.report.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fisher-penalty at its quick size: the penalties lower Tr F at the same h and seed; small h keeps Tr F high. */
class FisherPenaltyStudyTest {
    @TempDir
    Path tmp;

    @Test
    void fisherPenaltyLowersTheFisherTrace() {
        StudyRunner.Result r = StudyRuns.quick("fisher-penalty", tmp.resolve("f"));
        assertTrue(r.finding("fisher-penalty-lowers-trace-f").holds(), r.finding("fisher-penalty-lowers-trace-f").detail());
        assertTrue(r.finding("grad-norm-penalty-lowers-trace-f").holds(), r.finding("grad-norm-penalty-lowers-trace-f").detail());
        assertTrue(r.finding("fisher-explosion").holds(), r.finding("fisher-explosion").detail());
        // by a clear margin, not by noise: at least 20% lower on average
        double plain = StudyRuns.num(r, "mean_trace_F noise 0.00 small h");
        double penalised = StudyRuns.num(r, "mean_trace_F noise 0.00 small h + Fisher penalty");
        assertTrue(penalised < 0.8 * plain, penalised + " vs " + plain);
        CsvTable curves = CsvTable.read(tmp.resolve("f").resolve("curves.csv"));
        // all arms of a seed start from the same θ0: one Tr F value at step 0 per seed and noise level
        assertEquals(1, curves.where("noise", "0.0").where("seed", "0").where("step", "0").distinct("trace_F").size());
        assertTrue(r.finding("memorisation-slowed-50").holds(), r.finding("memorisation-slowed-50").detail());
        double memPlain = StudyRuns.num(r, "memorised noise 0.50 small h");
        double memFp = StudyRuns.num(r, "memorised noise 0.50 small h + Fisher penalty");
        assertTrue(memFp < memPlain, "flipped labels fitted: " + memFp + " vs " + memPlain);
    }
}
