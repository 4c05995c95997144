package org.driftlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.driftlab.sweep.SweepDirectory;
import org.driftlab.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code driftlab sweep} and {@code resume} of a sweep: one-line refusals, and a SIGKILL at a random point. */
class SweepCommandTest {
    @TempDir
    Path tmp;

    private Path spec(String name, String body) throws Exception {
        Path f = tmp.resolve(name + ".yaml");
        // a body that names its own model replaces the quadratic (a key given twice is an error in YAML files)
        String model = body.startsWith("model:") ? "" : "model: \"quadratic:eigs=1,10\"\n";
        Files.writeString(f, "name: " + name + "\n" + model + "optimizer: {name: gd, lr: 0.1}\nstop: {steps: 20}\n" + body);
        return f;
    }

    @Test
    void badSweepSpecsEndInOneLineWithExitTwoAndNoDirectory() throws Exception {
        String[][] cases = {
            {"sweep:\n  grid:\n    optimizer.lrr: [0.1, 0.2]\n", "optimizer.lrr: unknown key in optimizer; allowed: name, lr"},
            {"sweep:\n  grid:\n    optimizer.lr: []\n", "sweep axis optimizer.lr: the axis is empty"},
            {"sweep:\n  grid:\n    optimizer.lr: [0.1, fast]\n", "optimizer.lr: 'fast' is not a number"},
            {"sweep:\n  grid:\n    optimizer.lr: {linspace: [0.01, 0.1, 30]}\n    seed: {linspace: [0, 29, 30]}\n",
                "sweep: 30 × 30 members exceed the limit of 500; pass --allow-large"},
            {"sweep:\n  grid:\n    seed: [0, 1.5]\n", "seed: '1.5' is not an integer"},
            {"model: fc-tanh:4\nsweep:\n  grid:\n    data: ['synthetic:blobs:n=30,d=3,k=2,seed=1', 'csv:/no/such/file.csv']\n",
                "/no/such/file.csv"},
        };
        for (int i = 0; i < cases.length; i++) {
            Path file = spec("bad" + i, cases[i][0]);
            Path out = tmp.resolve("out" + i);
            String[] r = CliRun.run(2, "sweep", file.toString(), "--out", out.toString());
            String err = r[1].strip();
            assertTrue(err.startsWith("driftlab: ") && err.contains(cases[i][1]), err);
            assertEquals(1, err.lines().count(), err);
            assertFalse(Files.exists(out), "left " + out);
        }
        // the same grid with --allow-large is accepted (checked by planning only: --engine names no engine)
        Path big = spec("big", cases[3][0]);
        String err = CliRun.run(2, "sweep", big.toString(), "--allow-large", "--engine", "none", "--out",
                tmp.resolve("big").toString())[1];
        assertTrue(err.contains("unknown engine 'none'"), err);
        assertFalse(Files.exists(tmp.resolve("big")));
    }

    @Test
    void runOnASweepSpecAndSetOfAnAxisKey() throws Exception {
        Path file = spec("q", "sweep:\n  grid:\n    optimizer.lr: [0.1, 0.21]\n    seed: [0, 1]\n");
        Path out = tmp.resolve("q");
        String stdout = CliRun.run(0, "sweep", file.toString(), "--out", out.toString(), "--set", "seed=3", "--set", "stop.steps=100",
                "--set", "sweep.grid.optimizer.lr=[0.1, 0.15, 0.21]")[0];
        assertTrue(stdout.contains("a sweep of 3 members over optimizer.lr(3)"), stdout);
        assertTrue(stdout.contains("[3/3]"), stdout);
        assertTrue(stdout.contains("2 completed, 1 diverged"), stdout);
        try (Stream<Path> s = Files.list(out.resolve(SweepDirectory.MEMBERS))) {
            assertEquals(List.of("lr=0.1", "lr=0.15", "lr=0.21"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    /**
     * The whole sweep is SIGKILLed in a child JVM after a random number of members (and a random extra delay), then
     * resumed: the same sweep.csv as an uninterrupted sweep except wall times, the same member metrics, no duplicates.
     */
    @Test
    void aSweepKilledAtARandomPointResumesToTheSameTable() throws Exception {
        Path file = tmp.resolve("kill.yaml");
        Files.writeString(file, """
                name: kill
                model: fc-tanh:16
                data: synthetic:blobs:n=150,d=8,k=3,seed=2
                optimizer: {name: gd}
                threads: 1
                probes: {sharpness: 10}
                stop: {steps: 120}
                checkpoint_every: 10
                sweep:
                  grid:
                    optimizer.lr: [0.05, 0.1, 0.4]
                    seed: [0, 1]
                """);
        Path ref = tmp.resolve("ref");
        CliRun.run(0, "sweep", file.toString(), "--parallel", "2", "--out", ref.toString());
        long seed = System.nanoTime();
        SplittableRandom rng = new SplittableRandom(seed);
        int killAfter = rng.nextInt(5); // members finished before the kill: 0..4 of 6
        long extraMillis = rng.nextLong(400);
        Path dir = tmp.resolve("killed");
        Process p = new ProcessBuilder(Cli.javaCommand("sweep", file.toString(), "--parallel", "2", "--out", dir.toString()))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (finished(dir) < killAfter && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(extraMillis);
        } finally {
            p.destroyForcibly(); // SIGKILL
            p.waitFor(30, TimeUnit.SECONDS);
        }
        String where = "seed " + seed + ": killed after " + killAfter + " members + " + extraMillis + " ms";
        if (SweepDirectory.isSweep(dir)) {
            CliRun.run(0, "resume", dir.toString());
        } else {
            // killed before the sweep wrote anything: the directory is absent or empty (its lock file aside), resume
            // says so, and the same command starts the sweep there
            assertTrue(Cli.listing(dir).stream().allMatch(f -> f.equals(".lock") || f.startsWith(".tmp-")),
                    where + ": " + Cli.listing(dir));
            if (Files.exists(dir)) {
                assertTrue(Cli.userError("resume", dir.toString()).contains("holds nothing to resume"), where);
            }
            CliRun.run(0, "sweep", file.toString(), "--parallel", "2", "--out", dir.toString());
        }
        assertEquals(org.driftlab.sweep.SweepRunnerTest.withoutWallTimes(ref),
                org.driftlab.sweep.SweepRunnerTest.withoutWallTimes(dir), where);
        List<Path> members;
        try (Stream<Path> s = Files.list(dir.resolve(SweepDirectory.MEMBERS))) {
            members = s.sorted().toList();
        }
        assertEquals(6, members.size(), where);
        for (Path m : members) {
            Path r = ref.resolve(SweepDirectory.MEMBERS).resolve(m.getFileName());
            assertArrayEquals(Files.readAllBytes(r.resolve("metrics.csv")), Files.readAllBytes(m.resolve("metrics.csv")),
                    where + " " + m.getFileName());
        }
    }

    private static int finished(Path dir) {
        Path members = dir.resolve(SweepDirectory.MEMBERS);
        if (!Files.isDirectory(members)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(members)) {
            return (int) s.filter(m -> Files.exists(m.resolve(SweepDirectory.RESULT))).count();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }


}
