package org.driftlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.junit.jupiter.api.Test;

/**
 * The ranges every @Param obeys (issue 17: a study given steps=-1, eval_samples=-1, h=.inf or order_hs=[] ended in a
 * Java error): finite reals, counts from 0 (seeds aside), and lists with a non-empty default keep a value.
 */
class ParamRangesTest {
    /** A study-like parameter record. */
    public record P(
            @Param(value = "100", unit = "steps", doc = "steps") int steps,
            @Param(value = "1000", doc = "samples") int samples,
            @Param(value = "7", doc = "a seed") long noiseSeed,
            @Param(value = "0.1", doc = "h") double h,
            @Param(value = "[0.1, 0.2]", doc = "learning rates") List<Double> hs,
            @Param(value = "[]", unit = "steps", doc = "drops") List<Long> at) {}

    private static String refused(String key, Object value) {
        return assertThrows(DriftlabException.class, () -> Params.bind(P.class, Map.of(key, value), "params"))
                .getMessage();
    }

    @Test
    void outOfRangeValuesAreRefusedInOneLineNamingTheKey() {
        assertEquals("params.steps: -1 is negative; expected a count, 0 or more steps", refused("steps", -1));
        assertEquals("params.samples: -1 is negative; expected a count, 0 or more", refused("samples", -1));
        assertEquals("params.h: NaN is not a finite number", refused("h", Double.NaN));
        assertEquals("params.h: Infinity is not a finite number", refused("h", Double.POSITIVE_INFINITY));
        assertEquals("params.hs: -Infinity is not a finite number", refused("hs", List.of(0.1, Double.NEGATIVE_INFINITY)));
        assertEquals("params.hs: an empty list; give at least one value (default [0.1, 0.2])", refused("hs", List.of()));
        assertEquals("params.at: -5 is negative; expected a count, 0 or more steps", refused("at", List.of(10, -5)));
    }

    @Test
    void valuesInRangeAndSeedsBind() {
        P p = Params.bind(P.class, Map.of("steps", 0, "noise_seed", -3, "h", -0.5, "at", List.of()), "params");
        assertEquals(0, p.steps());
        assertEquals(-3, p.noiseSeed()); // a seed is any integer
        assertEquals(-0.5, p.h()); // the sign of a real is the record's business, not the binder's
        assertEquals(List.of(), p.at()); // an empty list where the default is empty
    }

    @Test
    void lowerBoundsAreRefusedInOneWording() {
        Params.Invalid count = assertThrows(Params.Invalid.class, () -> Params.atLeast("steps", 0, 1));
        assertEquals("steps", count.key());
        assertEquals("0 must be >= 1", count.reason());
        assertEquals("-1 must be >= 0", assertThrows(Params.Invalid.class, () -> Params.atLeast("start", -1, 0)).reason());
        assertEquals("-0.5 must be >= 0", assertThrows(Params.Invalid.class, () -> Params.notNegative("noise", -0.5)).reason());
        assertEquals("NaN must be >= 0", assertThrows(Params.Invalid.class, () -> Params.notNegative("noise", Double.NaN)).reason());
        Params.atLeast("steps", 1, 1); // the bound itself is allowed
        Params.notNegative("noise", 0.0);
    }
}
