package org.driftlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.driftlab.data.Npy;
import org.driftlab.experiment.Runner;
import org.driftlab.experiment.Spec;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Network;
import org.driftlab.nn.Networks;
import org.driftlab.objective.NetObjective;
import org.driftlab.data.DataSources;
import org.driftlab.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * run, resume, report, list and bench through the command entry point ({@link Main#execute}), as a user types them:
 * exit codes, the key lines they print and the files they write.
 */
class CommandsTest {
    private static final String DATA = "synthetic:blobs:n=40,d=5,k=3,seed=3";

    @TempDir
    Path tmp;

    /** A two-sub-run training spec of 30 steps with λ1 every 10 steps (about a second). */
    private Path spec() throws Exception {
        Path f = tmp.resolve("tiny.yaml");
        Files.writeString(f, """
                name: tiny
                description: "a tiny run for the command tests"
                model: fc-tanh:6
                data: %s
                loss: mse
                optimizer: {name: gd}
                lrs: [0.1]
                seeds: [0]
                probes: {sharpness: 10}
                stop: {steps: 30}
                checkpoint_every: 5
                cpu_seconds: {quick: 1, full: 2}   # describes the file, not the run: dropped when the spec is read
                """.formatted(DATA));
        return f;
    }

    private static List<String> lines(Path p) throws Exception {
        return Files.readAllLines(p);
    }

    @Test
    void runWritesARunDirectoryWithItsReportAndTakesThreadsAndSeed() throws Exception {
        Path dir = tmp.resolve("run");
        String out = CliRun.run(0, "run", spec().toString(), "--threads", "2", "--seed", "7", "--out", dir.toString())[0];
        assertTrue(out.startsWith("driftlab: tiny -> " + dir + " (1 sub-run)"), out);
        assertTrue(out.contains("r0 h=0.1 seed=7: starting at step 0 of 30"), out);
        assertTrue(out.contains("r0 h=0.1 seed=7: completed at step 30"), out);
        assertTrue(out.strip().endsWith("report: " + dir.resolve("report.html")), out);
        for (String f : new String[] {"spec.yaml", "metrics.csv", "metrics.jsonl", "provenance.json", "theta_final_r0.npy",
            "report.html", "chart-sharpness.png", "chart-sharpness.svg", "chart-sharpness.pdf"}) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        // --threads and --seed are the spec's own keys: resolved into spec.yaml
        Spec resolved = Spec.fromMap(SpecLoader.readYaml(dir.resolve(Runner.SPEC)));
        assertEquals(2, resolved.threads());
        assertEquals(List.of(7L), resolved.seeds());
        // 30 steps: a row at step 0 and at every sharpness probe, the last one at step 30
        List<String> csv = lines(dir.resolve("metrics.csv"));
        assertTrue(csv.get(csv.size() - 1).startsWith("r0,"), csv.get(csv.size() - 1));
        // the run is determined by its seed and threads: the same command gives the same θ, another seed another θ
        Path again = tmp.resolve("again");
        CliRun.run(0, "run", spec().toString(), "--threads", "2", "--seed", "7", "--out", again.toString());
        assertTrue(java.util.Arrays.equals(Npy.read(dir.resolve("theta_final_r0.npy")).values(),
                Npy.read(again.resolve("theta_final_r0.npy")).values()), "same seed and threads, same θ");
        Path other = tmp.resolve("other");
        CliRun.run(0, "run", spec().toString(), "--seed", "8", "--out", other.toString());
        assertFalse(java.util.Arrays.equals(Npy.read(dir.resolve("theta_final_r0.npy")).values(),
                Npy.read(other.resolve("theta_final_r0.npy")).values()), "another seed, another θ_0 and θ");
    }

    /**
     * A spec with two learning rates is a sweep; with its members run one at a time (--parallel 1; the default on 2
     * cores when a member takes both) each prints its step progress (once a whole probe cycle is timed) with the whole
     * job's ETA, then the sweep's line for it.
     */
    @Test
    void aSweepRunOneMemberAtATimeShowsStepProgressWithTheJobsEta() throws Exception {
        Path f = tmp.resolve("two.yaml");
        Files.writeString(f, Files.readString(spec()).replace("lrs: [0.1]", "lrs: [0.1, 0.05]")
                .replace("stop: {steps: 30}", "stop: {steps: 200}"));
        Path dir = tmp.resolve("sweep");
        String out = CliRun.run(0, "sweep", f.toString(), "--parallel", "1", "--out", dir.toString())[0];
        assertTrue(out.startsWith("driftlab: tiny, a sweep of 2 members"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("r0 h=0\\.1 step \\d+/200 ETA \\S+, job \\S+ E=.*")), out);
        assertFalse(out.contains("starting at step"), "the sweep prints each member's own lines: " + out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("[1/2] ")) && out.lines().anyMatch(l -> l.startsWith("[2/2] ")),
                out);
        assertTrue(Files.isRegularFile(dir.resolve("sweep.csv")) && Files.isRegularFile(dir.resolve("report.html")));
    }

    @Test
    void badThreadsIsOneLineAndNoDirectory() throws Exception {
        Path dir = tmp.resolve("bad");
        String err = CliRun.run(2, "run", spec().toString(), "--threads", "0", "--out", dir.toString())[1].strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("threads"), err);
        assertFalse(Files.exists(dir));
    }

    /** A run killed at step 17 (after its checkpoint at 15), resumed by the command: the uninterrupted run's files. */
    @Test
    void resumeContinuesAKilledRunToTheUninterruptedRunsMetrics() throws Exception {
        Path ref = tmp.resolve("ref");
        CliRun.run(0, "run", spec().toString(), "--out", ref.toString());
        Spec s = Spec.fromMap(SpecLoader.readYaml(ref.resolve(Runner.SPEC)));
        Path killed = tmp.resolve("killed");
        class Killed extends RuntimeException {}
        assertThrows(Killed.class, () -> Runner.start(s, killed, Runner.Options.defaults().withHook((run, t) -> {
            if (t == 17) {
                throw new Killed();
            }
        })));
        String out = CliRun.run(0, "resume", killed.toString())[0];
        assertTrue(out.contains("r0 h=0.1 seed=0: resuming at step 15 of 30"), out);
        assertTrue(out.strip().endsWith("report: " + killed.resolve("report.html")), out);
        assertEquals(lines(ref.resolve("metrics.csv")), lines(killed.resolve("metrics.csv")));
        assertTrue(java.util.Arrays.equals(Npy.read(ref.resolve("theta_final_r0.npy")).values(),
                Npy.read(killed.resolve("theta_final_r0.npy")).values()));
        // a directory that is not a run: one line, exit 2
        String err = CliRun.run(2, "resume", tmp.toString())[1].strip();
        assertEquals(1, err.lines().count(), err);
    }

    @Test
    void reportRewritesTheReportAndComparesRuns() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        CliRun.run(0, "run", spec().toString(), "--out", a.toString());
        CliRun.run(0, "run", spec().toString(), "--seed", "1", "--out", b.toString());
        Files.delete(a.resolve("report.html"));
        Files.delete(a.resolve("chart-sharpness.png"));
        assertEquals(a.resolve("report.html").toString(), CliRun.run(0, "report", a.toString())[0].strip());
        assertTrue(Files.isRegularFile(a.resolve("report.html")) && Files.isRegularFile(a.resolve("chart-sharpness.png")));
        Path cmp = tmp.resolve("cmp");
        String out = CliRun.run(0, "report", a.toString(), b.toString(), "--out", cmp.toString())[0].strip();
        assertEquals(cmp.resolve("report.html").toString(), out);
        assertTrue(Files.readString(cmp.resolve("report.html")).contains("they differ in seed"));
        String err = CliRun.run(2, "report", tmp.resolve("nothing").toString())[1].strip();
        assertEquals(1, err.lines().count(), err);
    }

    /**
     * list: a header, then one line per catalogue file: its name, the measured CPU time of its --quick and full sizes
     * as its spec file states them (cpu_seconds:, their one home), and its description.
     */
    @Test
    void listPrintsEveryCatalogueEntryWithItsMeasuredTimes() {
        String out = CliRun.run(0, "list")[0];
        List<SpecLoader.Entry> entries = SpecLoader.catalogue(SpecLoader.catalogueDir());
        assertTrue(entries.size() >= 10, "the repository's catalogue: " + entries);
        List<String> lines = out.lines().toList();
        assertEquals(entries.size() + 1, lines.size(), out);
        assertTrue(lines.get(0).matches("NAME +QUICK +FULL +CPU time \\(user\\+sys\\) measured on 2 cores.*"), lines.get(0));
        for (int i = 0; i < entries.size(); i++) {
            SpecLoader.Entry e = entries.get(i);
            List<String> cells = List.of(lines.get(i + 1).split(" +", 4));
            assertEquals(List.of(e.name(), ListCommand.time(e.quickCpuSeconds()), ListCommand.time(e.fullCpuSeconds()),
                    e.description()), cells, lines.get(i + 1));
        }
        SpecLoader.Entry eos = entries.stream().filter(e -> e.name().equals("eos")).findFirst().orElseThrow();
        assertTrue(eos.quickCpuSeconds() != null && eos.fullCpuSeconds() != null, "the main job's times are measured");
        assertTrue(eos.quickCpuSeconds() < eos.fullCpuSeconds());
        assertEquals("45s", ListCommand.time(45.0));
        assertEquals("3m07s", ListCommand.time(187.0));
        assertEquals("?", ListCommand.time(null));
    }

    /** bench on a tiny net: the JSON holds the timings, positive, and the ratio is the ratio of the two. */
    @Test
    @SuppressWarnings("unchecked")
    void benchTimesATinyNetwork() {
        String out = CliRun.run(0, "bench", "--n", "50", "--width", "8", "--depth", "1", "--reps", "2", "--warmup", "0",
                "--skip", "noise,gemm,fresh,lanczos", "--json")[0];
        Map<String, Object> m = (Map<String, Object>) new org.yaml.snakeyaml.Yaml().load(out.strip());
        assertEquals("fc-tanh:8", m.get("model"));
        assertEquals(50, ((Number) m.get("n")).intValue());
        assertEquals(784 * 8 + 8 + 8 * 10 + 10, ((Number) m.get("params")).intValue());
        double grad = ((Number) m.get("grad_s")).doubleValue();
        double reuse = ((Number) m.get("hvp_reuse_s")).doubleValue();
        assertTrue(grad > 0 && reuse > 0, out);
        assertEquals(reuse / grad, ((Number) m.get("hvp_reuse_over_grad")).doubleValue(), 1e-12 * reuse / grad);
        String err = CliRun.run(2, "bench", "--n", "0")[1].strip();
        assertEquals(1, err.lines().count(), err);
    }

    /**
     * curvature RUN_DIR evaluates the run's own problem at its final θ: the loss it prints is the loss of the spec's
     * model, data and loss at theta_final_r0.npy, computed here directly.
     */
    @Test
    @SuppressWarnings("unchecked")
    void curvatureReadsModelDataLossAndThetaFromARunDirectory() throws Exception {
        Path dir = tmp.resolve("run");
        CliRun.run(0, "run", spec().toString(), "--out", dir.toString());
        Path json = tmp.resolve("c.json");
        CliRun.run(0, "curvature", dir.toString(), "--topk", "1", "--hutchinson", "4", "--slq-steps", "10", "--json",
                "--out", json.toString());
        Map<String, Object> m = (Map<String, Object>) new org.yaml.snakeyaml.Yaml().load(Files.readString(json));
        Dataset ds = DataSources.parse(DATA);
        Network net = Networks.parse("fc-tanh:6", ds.inputShape(), ds.outputSize());
        double[] theta = Npy.read(dir.resolve("theta_final_r0.npy")).values();
        double loss = NetObjective.of(net, Loss.MSE, ds).value(theta);
        assertEquals(loss, ((Number) m.get("loss")).doubleValue(), 1e-12 * loss);
        assertEquals("fc-tanh:6", m.get("model"));
        // errors: --model beside RUN_DIR, a sub-run it does not have, a directory that is no run
        for (String[] args : new String[][] {{"curvature", dir.toString(), "--model", "fc-tanh:3"},
            {"curvature", dir.toString(), "--subrun", "r5"}, {"curvature", tmp.toString()}, {"curvature"}}) {
            String err = CliRun.run(2, args)[1].strip();
            assertEquals(1, err.lines().count(), String.join(" ", args) + ": " + err);
        }
    }
}
