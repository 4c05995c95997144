package org.driftlab.experiment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.driftlab.study.StudySpec;
import org.driftlab.study.Studies;
import org.junit.jupiter.api.Test;

/**
 * Every file of the catalogue loads and validates at both sizes (a typo in a shipped experiment fails here, not
 * in a researcher's terminal), and every registered study kind has a catalogue entry.
 */
class CatalogueTest {
    @Test
    void everyEntryValidatesAtFullAndQuickSize() {
        List<SpecLoader.Entry> entries = SpecLoader.catalogue(Path.of("experiments"));
        assertFalse(entries.isEmpty(), "the catalogue is empty");
        Set<String> kinds = new HashSet<>();
        for (SpecLoader.Entry e : entries) {
            for (boolean quick : new boolean[] {false, true}) {
                Map<String, Object> tree = SpecLoader.loadTree(e.path(), quick, List.of());
                if (tree.containsKey("sweep")) {
                    continue; // a sweep validates every member's spec: sweep.CatalogueSweepsTest
                }
                if (StudySpec.isStudy(tree)) {
                    kinds.add(StudySpec.fromMap(tree, quick).kind());
                } else {
                    SpecLoader.load(e.path(), quick, List.of());
                }
            }
            assertFalse(e.description().isBlank(), e.name() + " has no description");
        }
        for (String kind : Studies.kinds()) {
            assertTrue(kinds.contains(kind) || kind.equals("toy-gd"), "study kind " + kind + " has no catalogue entry");
        }
    }
}
