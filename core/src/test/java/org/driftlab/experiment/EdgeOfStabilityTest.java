package org.driftlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
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

    /**
     * GD at the edge with 2/h = 25, then h halved at step 400: stable again, λ1 climbs to the new 2/h = 50 and hovers
     * there. Per phase both are at the edge; judged as one trace, the climb reads as falling off the edge.
     */
    @Test
    void aStepDropIsJudgedPhaseByPhaseAgainstEachPhasesOwnEdge() {
        // phase 1, steps 0..360 (2/h = 25): sharpening, overshoot, hovering
        double[] one0 = {20, 23, 26, 24.5, 25.5, 25.2, 24.8, 25.6, 25.1, 25.0};
        // phase 2, steps 400..: the climb 25, 26, ..., 49 (the slow progressive sharpening after the drop), then 51
        // and hovering at 2/h = 50
        double[] lam = new double[one0.length + 25 + 4];
        System.arraycopy(one0, 0, lam, 0, one0.length);
        for (int k = 0; k < 25; k++) {
            lam[one0.length + k] = 25 + k;
        }
        System.arraycopy(new double[] {51, 49.5, 50.5, 50.2}, 0, lam, one0.length + 25, 4);
        Metrics m = new Metrics(List.of("run", "step", "h", "sharpness"), RunColumns.FORMATS);
        for (int i = 0; i < lam.length; i++) {
            long step = 40L * i;
            m.add(Map.of("run", 0.0, "step", (double) step, "h", step < 400 ? 0.08 : 0.04, "sharpness", lam[i]));
        }
        EdgeOfStability.Verdict v = EdgeOfStability.judge(m, List.of(0L, 400L));
        assertEquals(2, v.phases().size());
        EdgeOfStability.Phase one = v.phases().get(0);
        EdgeOfStability.Phase two = v.phases().get(1);
        assertEquals(0, one.from());
        assertEquals(0.08, one.h());
        assertEquals(80, one.result().firstStep()); // 26 ≥ 25
        assertEquals(120, one.result().dropStep());
        assertEquals(7, one.result().probes());
        assertEquals(1.0, one.result().shareAtEdge());
        assertEquals(EdgeOfStability.AT_EDGE, one.result().verdict());
        assertEquals(400, two.from());
        assertEquals(0.04, two.h());
        assertEquals(40L * 35, two.result().firstStep()); // 51 ≥ 50
        assertEquals(40L * 36, two.result().dropStep());
        assertEquals(3, two.result().probes());
        assertEquals(1.0, two.result().shareAtEdge());
        assertEquals(EdgeOfStability.AT_EDGE, two.result().verdict());
        // the same trace as one phase: the climb from 25 to 44 is outside ±10% of the new 2/h (7 + 5 + 4 of 36
        // probes from the first drop on are within)
        EdgeOfStability.Result whole = EdgeOfStability.of(m);
        assertEquals(16.0 / 36, whole.shareAtEdge(), 1e-15);
        assertEquals(EdgeOfStability.NOT_HELD, whole.verdict(), whole.describe());
        // stored and read back; a single phase is stored in the format of runs without a schedule
        assertEquals(v, EdgeOfStability.Verdict.fromMap(v.toMap()));
        assertEquals("at the edge / at the edge", v.toMap().get("verdict"));
        EdgeOfStability.Verdict single = EdgeOfStability.judge(m, List.of(0L));
        assertEquals(single.first().toMap(), single.toMap());
        assertEquals(single.first(), EdgeOfStability.Verdict.fromMap(single.toMap()).first());
        assertTrue(v.describe().contains("from step 400 (2/h = 50.0): at the edge"), v.describe());
    }

    @Test
    void phasesFollowTheScheduleOfTheSpec() {
        Map<String, Object> m = new java.util.LinkedHashMap<>(Map.of("name", "t", "model", "quadratic:eigs=1,10",
                "optimizer", Map.of("name", "gd", "lr", 0.1)));
        assertEquals(List.of(0L), EdgeOfStability.phaseStarts(Spec.fromMap(m)));
        m.put("schedule", Map.of("name", "step", "at", List.of(250, 600), "factor", 0.5));
        assertEquals(List.of(0L, 250L, 600L), EdgeOfStability.phaseStarts(Spec.fromMap(m)));
        m.put("schedule", Map.of("name", "cosine"));
        assertEquals(List.of(0L), EdgeOfStability.phaseStarts(Spec.fromMap(m)), "a cosine rate is read per probe");
    }
}
