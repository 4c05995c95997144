package org.driftlab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Each schedule at and around its breakpoints, against the closed form. Values such as 0.8·0.5 or a cosine at
 * π/3 are exact to an ulp or two, hence 1e-15 on rates of order 1; exact products of powers of two are compared
 * exactly.
 */
class ScheduleTest {
    static final double H = 0.8;

    @Test
    void constantIsTheBaseRate() {
        assertEquals(H, Schedule.constant().rate(0, H), 0.0);
        assertEquals(H, Schedule.constant().rate(1_000_000, H), 0.0);
    }

    @Test
    void stepDropsMultiplyAtEachBreakpointIncluded() {
        Schedule s = Schedule.stepDrops(new long[] {20, 10}, 0.5); // given unsorted
        long[] t = {0, 9, 10, 11, 19, 20, 21, 1000};
        double[] want = {H, H, H / 2, H / 2, H / 2, H / 4, H / 4, H / 4};
        for (int i = 0; i < t.length; i++) {
            assertEquals(want[i], s.rate(t[i], H), 0.0, "t = " + t[i]);
        }
        assertEquals("step[10, 20]x0.5", s.toString());
        // a drop at 0 applies from the first step; a repeated step drops twice
        assertEquals(H * 0.1, Schedule.stepDrops(new long[] {0}, 0.1).rate(0, H), 1e-15);
        assertEquals(H / 4, Schedule.stepDrops(new long[] {5, 5}, 0.5).rate(5, H), 0.0);
        // the array given is copied: changing it later changes nothing
        long[] at = {3};
        Schedule copy = Schedule.stepDrops(at, 0.5);
        at[0] = 100;
        assertEquals(H / 2, copy.rate(3, H), 0.0);
    }

    @Test
    void cosineDecaysFromHToTheFloorOverTotalStepsAndStaysThere() {
        long total = 60;
        double min = 0.1;
        Schedule s = Schedule.cosine(total, min);
        double lo = min * H;
        // h_t = lo + ½(h − lo)(1 + cos(πt/T)): h at 0, (h + lo)/2 at T/2, lo + ¾(h − lo) at T/3, lo from T on
        assertEquals(H, s.rate(0, H), 1e-15);
        assertEquals(lo + 0.75 * (H - lo), s.rate(20, H), 1e-15);
        assertEquals((H + lo) / 2, s.rate(30, H), 1e-15);
        assertEquals(lo + 0.25 * (H - lo), s.rate(40, H), 1e-15);
        assertEquals(lo, s.rate(60, H), 1e-15);
        assertEquals(lo, s.rate(61, H), 1e-15);
        assertEquals(lo, s.rate(10_000, H), 1e-15);
        assertEquals(0.0, Schedule.cosine(4, 0).rate(4, H), 1e-16);
        assertThrows(IllegalArgumentException.class, () -> Schedule.cosine(0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> Schedule.cosine(-3, 0.1));
    }

    @Test
    void warmupRisesLinearlyToTheInnerScheduleThenFollowsIt() {
        Schedule inner = Schedule.stepDrops(new long[] {6}, 0.5);
        Schedule s = Schedule.warmup(4, inner);
        // h_t = inner(t)·(t + 1)/4 for t < 4: h/4, h/2, 3h/4, h; then the inner schedule itself
        assertEquals(H / 4, s.rate(0, H), 0.0);
        assertEquals(H / 2, s.rate(1, H), 0.0);
        assertEquals(0.75 * H, s.rate(2, H), 1e-15);
        assertEquals(H, s.rate(3, H), 0.0);
        assertEquals(H, s.rate(4, H), 0.0);
        assertEquals(H, s.rate(5, H), 0.0);
        assertEquals(H / 2, s.rate(6, H), 0.0);
        // a drop inside the warm-up scales the ramp
        Schedule early = Schedule.warmup(4, Schedule.stepDrops(new long[] {2}, 0.5));
        assertEquals(0.75 * H / 2, early.rate(2, H), 1e-15);
        // no warm-up is the inner schedule itself
        assertSame(inner, Schedule.warmup(0, inner));
        assertSame(inner, Schedule.warmup(-1, inner));
        assertEquals(H, Schedule.warmup(1, Schedule.constant()).rate(0, H), 0.0);
    }
}
