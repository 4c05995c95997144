package org.driftlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.driftlab.data.DirectoryLock;
import org.driftlab.data.Npy;
import org.driftlab.experiment.Checkpoint;
import org.driftlab.experiment.Json;
import org.driftlab.experiment.Provenance;
import org.driftlab.experiment.Runner;
import org.driftlab.experiment.Spec;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, "resume trusts what it reads": each failure reproduced before it was fixed. A resume now verifies the
 * spec and the code recorded at the start and the checkpoint's checksum, and leaves a finished run as it is.
 */
class ResumeVerificationTest {
    @TempDir
    Path tmp;

    /** A run of 40 steps stopped after its checkpoint at step 20 (the hook plays the kill). */
    private Path interrupted(String name) throws Exception {
        Path f = tmp.resolve(name + ".yaml");
        Files.writeString(f, RunDirectoryTest.TINY.formatted(0.1, 40).replace("checkpoint_every: 5",
                "checkpoint_every: 10"));
        Spec spec = Spec.fromMap(SpecLoader.loadTree(f, false, List.of()));
        Path dir = tmp.resolve(name);
        try {
            Runner.start(spec, dir, Runner.Options.defaults().withHook((run, step) -> {
                if (step == 25) {
                    throw new IllegalStateException("killed");
                }
            }));
        } catch (IllegalStateException expected) {
            // the run stopped after its checkpoint at step 20
        }
        assertEquals(20, Checkpoint.read(dir).current().step());
        return dir;
    }

