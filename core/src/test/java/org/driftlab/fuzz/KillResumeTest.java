package org.driftlab.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.driftlab.data.AtomicFiles;
import org.driftlab.data.DirectoryLock;
import org.driftlab.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL at a random point of a training run and of a study (the sweep's is SweepCommandTest's), then
 * {@code driftlab resume} (or, when the kill came before anything was written, the same command again): the result
 * is bitwise the uninterrupted one, no temporary file is left, and the directory holds nothing else. The random
 * point is drawn from a seed printed with any failure.
 */
class KillResumeTest {
    @TempDir
    Path tmp;

    static final String RUN = """
            name: killed
            model: fc-tanh:16
            data: synthetic:blobs:n=150,d=8,k=3,seed=2
            optimizer: {name: gd, lr: 0.3}
            threads: 1
            probes: {train: 5, sharpness: 10, k: 1, iterations: 10}
            stop: {steps: 120}
            checkpoint_every: 10
            """;

    static final String STUDY = """
            name: killedstudy
            kind: dal
            seed: 0
            params:
              data: synthetic:blobs:n=60,d=6,k=3,seed=1
              model: fc-tanh:8
              steps: 60
              sharpness_every: 20
              drift_every: 6
            """;

    @Test
    void aTrainingRunKilledAtRandomPointsResumesBitForBit() throws Exception {
        killedRunsEndAsTheUninterruptedOne(RUN, 2);
    }

    @Test
    void aStudyKilledAtARandomPointResumesBitForBit() throws Exception {
        killedRunsEndAsTheUninterruptedOne(STUDY, 1);
    }

    /** Runs spec uninterrupted, then kills times runs of it at random points and finishes each: all end the same. */
    private void killedRunsEndAsTheUninterruptedOne(String yaml, int times) throws Exception {
        Path spec = Files.writeString(tmp.resolve("spec.yaml"), yaml);
        Path ref = tmp.resolve("ref");
        Cli.run(0, "run", spec.toString(), "--out", ref.toString());
        long seed = System.nanoTime();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int k = 0; k < times; k++) {
            Path dir = tmp.resolve("killed" + k);
            String where = killAndFinish(List.of("run", spec.toString(), "--out", dir.toString()), dir, rng, seed);
            assertSameResults(ref, dir, where);
        }
    }

    /**
     * The same files in both directories, and every table and array (metrics, study tables, θ) bitwise equal: what a
     * resume promises. Reports, provenance and logs carry times and are compared by name only.
     */
    private static void assertSameResults(Path ref, Path dir, String where) throws IOException {
        List<Path> results;
        try (Stream<Path> s = Files.walk(ref)) {
            results = s.filter(p -> p.toString().endsWith(".csv") || p.toString().endsWith(".jsonl")
                    || p.toString().endsWith(".npy")).toList();
        }
        assertTrue(results.size() >= 3, "metrics and θ: " + results);
        for (Path t : results) {
            assertArrayEquals(Files.readAllBytes(t), Files.readAllBytes(dir.resolve(ref.relativize(t))), where + " " + t);
        }
        assertEquals(names(ref), names(dir), where);
    }

    /**
     * Starts the command in a fresh JVM, kills it (SIGKILL) after a random number of checkpoints plus a random delay,
     * then finishes it in this JVM as a user would: resume, or the same command when nothing had started.
     */
    private String killAndFinish(List<String> command, Path dir, SplittableRandom rng, long seed) throws Exception {
        int checkpoints = rng.nextInt(4);
        long extraMillis = rng.nextLong(300);
        Process p = new ProcessBuilder(Cli.javaCommand(command.toArray(new String[0]))).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            java.util.Set<String> seen = new java.util.HashSet<>(); // checkpoint writes seen: file and time
            while (seen.size() < checkpoints && p.isAlive() && System.nanoTime() < deadline) {
                seen.addAll(checkpoints(dir));
                Thread.sleep(5);
            }
            Thread.sleep(extraMillis);
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        String where = "seed " + seed + ": killed after " + checkpoints + " checkpoints + " + extraMillis + " ms";
        if (Files.exists(dir.resolve("spec.yaml"))) {
            Cli.run(0, "resume", dir.toString());
        } else {
            assertTrue(Cli.listing(dir).stream().allMatch(f -> f.equals(DirectoryLock.FILE)
                    || f.startsWith(AtomicFiles.TMP_PREFIX)), where + ": " + Cli.listing(dir));
            Cli.run(0, command.toArray(new String[0]));
        }
        List<String> temporaries = Cli.listing(dir).stream()
                .filter(f -> Path.of(f).getFileName().toString().startsWith(AtomicFiles.TMP_PREFIX)).toList();
        assertEquals(List.of(), temporaries, where + ": no partial file is left");
        return where;
    }

    /** Every checkpoint file under dir (a run's, or those of a study's training runs) with its modification time. */
    private static List<String> checkpoints(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            List<String> out = new ArrayList<>();
            for (Path p : s.filter(p -> p.getFileName().toString().equals("checkpoint.bin")).toList()) {
                out.add(p + "@" + Files.getLastModifiedTime(p).toMillis());
            }
            return out;
        } catch (IOException | UncheckedIOException e) {
            return List.of(); // files come and go while the child writes
        }
    }

    /** The files of a result directory, without the lock file (the lock's bookkeeping, not the result's). */
    private static List<String> names(Path dir) {
        List<String> out = new ArrayList<>();
        for (String f : Cli.listing(dir)) {
            if (!Path.of(f).getFileName().toString().equals(DirectoryLock.FILE)) {
                out.add(f);
            }
        }
        return out;
    }
}
