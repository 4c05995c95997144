package org.driftlab.experiment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.driftlab.data.HideInstalledData;
import org.driftlab.study.StudyRunner;
import org.driftlab.study.StudySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every experiment of the catalogue, at its full and its quick size, finds its data on a machine without the
 * optional packages: what it names is synthetic or within the Fashion-MNIST subset embedded in the jar.
 */
@ExtendWith(HideInstalledData.class)
class CatalogueDataTest {
    @Test
    void everyEntryRunsOnTheEmbeddedSubset() {
        List<SpecLoader.Entry> entries = SpecLoader.catalogue(Path.of("experiments"));
        assertFalse(entries.isEmpty());
        int fashion = 0;
        for (SpecLoader.Entry e : entries) {
            for (boolean quick : new boolean[] {false, true}) {
                Map<String, Object> tree = SpecLoader.loadTree(e.path(), quick, List.of());
                if (tree.containsKey("sweep")) {
                    continue; // planning a sweep checks every member's data: sweep.CatalogueSweepsTest
                }
                // the check throws the user error a run would print (e.g. more images than the subset holds)
                if (StudySpec.isStudy(tree)) {
                    StudySpec s = StudySpec.fromMap(tree, quick);
                    StudyRunner.check(s);
                    fashion += String.valueOf(Params.toMap(s.params()).get("data")).startsWith("fashion-mnist") ? 1 : 0;
                } else {
                    Spec s = SpecLoader.load(e.path(), quick, List.of());
                    Runner.check(s, Runner.Options.defaults());
                    fashion += s.data().startsWith("fashion-mnist") ? 1 : 0;
                }
            }
        }
        assertTrue(fashion >= 10, "the catalogue's Fashion-MNIST entries were checked: " + fashion);
    }
}
