package org.driftlab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The sweep section as a user writes it: expansion order, readable IDs, and one-line errors naming the key. */
class SweepSpecTest {
    static Object yaml(String text) {
        return new Yaml().load(text);
    }

    @Test
    void theIssuesGridExpandsLrSlowestWithReadableIds() {
        SweepSpec s = SweepSpec.parse(yaml("grid:\n  optimizer.lr: [0.1, 0.19, 0.21]\n  seed: [0, 1]\n"));
        List<Member> m = s.members(SweepSpec.DEFAULT_LIMIT);
        assertEquals(List.of("lr=0.1,seed=0", "lr=0.1,seed=1", "lr=0.19,seed=0", "lr=0.19,seed=1", "lr=0.21,seed=0",
                "lr=0.21,seed=1"), m.stream().map(Member::id).toList());
        assertEquals(0.19, m.get(3).values().get("optimizer.lr"));
        assertEquals(1, m.get(3).values().get("seed"));
    }

    @Test
    void zipPairsAxesAndCombinesWithTheGridInWrittenOrder() {
        SweepSpec s = SweepSpec.parse(yaml("zip:\n  optimizer.lr: [0.02, 0.08]\n  optimizer.batch_size: [20, 100]\n"
                + "grid:\n  seed: [0, 1, 2]\n"));
        List<String> ids = s.members(SweepSpec.DEFAULT_LIMIT).stream().map(Member::id).toList();
        assertEquals(6, ids.size());
        assertEquals("lr=0.02,batch_size=20,seed=0", ids.get(0));
        assertEquals("lr=0.02,batch_size=20,seed=2", ids.get(2));
        assertEquals("lr=0.08,batch_size=100,seed=0", ids.get(3));
        assertEquals(s, SweepSpec.parse(s.toMap()));
    }

    @Test
    void valuesAreWrittenAsAResearcherTypesThem() {
        assertEquals("1e-4", MemberIds.format(1e-4));
        assertEquals("2.5e-7", MemberIds.format(2.5e-7));
        assertEquals("0.04", MemberIds.format(0.04));
        assertEquals("200", MemberIds.format(200.0));
        assertEquals("0.02+0.08", MemberIds.format(List.of(0.02, 0.08)));
        SweepSpec s = SweepSpec.parse(yaml("grid:\n  model: ['fc-tanh:200,200', 'fc-tanh:50']\n  params.lr: [1]\n"
                + "  optimizer.lr: [0.1]\n"));
        assertEquals(List.of("model=fc-tanh_200_200,params.lr=1,optimizer.lr=0.1", "model=fc-tanh_50,params.lr=1,optimizer.lr=0.1"),
                s.members(10).stream().map(Member::id).toList());
    }

    @Test
    void collidingNamesGetASuffixInMemberOrder() {
        SweepSpec s = new SweepSpec(List.of(List.of(new Axis("data", List.of("a:b", "a/b", "a_b")))));
        assertEquals(List.of("data=a_b", "data=a_b-2", "data=a_b-3"),
                s.members(10).stream().map(Member::id).toList());
        assertEquals(List.of("run"), SweepSpec.none().members(1).stream().map(Member::id).toList());
    }

    @Test
    void rangesAreRoundedToTheValuesAResearcherMeant() {
        assertEquals(List.of(0.1, 0.2, 0.3, 0.4, 0.5), Axis.parse("x", yaml("{linspace: [0.1, 0.5, 5]}")).values());
        assertEquals(List.of(0.001, 0.01, 0.1), Axis.parse("x", yaml("{logspace: [0.001, 0.1, 3]}")).values());
        assertEquals(List.of(0L, 1L, 2L, 3L), Axis.parse("seed", yaml("{linspace: [0, 3, 4]}")).values());
        assertEquals(List.of(0.0, 0.5, 1.0), Axis.parse("x", yaml("{linspace: [0, 1, 3]}")).values());
        assertEquals(List.of(7.0), Axis.parse("x", yaml("{linspace: [7.0, 9.0, 1]}")).values());
    }

    @Test
    void badSectionsEndInOneLineNamingTheKey() {
        assertError("sweep axis optimizer.lr: the axis is empty", "grid:\n  optimizer.lr: []\n");
        assertError("sweep: unknown key 'grdi'; allowed: grid, zip", "grdi:\n  seed: [1]\n");
        assertError("sweep zip: optimizer.lr has 2 values but seed has 3", "zip:\n  optimizer.lr: [1, 2]\n  seed: [1, 2, 3]\n");
        assertError("sweep axis seed: given twice", "grid:\n  seed: [1]\nzip:\n  seed: [2]\n");
        assertError("sweep axis optimizer.lr: expected a list of values", "grid:\n  optimizer.lr: 0.1\n");
        assertError("sweep axis optimizer.lr: linspace count '2.5' must be an integer >= 1",
                "grid:\n  optimizer.lr: {linspace: [0.1, 0.2, 2.5]}\n");
        assertError("sweep axis optimizer.lr: logspace ends must be positive",
                "grid:\n  optimizer.lr: {logspace: [0, 0.2, 3]}\n");
        assertError("sweep: no axes", "{}");
        assertError("sweep: expected a section", "[1, 2]");
        DriftlabException big = assertThrows(DriftlabException.class, () -> SweepSpec.parse(
                yaml("grid:\n  a: {linspace: [0, 1, 100]}\n  b: {linspace: [0, 1, 100]}\n")).members(SweepSpec.DEFAULT_LIMIT));
        assertEquals("sweep: 100 × 100 members exceed the limit of 500; pass --allow-large to run it anyway", big.getMessage());
    }

    private static void assertError(String start, String section) {
        DriftlabException e = assertThrows(DriftlabException.class, () -> SweepSpec.parse(yaml(section)));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1, e.getMessage());
    }

    @Test
    void withoutDropsAxesAndEmptyGroups() {
        SweepSpec s = SweepSpec.parse(yaml("grid:\n  optimizer.lr: [0.1, 0.2]\n  seed: [0, 1]\n"));
        assertEquals(List.of("seed"), s.without(java.util.Set.of("optimizer.lr")).keys());
        Map<String, Object> m = new LinkedHashMap<>(s.toMap());
        assertEquals(Map.of("grid", Map.of("optimizer.lr", List.of(0.1, 0.2), "seed", List.of(0, 1))), m);
    }
}
