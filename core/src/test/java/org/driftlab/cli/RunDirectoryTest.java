package org.driftlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.driftlab.DriftlabException;
import org.driftlab.data.AtomicFiles;
import org.driftlab.data.DirectoryLock;
import org.driftlab.experiment.Runner;
import org.driftlab.experiment.Spec;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, "run directories are not owned": each failure reproduced before it was fixed. A run directory is now
 * claimed only after everything is validated, locked for the life of the run (one lock, {@code data.DirectoryLock},
 * for runs, studies, sweeps and resume), and removed again when the run fails before it has anything to resume.
 */
class RunDirectoryTest {
    @TempDir
    Path tmp;

    static final String TINY = """
            name: tiny
            model: fc-tanh:6
            data: synthetic:blobs:n=48,d=4,k=3,seed=1
            optimizer: {name: gd, lr: %s}
            threads: 1
            probes: {train: 5}
            stop: {steps: %d}
            checkpoint_every: 5
            """;

    private Path spec(String name, double lr, int steps) throws Exception {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, TINY.formatted(lr, steps));
        return f;
    }

    /** Before: --out "" wrote a whole run into the current directory. */
    @Test
    void anEmptyOutIsRefused() throws Exception {
        Path f = spec("a", 0.1, 5);
        assertEquals("--out is empty; give a directory for the run (or leave --out out for runs/NAME-TIMESTAMP)",
                Cli.userError("run", f.toString(), "--out", ""));
        assertTrue(Cli.userError("run", f.toString(), "--out", " ").startsWith("--out is empty"));
        assertFalse(Files.exists(Path.of("spec.yaml")), "nothing in the working directory");
        Files.writeString(tmp.resolve("sw.yaml"), TINY.formatted(0.1, 5) + "sweep: {grid: {seed: [0, 1]}}\n");
        assertTrue(Cli.userError("sweep", tmp.resolve("sw.yaml").toString(), "--out", "").startsWith("--out is empty"));
        // a file, or a directory holding something else, is not a run directory
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertTrue(Cli.userError("run", f.toString(), "--out", file.toString()).endsWith("is a file; give a new "
                + "directory for the run"));
        Path full = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(full.resolve("notes.txt"), "mine");
        assertTrue(Cli.userError("run", f.toString(), "--out", full.toString()).contains("already exists and is not "
                + "empty; give a new or empty directory for the run"));
        assertEquals(List.of("notes.txt"), Cli.listing(full));
        // the landscape claims its directory as runs do
        String[] landscape = {"landscape", "--model", "xyzw", "--directions", "random-filter-normalised", "--grid", "3",
            "--out"};
        assertTrue(Cli.userError(concat(landscape, "")).startsWith("the output directory is empty"));
        assertFalse(Files.exists(Path.of("landscape.json")), "nothing in the working directory");
        assertTrue(Cli.userError(concat(landscape, full.toString())).contains("exists and is not a landscape directory"));
        assertEquals(List.of("notes.txt"), Cli.listing(full));
        // files named by options: an empty name is refused, not "cannot write : is a directory"
        for (String option : List.of("--out", "--density")) {
            assertEquals("the output file name is empty; give a file to write", Cli.userError("curvature", "--model",
                    "fc-tanh:3", "--data", "synthetic:blobs:n=12,d=4,k=3,seed=1", "--loss", "mse", option, ""));
        }
    }

    /** Before: report A B --out "" wrote the comparison into the current directory; into a run, over its report. */
    @Test
    void aComparisonGoesToANewDirectoryOrAnEarlierComparison() throws Exception {
        Path a = tmp.resolve("ra");
        Path b = tmp.resolve("rb");
        Cli.run(0, "run", spec("a", 0.1, 5).toString(), "--out", a.toString());
        Cli.run(0, "run", spec("b", 0.2, 5).toString(), "--out", b.toString());
        assertTrue(Cli.userError("report", a.toString(), b.toString(), "--out", "").startsWith("--out is empty"));
        assertFalse(Files.exists(Path.of("report.html")), "nothing in the working directory");
        List<String> before = Cli.listing(a);
        assertTrue(Cli.userError("report", a.toString(), b.toString(), "--out", a.toString())
                .contains("holds more than an earlier comparison"));
        assertEquals(before, Cli.listing(a));
        Path cmp = tmp.resolve("cmp");
        Cli.run(0, "report", a.toString(), b.toString(), "--out", cmp.toString());
        Cli.run(0, "report", a.toString(), b.toString(), "--out", cmp.toString()); // rendered again in place
    }

    private static String[] concat(String[] a, String last) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = last;
        return out;
    }

    /** Before: a run refused by validation left a folder that then blocked the same command ("already holds a run"). */
    @Test
    void aRefusedRunLeavesNothingAndTheSameCommandThenWorks() throws Exception {
        Path f = spec("a", 0.1, 5);
        Path out = tmp.resolve("out");
        String[][] refusals = {
            {"--set", "data=synthetic:blobs:n=48,d=4,k=3:label-noise=-0.5"},
            {"--set", "model=fc-tanh:"},
            {"--set", "model=fc-tanh:100000000"},
            {"--set", "data=csv:" + tmp.resolve("missing.csv")},
            {"--set", "model=quadratic:eigs=a"},
        };
        for (String[] r : refusals) {
            List<String> args = new ArrayList<>(List.of("run", f.toString(), "--out", out.toString()));
            args.addAll(List.of(r));
            Cli.userError(args.toArray(new String[0]));
            assertFalse(Files.exists(out), "refused and nothing left: " + String.join(" ", r));
        }
        Cli.run(0, "run", f.toString(), "--out", out.toString());
        assertTrue(Files.exists(out.resolve("metrics.csv")));
    }

    /** A run that fails after its directory was claimed but before its first checkpoint removes the directory. */
    @Test
    void aRunFailingBeforeItsFirstCheckpointLeavesNothing() throws Exception {
        Path csv = Files.writeString(tmp.resolve("d.csv"), "a,b,y\n0.1,0.2,0\n0.3,0.4,1\n");
        Spec spec = Spec.fromMap(SpecLoader.loadTree(spec("c", 0.1, 5), false, List.of("data=csv:" + csv)));
        Path out = tmp.resolve("out");
        Runner.Options breaking = Runner.Options.defaults();
        Runner.check(spec, breaking);
        Files.writeString(csv, "a,b,y\n0.1,x,0\n"); // broken between the check and the load
        DriftlabException e = org.junit.jupiter.api.Assertions.assertThrows(DriftlabException.class,
                () -> Runner.start(spec, out, breaking));
        assertTrue(e.getMessage().contains("not a number: 'x'"), e.getMessage());
        assertFalse(Files.exists(out));
    }

    /**
     * Before: two runs started at once on one --out could both exit 0, leaving spec.yaml from one and metrics.csv
     * from the other. Now exactly one of two processes started together owns the directory; the other is refused in
     * one line, and what is there is one run's.
     */
    @Test
    void twoProcessesStartedTogetherOnOneOutLeaveOneRun() throws Exception {
        Path a = spec("a", 0.05, 60);
        Path b = spec("b", 0.2, 60);
        Path out = tmp.resolve("shared");
        Process pa = new ProcessBuilder(Cli.javaCommand("run", a.toString(), "--out", out.toString()))
                .redirectErrorStream(false).redirectOutput(tmp.resolve("a.out").toFile())
                .redirectError(tmp.resolve("a.err").toFile()).start();
        Process pb = new ProcessBuilder(Cli.javaCommand("run", b.toString(), "--out", out.toString()))
                .redirectOutput(tmp.resolve("b.out").toFile()).redirectError(tmp.resolve("b.err").toFile()).start();
        assertTrue(pa.waitFor(120, TimeUnit.SECONDS) && pb.waitFor(120, TimeUnit.SECONDS));
        List<Integer> codes = List.of(pa.exitValue(), pb.exitValue());
        assertTrue(codes.contains(0) && codes.contains(2), "one owns it, one is refused: " + codes);
        String refused = Files.readString(tmp.resolve(pa.exitValue() == 2 ? "a.err" : "b.err")).strip();
        assertEquals(1, refused.lines().filter(l -> !l.startsWith("WARNING")).count(), refused);
        assertTrue(refused.contains("already holds a run") || refused.contains("is in use by another driftlab")
                || refused.contains("already exists and is not empty"), refused);
        double lr = pa.exitValue() == 0 ? 0.05 : 0.2;
        assertTrue(Files.readString(out.resolve("spec.yaml")).contains("- " + lr));
        for (String row : Files.readAllLines(out.resolve("metrics.csv")).subList(1, 10)) {
            assertEquals(lr, Double.parseDouble(row.split(",")[1]), "metrics and spec of the same run");
        }
    }

    /** A running run's directory is locked: a resume in another thread (or process) is refused while it runs. */
    @Test
    void aResumeWhileTheRunIsRunningIsRefused() throws Exception {
        Spec spec = Spec.fromMap(SpecLoader.loadTree(spec("l", 0.1, 40), false, List.of()));
        Path out = tmp.resolve("locked");
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread t = new Thread(() -> Runner.start(spec, out, Runner.Options.defaults().withHook((run, step) -> {
            if (step == 10) {
                running.countDown();
                awaitRelease(release);
            }
        })));
        t.start();
        try {
            assertTrue(running.await(60, TimeUnit.SECONDS));
            String line = Cli.userError("resume", out.toString());
            assertTrue(line.startsWith(out + " is in use by another task of this driftlab"), line);
        } finally {
            release.countDown();
            t.join(60_000);
        }
        assertTrue(Runner.isFinished(out));
    }

    /** The command that makes each kind of result directory, tiny, ending with its --out. */
    private List<String[]> startsInto(Path dir) throws Exception {
        Files.writeString(tmp.resolve("sw.yaml"), TINY.formatted(0.1, 5) + "sweep: {grid: {seed: [0, 1]}}\n");
        return List.of(
                new String[] {"run", spec("k", 0.1, 5).toString(), "--out", dir.toString()},
                new String[] {"sweep", tmp.resolve("sw.yaml").toString(), "--out", dir.toString()},
                new String[] {"landscape", "--model", "xyzw", "--directions", "random-filter-normalised", "--grid", "3",
                    "--out", dir.toString()});
    }

    /**
     * A start killed (SIGKILL) after it took its directory's lock and before its first write leaves the lock file
     * alone, the holder's pid in it (simulated here as DirectoryLock writes it; the real kill is the next test).
     * Before: {@code landscape} refused such a directory ("exists and is not a landscape directory"), and
     * {@code resume} said it was stopped before the run started even while its holder was still alive. Now the same
     * command claims it as a fresh directory, resume says in one line that the start was killed and leaves the
     * directory claimable, and a live holder is refused by both.
     */
    @Test
    void aDirectoryHoldingOnlyAStaleLockIsStartedAgainAndNotResumed() throws Exception {
        int n = 0;
        for (String[] start : startsInto(tmp.resolve("unused"))) {
            Path dir = Files.createDirectories(tmp.resolve("killed" + n++));
            String[] again = start.clone();
            again[again.length - 1] = dir.toString();
            // beyond Linux's largest pid (2^22): no live process holds it, as after a kill
            Files.writeString(dir.resolve(DirectoryLock.FILE), "999999999\n");
            Files.writeString(dir.resolve(AtomicFiles.TMP_PREFIX + "spec.yaml-1"), "half a fi"); // a write under way
            String line = Cli.userError("resume", dir.toString());
            assertEquals(dir + " holds nothing to resume: its run, study or sweep was killed before its first "
                    + "checkpoint; start it again with the same command (the same --out can be used)", line);
            assertEquals(List.of(DirectoryLock.FILE), Cli.listing(dir), "nothing but the lock, free for the start");
            Cli.run(0, again);
            assertTrue(Cli.listing(dir).contains("report.html"), String.join(" ", again));
        }
        // an empty directory that no driftlab ever locked was not killed: resume says only that it is empty
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertEquals(empty + " is empty; resume takes a run, study or sweep directory", Cli.userError("resume",
                empty.toString()));
        assertEquals(List.of(), Cli.listing(empty));
        // a live holder (another thread of this JVM here) is a start on its way to its first write: refused by both
        Path busy = Files.createDirectories(tmp.resolve("busy"));
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            try (DirectoryLock lock = DirectoryLock.acquire(busy)) {
                held.countDown();
                awaitRelease(release);
            }
        });
        holder.start();
        try {
            assertTrue(held.await(60, TimeUnit.SECONDS));
            assertTrue(Cli.userError("resume", busy.toString()).startsWith(busy + " is in use by another task of "
                    + "this driftlab"));
            for (String[] start : startsInto(busy)) {
                assertTrue(Cli.userError(start).contains(" is in use by another task of this driftlab"),
                        String.join(" ", start));
                assertEquals(List.of(DirectoryLock.FILE), Cli.listing(busy));
            }
        } finally {
            release.countDown();
            holder.join(60_000);
        }
    }

    /**
     * The same with a real process and a real SIGKILL: a JVM that claims the directory as a start does and then waits
     * (no clock: the test waits for its "locked" line). While it lives, its pid is named by both refusals; once killed,
     * resume says so and the run starts there.
     */
    @Test
    void aStartKilledAfterTakingItsLockIsStartedAgain() throws Exception {
        Path dir = tmp.resolve("killed");
        Process p = new ProcessBuilder(Cli.javaMain(ClaimAndWait.class.getName(), dir.toString()))
                .redirectError(tmp.resolve("holder.err").toFile()).start();
        try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.US_ASCII))) {
            assertEquals("locked", r.readLine(), () -> read(tmp.resolve("holder.err")));
            String byPid = " is in use by another driftlab (process " + p.pid() + ")";
            assertTrue(Cli.userError("resume", dir.toString()).contains(byPid));
            String[] run = startsInto(dir).get(0);
            assertTrue(Cli.userError(run).contains(byPid));
        } finally {
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        }
        assertEquals(List.of(DirectoryLock.FILE), Cli.listing(dir));
        assertEquals(p.pid() + "\n", Files.readString(dir.resolve(DirectoryLock.FILE)), "the dead holder's pid");
        assertTrue(Cli.userError("resume", dir.toString()).contains("was killed before its first checkpoint"));
        Cli.run(0, startsInto(dir).get(0));
        assertTrue(Runner.isFinished(dir));
    }

    /** A holder thread waits here until the test releases it (a minute at most), keeping an interrupt. */
    private static void awaitRelease(CountDownLatch release) {
        try {
            release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** A start up to its lock, then stopped for good: claims args[0] as a run does, says "locked", waits. */
    static final class ClaimAndWait {
        public static void main(String[] args) throws Exception {
            DirectoryLock lock = DirectoryLock.create(Path.of(args[0]), "run");
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE); // until killed; the lock is the OS's to release
            lock.close();
        }
    }
}
