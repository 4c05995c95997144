package org.driftlab.studies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.driftlab.study.StudyRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvergedLossStudyTest {
    @TempDir
    Path tmp;

    @Test
    void fittedSlopeMatchesTheTzPrediction() {
        StudyRunner.Result r = SgdPickyStudyTest.quick("converged-loss-vs-lr", tmp, null);
        for (var f : r.findings()) {
            assertTrue(f.holds(), f.claim() + ": " + f.detail());
        }
        double predicted = ((Number) r.summary().get("predicted_slope")).doubleValue();
        assertEquals(predicted, ((Number) r.summary().get("fitted_slope")).doubleValue(), 0.2 * predicted);
        assertEquals(predicted, ((Number) r.summary().get("exact_slope_at_0")).doubleValue(), 1e-3 * predicted);
    }

    /** The exact stationary loss against its closed form in 1-D: one example x = 1 gives Var∞ = h r²/(2 − h). */
    @Test
    void exactStationaryExcessMatchesTheOneDimensionalClosedForm() {
        double h = 0.3;
        double r = 0.7;
        double got = ConvergedLossStudy.exactExcess(new double[] {1}, new double[][] {{r}}, new double[] {1}, 1, 1, h);
        // Δ' = (1 − h)Δ − h r: Var = h² r²/(1 − (1 − h)²) = h r²/(2 − h); excess ½·1·Var
        assertEquals(0.5 * h * r * r / (2 - h), got, 1e-15);
    }
}
