package org.driftlab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.driftlab.sweep.EngineOptions;
import org.driftlab.sweep.LocalEngine;
import org.driftlab.sweep.Member;
import org.driftlab.sweep.SweepDirectory;
import org.driftlab.sweep.SweepPlan;
import org.driftlab.sweep.SweepRunner;
import org.driftlab.sweep.SweepSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The comparison report of a sweep and of loose run directories. */
class SweepReportTest {
    @TempDir
    Path tmp;

    @Test
    void seedBandsAreTheMeanAndTheStandardErrorOfTheMean() {
        // values 1, 2, 6: mean 3, sample variance ((−2)² + (−1)² + 3²)/2 = 7, s.e. = √(7/3)
        double[] m = SweepReport.meanAndStandardError(List.of(1.0, 2.0, 6.0));
        assertEquals(3.0, m[0], 1e-15);
        assertEquals(Math.sqrt(7.0 / 3), m[1], 1e-15);
        assertArrayEquals(new double[] {5, 0}, SweepReport.meanAndStandardError(List.of(5.0, Double.NaN)));
    }

    @Test
    void aSweepReportOverlaysMembersAndDrawsMetricsAgainstTheAxes() throws Exception {
        Map<String, Object> tree = new Yaml().load("""
                name: rep
                model: fc-tanh:6
                data: synthetic:blobs:n=40,d=4,k=3,seed=2
                optimizer: {name: gd}
                probes: {sharpness: 4}
                stop: {steps: 12}
                sweep:
                  grid:
                    optimizer.lr: [0.05, 0.5]
                    seed: [0, 1]
                """);
        SweepPlan plan = SweepPlan.of(tree, Set.of(), SweepSpec.DEFAULT_LIMIT, false);
        Path dir = tmp.resolve("rep");
        SweepRunner.start(plan, dir, new LocalEngine(new EngineOptions(2, 1, null)), new SweepRunner.Listener() {});
        Path html = SweepReport.write(dir);
        String page = Files.readString(html);
        for (Member m : plan.members()) {
            assertTrue(page.contains(">" + m.id() + "</a>"), m.id());
            assertTrue(Files.exists(SweepDirectory.memberDir(dir, m).resolve(ReportWriter.HTML)), "member report " + m.id());
        }
        for (String chart : List.of("sweep-sharpness", "sweep-sharpness-ratio", "sweep-loss",
                "axis-final-sharpness-vs-optimizer-lr", "axis-final-train-loss-vs-optimizer-lr")) {
            assertTrue(Files.exists(dir.resolve("chart-" + chart + ".png")), chart);
            assertTrue(page.contains("id=\"" + chart + "\""), chart);
        }
        assertTrue(page.contains("mean ± s.e. over seeds"), "seed bands");
        assertTrue(page.contains("2/h"), "2/h curves");

        // report A B: the axes are the spec keys in which the runs differ
        Path a = SweepDirectory.memberDir(dir, plan.members().get(0));
        Path b = SweepDirectory.memberDir(dir, plan.members().get(3));
        String cmp = Files.readString(SweepReport.compare(List.of(a, b), tmp.resolve("cmp")));
        assertTrue(cmp.contains("they differ in optimizer.lr, seed"), cmp.substring(0, 600));
        assertTrue(Files.exists(tmp.resolve("cmp/chart-sweep-sharpness.png")));
    }
}
