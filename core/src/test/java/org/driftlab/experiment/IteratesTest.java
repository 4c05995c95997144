package org.driftlab.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.driftlab.data.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code save_iterates}: θ_0, every N-th θ and the final θ, identical after a kill and a resume. */
class IteratesTest {
    @TempDir
    Path tmp;

    @Test
    void savedIteratesSurviveAKillBitwise() throws Exception {
        Map<String, Object> m = RunnerTest.spec("fc-tanh:5", "synthetic:blobs:n=20,d=4,k=3,seed=2", "gd", 0.2, 23);
        m.put("lrs", List.of(0.1, 0.3));
        m.put("checkpoint_every", 4);
        m.put("save_iterates", 5);
        Spec s = Spec.fromMap(m);
        Path ref = tmp.resolve("ref");
        Runner.start(s, ref, Runner.Options.defaults());
        Iterates.Read read = Iterates.read(Iterates.file(ref, "r0"));
        assertArrayEquals(new long[] {0, 5, 10, 15, 20, 23}, read.steps());
        assertArrayEquals(ObjectiveFactories.DEFAULT.create(s, s.seeds().get(0)).initialTheta(), read.thetas()[0]);
        assertArrayEquals(Npy.read(ref.resolve("theta_final_r0.npy")).values(), read.thetas()[5]);
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 3; trial++) {
            int killRun = rng.nextInt(2);
            long killStep = 1 + rng.nextInt(22);
            Path dir = tmp.resolve("killed" + trial);
            RunnerTest.killAt(s, dir, killRun, killStep);
            Runner.resume(dir, Runner.Options.defaults());
            for (String tag : List.of("r0", "r1")) {
                // the arrays bit for bit (the zip container stamps its entries with the time of writing)
                Iterates.Read a = Iterates.read(Iterates.file(ref, tag));
                Iterates.Read b = Iterates.read(Iterates.file(dir, tag));
                String where = "kill at sub-run " + killRun + " step " + killStep;
                assertArrayEquals(a.steps(), b.steps(), where);
                for (int i = 0; i < a.steps().length; i++) {
                    assertArrayEquals(a.thetas()[i], b.thetas()[i], where);
                }
            }
        }
        // Off by default, and then absent from spec.yaml.
        Spec plain = Spec.fromMap(RunnerTest.spec("fc-tanh:5", "synthetic:blobs:n=20,d=4,k=3,seed=2", "gd", 0.2, 3));
        assertEquals(0, plain.saveIterates());
        assertFalse(plain.toMap().containsKey("save_iterates"));
    }
}
