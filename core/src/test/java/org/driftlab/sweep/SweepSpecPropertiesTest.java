package org.driftlab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.driftlab.DriftlabException;

/**
 * Properties of the expansion of axes into members, over random sweeps of grid axes and zip groups whose values
 * mix integers, doubles and awkward strings: the members are exactly the product of the factors in row-major
 * order, zipped axes move together, IDs are unique file names, and the normalised section re-parses to the same
 * sweep.
 */
class SweepSpecPropertiesTest {

    @Provide
    Arbitrary<SweepSpec> sweeps() {
        Arbitrary<Object> value = Arbitraries.oneOf(
                Arbitraries.integers().between(-3, 1000).map(i -> (Object) i),
                Arbitraries.doubles().between(1e-6, 10).ofScale(9).map(d -> (Object) d),
                Arbitraries.of("fc-tanh:200,200", "a/b", "x y", "..", "lr=1,seed=2", "é", "").map(s -> (Object) s));
        Arbitrary<List<Integer>> shape = Arbitraries.integers().between(1, 3).list().ofMinSize(0).ofMaxSize(4);
        return shape.flatMap(groupSizes -> {
            List<Arbitrary<List<Axis>>> groups = new ArrayList<>();
            int[] keyNo = {0};
            for (int g = 0; g < groupSizes.size(); g++) {
                int axesInGroup = groupSizes.get(g);
                List<String> keys = new ArrayList<>();
                for (int a = 0; a < axesInGroup; a++) {
                    // shared last segments ("x.lr", "y.lr") force full-key names in IDs
                    keys.add((keyNo[0] % 2 == 0 ? "p" : "q") + keyNo[0] / 3 + "." + (keyNo[0] % 3 == 0 ? "lr" : "k" + keyNo[0]));
                    keyNo[0]++;
                }
                groups.add(Arbitraries.integers().between(1, 4).flatMap(len -> {
                    List<Arbitrary<Axis>> axes = new ArrayList<>();
                    for (String k : keys) {
                        axes.add(value.list().ofSize(len).map(vs -> new Axis(k, new ArrayList<>(vs))));
                    }
                    return Combinators.combine(axes).as(ArrayList::new);
                }));
            }
            return Combinators.combine(groups).as(fs -> new SweepSpec(new ArrayList<>(fs)));
        });
    }

    @Property(tries = 300)
    void membersAreTheProductInRowMajorOrder(@ForAll("sweeps") SweepSpec spec) {
        List<List<Axis>> factors = spec.factors();
        int expected = 1;
        for (List<Axis> f : factors) {
            expected *= f.get(0).size();
        }
        List<Member> members = spec.members(SweepSpec.HARD_LIMIT);
        assertEquals(expected, members.size());
        for (Member m : members) {
            // the mixed-radix digits of the index, first factor most significant
            int rest = m.index();
            int[] digits = new int[factors.size()];
            for (int f = factors.size() - 1; f >= 0; f--) {
                int len = factors.get(f).get(0).size();
                digits[f] = rest % len;
                rest /= len;
            }
            for (int f = 0; f < factors.size(); f++) {
                for (Axis a : factors.get(f)) {
                    assertEquals(a.values().get(digits[f]), m.values().get(a.key()), "member " + m.index() + " " + a.key());
                }
            }
            assertEquals(spec.keys(), new ArrayList<>(m.values().keySet()));
        }
    }

    @Property(tries = 300)
    void idsAreUniqueSafeFileNames(@ForAll("sweeps") SweepSpec spec) {
        Set<String> seen = new HashSet<>();
        for (Member m : spec.members(SweepSpec.HARD_LIMIT)) {
            assertTrue(seen.add(m.id()), "duplicate " + m.id());
            assertTrue(m.id().matches("[A-Za-z0-9._+=,-]+") && !m.id().startsWith("."), m.id());
            assertTrue(m.id().length() <= MemberIds.MAX_LENGTH + 4, m.id());
        }
    }

    @Property(tries = 300)
    void theNormalisedSectionParsesBackToTheSameSweep(@ForAll("sweeps") SweepSpec spec) {
        if (spec.factors().isEmpty()) {
            return; // a sweep of no axes has no section
        }
        SweepSpec again = SweepSpec.parse(spec.toMap());
        assertEquals(spec, again);
    }

    @Property(tries = 200)
    void aSweepLargerThanTheLimitIsRefusedBeforeExpansion(@ForAll("sweeps") SweepSpec spec) {
        int n = spec.members(SweepSpec.HARD_LIMIT).size();
        assertEquals(n, spec.size(n));
        if (spec.factors().isEmpty()) {
            return; // no axes: the one base run, whatever the limit
        }
        DriftlabException e = assertThrows(DriftlabException.class, () -> spec.members(n - 1));
        assertTrue(e.getMessage().contains("--allow-large"), e.getMessage());
    }

    @Property(tries = 200)
    void linspaceHitsItsEndsWithEqualSteps(@ForAll("ends") double from, @ForAll("ends") double to,
                                          @ForAll("counts") int n) {
        Axis a = Axis.parse("x", Map.of("linspace", List.of(from, to, n)));
        assertEquals(n, a.size());
        assertEquals(from, (double) a.values().get(0));
        assertEquals(n == 1 ? from : to, (double) a.values().get(n - 1)); // one value: the start, as NumPy's
        for (int i = 0; i < n; i++) {
            double exact = from + (to - from) * i / Math.max(1, n - 1);
            // rounding to 12 significant digits moves a value by at most 5e-12 of its size (plus the subtraction's
            // own rounding, 1e-15 of the ends)
            double tol = 5.1e-12 * Math.abs(exact) + 1e-15 * (Math.abs(from) + Math.abs(to));
            assertEquals(exact, ((Number) a.values().get(i)).doubleValue(), tol, "value " + i);
        }
    }

    @Property(tries = 200)
    void logspaceHasAConstantRatio(@ForAll("positive") double from, @ForAll("positive") double to,
                                   @ForAll("counts") int n) {
        Axis a = Axis.parse("x", Map.of("logspace", List.of(from, to, n)));
        assertEquals(from, (double) a.values().get(0));
        assertEquals(n == 1 ? from : to, (double) a.values().get(n - 1));
        for (int i = 0; i < n; i++) {
            double exact = from * Math.pow(to / from, (double) i / Math.max(1, n - 1));
            assertEquals(exact, ((Number) a.values().get(i)).doubleValue(), 1e-11 * exact, "value " + i);
        }
    }

    @Provide
    Arbitrary<Double> ends() {
        return Arbitraries.doubles().between(-100, 100).ofScale(6);
    }

    @Provide
    Arbitrary<Double> positive() {
        return Arbitraries.doubles().between(1e-6, 1e3).ofScale(9);
    }

    @Provide
    Arbitrary<Integer> counts() {
        return Arbitraries.integers().between(1, 40);
    }
}
