package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.study.StudyRunner;
import org.driftlab.study.StudySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sgd-eos at its quick size: GD at the edge, SGD below it, ordered by batch size. */
class SgdEosStudyTest {
    @TempDir
    Path tmp;

    @Test
    void sgdStabilisesBelowTwoOverHAndGdAtIt() throws Exception {
        StudyRunner.Result r = StudyRuns.quick("sgd-eos", tmp.resolve("s"));
        assertTrue(r.finding("gd-at-edge").holds(), r.finding("gd-at-edge").detail());
        assertTrue(StudyRuns.num(r, "late_median_sharpness_b0") > 0.8 * StudyRuns.num(r, "two_over_h"));
        assertTrue(r.finding("sgd-below-edge").holds(), r.finding("sgd-below-edge").detail());
        assertTrue(r.finding("smaller-batch-lower-sharpness").holds(), r.finding("smaller-batch-lower-sharpness").detail());
        // the numbers behind the verdicts, independently: B = 10 sits well below GD
        assertTrue(StudyRuns.num(r, "late_median_sharpness_b10") < 0.85 * StudyRuns.num(r, "late_median_sharpness_b0"));
        for (String f : List.of("runs.csv", "sharpness.csv", "loss.csv", "late.csv", "study.json")) {
            assertTrue(Files.exists(tmp.resolve("s").resolve(f)), f);
        }
        String json = Files.readString(tmp.resolve("s").resolve("study.json"));
        assertTrue(json.contains("2 seeds") && json.contains("\"band\""), "figures state seeds and draw a band");
    }

    @Test
    void unknownOrBadParametersAreUserErrors() {
        Map<String, Object> tree = SpecLoader.loadTree(Path.of("experiments/sgd-eos.yaml"), true, List.of("params.bogus=1"));
        DriftlabException e = assertThrows(DriftlabException.class, () -> StudySpec.fromMap(tree, true));
        assertTrue(e.getMessage().contains("params.bogus"), e.getMessage());
        Map<String, Object> bad = SpecLoader.loadTree(Path.of("experiments/sgd-eos.yaml"), true, List.of("params.h=-1"));
        DriftlabException e2 = assertThrows(DriftlabException.class,
                () -> StudyRunner.start(StudySpec.fromMap(bad, true), tmp.resolve("bad"), s -> { }));
        assertTrue(e2.getMessage().contains("params.h"), e2.getMessage());
    }
}
