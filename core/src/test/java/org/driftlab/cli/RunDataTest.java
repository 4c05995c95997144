package org.driftlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.driftlab.data.HideInstalledData;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.report.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code driftlab run} on a machine without the optional data packages (hidden here): the main job shows the edge
 * of stability on the Fashion-MNIST subset embedded in the jar and says so; a named data set that is neither
 * installed nor embedded, or asked for in a size the subset does not hold, is one error line, exit code 2, and no
 * run directory.
 */
@ExtendWith(HideInstalledData.class)
class RunDataTest {
    @TempDir
    Path tmp;

    /** stdout and stderr of one CLI call in this JVM, which must end with the exit code given. */
    private static Result run(int code, String... args) {
        String[] r = CliRun.run(code, args);
        return new Result(r[0], r[1]);
    }

    private record Result(String out, String err) {}

    @Test
    void eosQuickReachesTwoOverHForEveryLearningRateOnTheEmbeddedSubset() throws Exception {
        Path dir = tmp.resolve("eos");
        Result r = run(0, "run", "eos", "--quick", "--out", dir.toString());
        assertTrue(r.out().contains("data: fashion-mnist:train:500:standardize: N=500, input [784], 10 classes; "
                + "Fashion-MNIST embedded subset (first 5000 of the 60000 training images"), r.out());
        // eos is a sweep over h: one member (an ordinary run directory) per learning rate
        List<Path> members;
        try (java.util.stream.Stream<Path> s = Files.list(dir.resolve("members"))) {
            members = s.sorted().toList();
        }
        assertEquals(2, members.size(), "eos --quick runs two learning rates: " + members);
        for (Path m : members) {
            Map<String, Object> prov = SpecLoader.readYaml(m.resolve("provenance.json"));
            Map<?, ?> o = (Map<?, ?>) ((List<?>) prov.get("outcomes")).get(0); // the data are recorded per run
            Object data = ((Map<?, ?>) o.get("data")).get("description");
            assertTrue(String.valueOf(data).contains("embedded subset"), String.valueOf(data));
            assertTrue(Files.readString(m.resolve("report.html")).contains("Fashion-MNIST embedded subset"));
            // from the metrics themselves: some probe of λ1 at or above 2/h
            CsvTable t = CsvTable.read(m.resolve("metrics.csv"));
            String lr = t.first("lr");
            double max = 0;
            for (double s : t.nonEmpty("sharpness").col("sharpness")) {
                max = Math.max(max, s);
            }
            double edge = 2 / Double.parseDouble(lr);
            assertTrue(max >= edge, "h = " + lr + ": λ1 peaks at " + max + " < 2/h = " + edge);
            // and the runner's own verdict, judged once and stored, agrees
            Map<?, ?> verdict = (Map<?, ?>) o.get("edge");
            assertNotNull(verdict.get("first_step"), "edge not reached: " + o);
            assertEquals("at the edge", verdict.get("verdict"), String.valueOf(o));
        }
        assertEquals(2, r.out().lines().filter(l -> l.contains(": edge of stability: at the edge: λ1 ≥ 2/h at step")).count(),
                r.out());
    }

    @Test
    void aMissingNamedDataSetIsOneLineExitTwoAndNoRunDirectory() throws Exception {
        Path spec = tmp.resolve("mnist.yaml");
        Files.writeString(spec, String.join("\n", "name: mnist-gd", "model: fc-tanh:8", "data: mnist:train:100",
                "loss: mse", "optimizer: {name: gd, lr: 0.1}", "stop: {steps: 5}", ""));
        Path out = tmp.resolve("never");
        Result r = run(2, "run", spec.toString(), "--out", out.toString());
        assertOneLine(r.err(), "driftlab: MNIST not found: ");
        assertTrue(r.err().contains("not embedded"), r.err());
        assertEquals("", r.out(), "nothing announced before the error");
        assertFalse(Files.exists(out), "no run directory");

        // Fashion-MNIST in a size the embedded subset does not hold: the same, and the message says how to get more
        Result big = run(2, "run", "eos", "--quick", "--set", "data=fashion-mnist:train:6000", "--out", out.toString());
        // (eos is a sweep: the error names the member whose spec was checked first)
        assertOneLine(big.err(), "driftlab: sweep member lr=0.05: data source 'fashion-mnist:train:6000' asks for 6000 images");
        assertTrue(big.err().contains("sudo scripts/install-native.sh"), big.err());
        assertFalse(Files.exists(out), "no run directory");

        // a study's data parameter is checked before the study creates anything
        Result study = run(2, "run", "sgd-eos", "--quick", "--set", "params.data=fashion-mnist:train:6000", "--out",
                out.toString());
        assertOneLine(study.err(), "driftlab: params.data: data source 'fashion-mnist:train:6000' asks for 6000");
        assertFalse(Files.exists(out), "no run directory");
    }

    private static void assertOneLine(String text, String prefix) {
        assertTrue(text.startsWith(prefix), text);
        assertEquals(1, text.strip().lines().count(), text);
    }
}
