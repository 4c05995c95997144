package org.driftlab.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.driftlab.testing.Cli;

/**
 * What every fuzzed command must do (issue 17): finish (exit 0) when the input is in fact valid, or refuse it with exit
 * 2 and one clean line ({@link Cli#assertOneLine}); never exit 1 (an internal error) and never leave anything on disk
 * when it refuses.
 */
final class Fuzz {
    private Fuzz() {}

    /** What one try does in its scratch directory. */
    interface Try {
        void run(Path dir) throws Exception;
    }

    /** Runs one try in a fresh scratch directory, deleted afterwards (jqwik properties do not get JUnit's @TempDir). */
    static void inScratch(Try body) throws Exception {
        Path dir = scratch();
        try {
            body.run(dir);
        } finally {
            delete(dir);
        }
    }

    /** {@link #runs} when the input is known to be valid, else {@link #refusedCleanlyOrRun}. */
    static Cli.Output expect(boolean valid, Path dir, String... args) {
        return valid ? runs(dir, args) : refusedCleanlyOrRun(dir, args);
    }

    private static Path scratch() {
        try {
            return Files.createTempDirectory("driftlab-fuzz-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the CLI in dir's scratch world and checks the contract: exit 0, or exit 2 with one clean line and dir as it
     * was (nothing created, nothing left half-written).
     *
     * @return the output
     */
    static Cli.Output refusedCleanlyOrRun(Path dir, String... args) {
        List<String> before = Cli.listing(dir);
        Cli.Output r = Cli.run(args);
        String why = String.join(" ", args) + "\n--- stderr:\n" + r.err() + "--- stdout:\n"
                + r.out().substring(0, Math.min(2000, r.out().length()));
        assertTrue(r.code() == 0 || r.code() == 2, "exit " + r.code() + ": " + why);
        if (r.code() == 2) {
            Cli.assertOneLine(r, why);
            assertEquals(before, Cli.listing(dir), "a refused command left something on disk: " + why);
        }
        return r;
    }

    /** {@link #refusedCleanlyOrRun}, where the input is known to be valid: exit 0. */
    static Cli.Output runs(Path dir, String... args) {
        Cli.Output r = refusedCleanlyOrRun(dir, args);
        assertEquals(0, r.code(), "a valid input was refused: " + String.join(" ", args) + "\n" + r.err());
        return r;
    }
}
