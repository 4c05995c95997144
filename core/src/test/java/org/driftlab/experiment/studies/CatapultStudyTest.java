package org.driftlab.experiment.studies;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.driftlab.experiment.StudyRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** catapult at its quick size: the large-h start loses its sharpness, the small-h start keeps it. */
class CatapultStudyTest {
    @TempDir
    Path tmp;

    @Test
    void largeLearningRateIsCatapultedToAFlatterRegion() {
        StudyRunner.Result r = StudyRuns.quick("catapult", tmp.resolve("c"));
        assertTrue(r.finding("The catapult brings λ1 down").holds(), r.finding("The catapult brings").detail());
        assertTrue(r.finding("The catapult ends flatter").holds(), r.finding("The catapult ends").detail());
        assertTrue(r.finding("With h < 2/λ1(θ0) the loss falls monotonically").holds(),
                r.finding("With h < 2/λ1(θ0)").detail());
        // large h: λ1 ends at less than half its initial value; small h: it keeps most of it
        assertTrue(StudyRuns.num(r, "sharpness_drop_large") < 0.5, "" + r.summary());
        assertTrue(StudyRuns.num(r, "sharpness_drop_small") > 0.6, "" + r.summary());
        assertTrue(r.finding("With h > 2/λ1(θ0) the loss goes up early").holds(),
                r.finding("With h > 2/λ1(θ0)").detail());
    }
}