    private static Map<String, byte[]> snapshot(Path dir) throws Exception {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().filter(p -> !p.getFileName().toString().equals(DirectoryLock.FILE)).toList()) {
                // (the lock file is the lock's, not the run's: each holder writes its process id there)
                m.put(p.getFileName() + "@" + Files.getLastModifiedTime(p).toMillis(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    private static void assertUnchanged(Map<String, byte[]> before, Path dir) throws Exception {
        Map<String, byte[]> after = snapshot(dir);
        assertEquals(before.keySet(), after.keySet());
        for (String k : before.keySet()) {
            assertArrayEquals(before.get(k), after.get(k), k);
        }
    }

    /** Before: an edited spec.yaml resumed silently, switching h half-way while provenance showed the old value. */
    @Test
    void anEditedSpecIsRefusedNamingTheKeysOrContinuedAsARecordedSegment() throws Exception {
        Path dir = interrupted("edited");
        Path spec = dir.resolve(Runner.SPEC);
        String original = Files.readString(spec);
        Files.writeString(spec, original.replace("- 0.1\n", "- 0.2\n"));
        Map<String, byte[]> before = snapshot(dir);
        String line = Cli.userError("resume", dir.toString());
        assertTrue(line.startsWith(spec + " was changed since it started (lrs [0.1] → [0.2]); lrs defines the "
                + "problem itself, so it cannot continue under the change"), line);
        assertTrue(Cli.userError("resume", dir.toString(), "--new-segment").contains("lrs defines the problem itself"));
        assertUnchanged(before, dir);
        // a key that does not define the problem: refused without the flag, continued and recorded with it
        Files.writeString(spec, original.replace("steps: 40", "steps: 60"));
        line = Cli.userError("resume", dir.toString());
        assertTrue(line.contains("(stop.steps 40 → 60)") && line.endsWith("or continue under the change as a new "
                + "segment (recorded in provenance.json) with 'driftlab resume " + dir + " --new-segment'"), line);
        assertUnchanged(snapshot(dir), dir);
        Cli.run(0, "resume", dir.toString(), "--new-segment");
        Map<String, Object> prov = Provenance.read(dir);
        assertTrue(String.valueOf(prov.get("segments")).contains("stop.steps=[40, 60]"), String.valueOf(prov));
        List<String> rows = Files.readAllLines(dir.resolve("metrics.csv"));
        assertTrue(rows.get(rows.size() - 1).split(",")[3].equals("60"), "the run continued to the new end");
        // comments and formatting are not changes
        Files.writeString(spec, "# a note\n" + Files.readString(spec));
        assertTrue(Cli.run(0, "resume", dir.toString())[0].contains("nothing to resume"));
    }

    /** The code a run started with is recorded; other code is refused (it would not continue bit for bit). */
    @Test
    void otherCodeIsRefusedUnlessANewSegment() throws Exception {
        Path dir = interrupted("code");
        Map<String, Object> prov = Provenance.read(dir);
        prov.put("code", "0.0.1+0000000000000000");
        Files.writeString(dir.resolve(Provenance.FILE), Json.write(prov));
        String line = Cli.userError("resume", dir.toString());
        assertTrue(line.startsWith(dir + " was started by other driftlab code (0.0.1+0000000000000000, this is "), line);
        assertTrue(line.contains("restore the driftlab that started it, or continue under the change as a new segment"),
                line);
        Cli.run(0, "resume", dir.toString(), "--new-segment");
        assertTrue(Runner.isFinished(dir));
    }

    /** Before: one flipped byte inside θ in the checkpoint resumed to a different final θ with exit 0. */
    @Test
    void aCheckpointWhoseChecksumDoesNotMatchIsRefused() throws Exception {
        Path dir = interrupted("flipped");
        Path cp = dir.resolve(Checkpoint.FILE);
        byte[] b = Files.readAllBytes(cp);
        b[b.length / 2] ^= 0x01; // inside θ
        Files.write(cp, b);
        Map<String, byte[]> before = snapshot(dir);
        assertEquals(cp + " is damaged (its SHA-256 checksum does not match its content), so the run cannot continue "
                + "from it; remove it to restart the run from step 0, or start a new run",
                Cli.userError("resume", dir.toString()));
        assertUnchanged(before, dir);
        // truncated, or not a checkpoint at all
        Files.write(cp, java.util.Arrays.copyOf(b, 40));
        assertTrue(Cli.userError("resume", dir.toString()).contains("is damaged"));
        Files.writeString(cp, "hello");
        assertTrue(Cli.userError("resume", dir.toString()).contains("is damaged (not a driftlab checkpoint)"));
        // the way on that the message gives: without a checkpoint the run starts again from step 0, bit for bit
        Path ref = tmp.resolve("ref");
        Files.delete(cp);
        Cli.run(0, "resume", dir.toString());
        Runner.start(Spec.fromMap(SpecLoader.readYaml(dir.resolve(Runner.SPEC))), ref, Runner.Options.defaults());
        assertArrayEquals(Files.readAllBytes(ref.resolve("metrics.csv")), Files.readAllBytes(dir.resolve("metrics.csv")));
        assertArrayEquals(Npy.read(ref.resolve("theta_final_r0.npy")).values(),
                Npy.read(dir.resolve("theta_final_r0.npy")).values());
    }

    /** Before: resuming a finished run rewrote its report and provenance instead of saying there was nothing to do. */
    @Test
    void resumingAFinishedRunSaysSoAndChangesNothing() throws Exception {
        Path f = tmp.resolve("done.yaml");
        Files.writeString(f, RunDirectoryTest.TINY.formatted(0.1, 10));
        Path dir = tmp.resolve("done");
        Cli.run(0, "run", f.toString(), "--out", dir.toString());
        for (Path p : Files.list(dir).toList()) { // old times: a rewrite would show
            Files.setLastModifiedTime(p, FileTime.fromMillis(1_000_000_000_000L));
        }
        Map<String, byte[]> before = snapshot(dir);
        String out = Cli.run(0, "resume", dir.toString())[0];
        assertTrue(out.startsWith("driftlab: " + dir + " finished at ") && out.contains("nothing to resume"), out);
        assertUnchanged(before, dir);
        // a finished run whose report is missing gets it back, and nothing else changes
        Files.delete(dir.resolve("report.html"));
        assertTrue(Cli.run(0, "resume", dir.toString())[0].contains("its report was missing"));
        assertTrue(Files.exists(dir.resolve("report.html")));
        assertArrayEquals(before.get(before.keySet().stream().filter(k -> k.startsWith("provenance.json")).findFirst()
                .orElseThrow()), Files.readAllBytes(dir.resolve("provenance.json")));
    }

    /** The bitwise resume is unchanged by all of this: an interrupted run resumed equals an uninterrupted one. */
    @Test
    void aResumedRunEqualsAnUninterruptedOne() throws Exception {
        Path dir = interrupted("bitwise");
        Cli.run(0, "resume", dir.toString());
        Path ref = tmp.resolve("whole");
        Runner.start(Spec.fromMap(SpecLoader.readYaml(dir.resolve(Runner.SPEC))), ref, Runner.Options.defaults());
        assertArrayEquals(Files.readAllBytes(ref.resolve("metrics.csv")), Files.readAllBytes(dir.resolve("metrics.csv")));
        assertArrayEquals(Files.readAllBytes(ref.resolve("theta_final_r0.npy")),
                Files.readAllBytes(dir.resolve("theta_final_r0.npy")));
    }
}
