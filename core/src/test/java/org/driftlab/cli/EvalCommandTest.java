package org.driftlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.driftlab.data.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code driftlab eval} on synthetic data: output, parameter round trip, and one-line errors with exit code 2. */
class EvalCommandTest {
    private static final String DATA = "synthetic:blobs:n=40,d=5,k=3,spread=1,seed=2";

    private static String run(int expectedCode, String... args) {
        return CliRun.run(expectedCode, args)[0];
    }

    @Test
    void evaluatesSavesAndReloadsParams(@TempDir Path dir) {
        Path theta = dir.resolve("theta.npy");
        String first = run(0, "eval", "--model", "fc-tanh:4", "--data", DATA, "--loss", "ce", "--seed", "3", "--json",
                "--save-params", theta.toString());
        assertTrue(first.contains("\"D\": " + (5 * 4 + 4 + 4 * 3 + 3)), first);
        assertTrue(first.contains("\"grad_norm\""), first);
        assertEquals(5 * 4 + 4 + 4 * 3 + 3, Npy.read(theta).size());
        String again = run(0, "eval", "--model", "fc-tanh:4", "--data", DATA, "--loss", "ce", "--json",
                "--params", theta.toString());
        String loss = first.replaceAll(".*\"loss\": ([^,]+),.*\\s*", "$1");
        assertTrue(again.contains("\"loss\": " + loss + ","), again + " vs " + first);
        String text = run(0, "eval", "--model", "fc-linear", "--data", DATA, "--loss", "mse", "--init", "xavier");
        assertTrue(text.contains("accuracy"), text);
    }

    @Test
    void badInputsExitWithCodeTwo(@TempDir Path dir) throws Exception {
        run(2, "eval", "--model", "nonsense", "--data", DATA);
        run(2, "eval", "--model", "fc-tanh:4", "--data", "nope:x");
        run(2, "eval", "--model", "fc-tanh:4", "--data", DATA, "--loss", "hinge");
        run(2, "eval", "--model", "cnn-relu:4", "--data", DATA);
        Path wrong = dir.resolve("wrong.npy");
        Npy.write(wrong, new double[] {1, 2, 3});
        run(2, "eval", "--model", "fc-tanh:4", "--data", DATA, "--params", wrong.toString());
        run(2, "eval", "--model", "fc-tanh:4", "--data", DATA, "--params", dir.resolve("missing.npy").toString());
        Files.writeString(dir.resolve("junk.npy"), "not an npy");
        run(2, "eval", "--model", "fc-tanh:4", "--data", DATA, "--params", dir.resolve("junk.npy").toString());
    }
}
