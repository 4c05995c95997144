package org.driftlab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.driftlab.data.HideInstalledData;
import org.driftlab.experiment.SpecLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every catalogue entry that is a sweep plans at both sizes on a machine without the optional packages: each
 * member's spec validates and finds its data (synthetic, or within the Fashion-MNIST subset embedded in the jar).
 */
@ExtendWith(HideInstalledData.class)
class CatalogueSweepsTest {
    @Test
    void everySweepInTheCataloguePlansAtFullAndQuickSize() {
        int sweeps = 0;
        for (SpecLoader.Entry e : SpecLoader.catalogue(Path.of("experiments"))) {
            for (boolean quick : new boolean[] {false, true}) {
                Map<String, Object> tree = SpecLoader.loadTree(e.path(), quick, List.of());
                if (SweepPlan.isSweep(tree)) {
                    SweepPlan plan = SweepPlan.of(tree, Set.of(), SweepSpec.DEFAULT_LIMIT, quick);
                    assertTrue(plan.members().size() > 1, e.name());
                    sweeps++;
                }
            }
        }
        assertTrue(sweeps >= 2, "eos-grid at least");
        SweepPlan grid = SweepPlan.of(SpecLoader.loadTree(Path.of("experiments/eos-grid.yaml"), false, List.of()),
                Set.of(), SweepSpec.DEFAULT_LIMIT, false);
        assertEquals(24, grid.members().size());
        assertEquals(List.of("optimizer.lr", "seed", "model"), grid.spec().keys());
        assertEquals("lr=0.05,seed=0,model=fc-tanh_50_50", grid.members().get(0).id());
    }
}
