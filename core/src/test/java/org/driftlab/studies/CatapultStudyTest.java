package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.driftlab.study.StudyRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** catapult at its quick size: the large-h start loses its sharpness, the small-h start keeps it. */
class CatapultStudyTest {
    @TempDir
    Path tmp;

    @Test
    void largeLearningRateIsCatapultedToAFlatterRegion() {
        StudyRunner.Result r = StudyRuns.quick("catapult", tmp.resolve("c"));
        assertTrue(r.finding("catapult-to-edge").holds(), r.finding("catapult-to-edge").detail());
        assertTrue(r.finding("catapult-ends-flatter").holds(), r.finding("catapult-ends-flatter").detail());
        assertTrue(r.finding("small-h-loss-falls").holds(),
                r.finding("small-h-loss-falls").detail());
        // large h: λ1 ends at less than half its initial value; small h: it keeps most of it
        assertTrue(StudyRuns.num(r, "sharpness_drop_large") < 0.5, "" + r.summary());
        assertTrue(StudyRuns.num(r, "sharpness_drop_small") > 0.6, "" + r.summary());
        assertTrue(r.finding("large-h-loss-rises").holds(),
                r.finding("large-h-loss-rises").detail());
    }
}
