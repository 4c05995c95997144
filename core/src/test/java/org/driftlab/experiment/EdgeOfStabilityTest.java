package org.driftlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The edge-of-stability detectors on traces whose answers are known by construction. */
class EdgeOfStabilityTest {
    private static long[] steps(int n) {
        long[] s = new long[n];
        for (int i = 0; i < n; i++) {
            s[i] = 10L * i;
        }
        return s;
    }

    private static double[] h(int n, double h) {
        double[] a = new double[n];
        Arrays.fill(a, h);
        return a;
    }

    @Test
    void sharpeningOvershootThenHoveringIsAtTheEdge() {
        // 2/h = 20: sharpening 10 → 22 (crossing at step 60), overshoot to 24, drop at step 80, then hovering
        double[] s = {10, 12, 14, 16, 18, 19, 21, 24, 20.5, 21.0, 20.4, 21.2, 20.8, 26.0};
        EdgeOfStability.Result r = EdgeOfStability.detect(steps(s.length), s, h(s.length, 0.1));
        assertEquals(60, r.firstStep());
        assertEquals(80, r.dropStep());
        // from the drop on: 20.5, 21.0, 20.4, 21.2, 20.8 within 10%, 26.0 (+30%) outside
        assertEquals(6, r.probes());
        assertEquals(5.0 / 6, r.shareAtEdge(), 1e-15);
        // offsets in % of 20: 2.5, 5, 2, 6, 4, 30 → median (4 + 5)/2 %
        assertEquals(0.045, r.medianOffset(), 1e-12);
        assertEquals(EdgeOfStability.AT_EDGE, r.verdict());
        assertEquals(r, EdgeOfStability.Result.fromMap(r.toMap()));
    }

    @Test
    void otherVerdicts() {
        double[] below = {10, 11, 12, 13};
        assertEquals(EdgeOfStability.NOT_REACHED, EdgeOfStability.detect(steps(4), below, h(4, 0.1)).verdict());
        double[] escapes = {18, 21, 25, 24, 40, 60, 80};
        EdgeOfStability.Result r = EdgeOfStability.detect(steps(7), escapes, h(7, 0.1));
        assertEquals(EdgeOfStability.NOT_HELD, r.verdict(), r.describe());
        double[] late = {18, 19, 21, 22};
        assertEquals(EdgeOfStability.TOO_SHORT, EdgeOfStability.detect(steps(4), late, h(4, 0.1)).verdict());
        // NaN entries (steps without a probe) are skipped, and h is read per probe (a schedule's drop moves 2/h)
        double[] withGaps = {Double.NaN, 21, Double.NaN, 20.5, 20.2, 20.4, 40.5, 40.2, 40.1};
        double[] hs = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05};
        r = EdgeOfStability.detect(steps(9), withGaps, hs);
        assertEquals(10, r.firstStep());
        assertEquals(30, r.dropStep());
        assertEquals(1.0, r.shareAtEdge());
        assertTrue(r.describe().startsWith(EdgeOfStability.AT_EDGE), r.describe());
    }
}
