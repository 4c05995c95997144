package org.driftlab.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.driftlab.data.DataSources;
import org.driftlab.data.Dataset;
import org.driftlab.data.Npy;
import org.driftlab.nn.Init;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Network;
import org.driftlab.nn.Networks;
import org.driftlab.objective.NetObjective;
import org.driftlab.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * driftlab against the PyTorch peer on the same θ and data: loss, gradient, a Hessian-vector product and
 * accuracy of fc nets (tanh and relu, MSE and CE; the relu MSE case regresses on real-valued targets Y) must agree to 1e-10
 * relative. For each case the test writes {@code theta.npy}, {@code v.npy} and {@code data.npz}, then runs
 *
 * <pre>
 * /usr/bin/python3 torch_ref.py --task exact --act tanh --loss mse --width 5 --depth 2 \
 *     --params theta.npy --data data.npz --vec v.npy --save-grad g.npy --out exact.json \
 *     --lanczos-iters 3 --power-iters 2 --exact-hutch-samples 2
 * </pre>
 *
 * and reads back {@code g.npy} and the JSON keys loss, accuracy and hvp. The peer is found at the system
 * property or environment variable {@code DRIFTLAB_PEER}, else {@code ../shared/peers/torch_ref.py} (CI:
 * shared/ beside the clone), else {@code /work/shared/peers/torch_ref.py}. Without {@code /usr/bin/python3}
 * that can import torch, or without the script, the test is skipped and says why.
 */
class TorchPeerTest {
    /** The interpreter that runs PyTorch: /usr/bin/python3 (Debian's python3-torch), or the system property driftlab.python. */
    private static final String PYTHON = System.getProperty("driftlab.python", "/usr/bin/python3");
    private static final double TOLERANCE = 1e-10;

    /** Why /usr/bin/python3 with torch and numpy cannot be used, or null when it can (asked once). */
    private static String torchMissing;
    private static boolean torchChecked;

    /**
     * Skips the calling test, with the reason, unless /usr/bin/python3 can import torch and numpy. Each test asks
     * for itself, so a machine without PyTorch reports every cross-check as skipped (not as zero tests).
     */
    static synchronized void assumeTorch() throws Exception {
        if (!torchChecked) {
            torchChecked = true;
            if (!Files.isExecutable(Path.of(PYTHON))) {
                torchMissing = PYTHON + " not found";
            } else {
                Process p = new ProcessBuilder(PYTHON, "-c", "import torch, numpy").redirectErrorStream(true).start();
                boolean done = p.waitFor(60, TimeUnit.SECONDS);
                if (!done) {
                    p.destroyForcibly();
                }
                torchMissing = done && p.exitValue() == 0 ? null : PYTHON + " cannot import torch and numpy";
            }
        }
        require(torchMissing == null, () -> torchMissing
                + ": skipping the PyTorch comparison (install it with scripts/install-native.sh --oracles)");
    }

    /**
     * An assumption, or with the system property driftlab.oracles=required (CI) an assertion: where the oracles
     * must be present, their absence fails the run instead of skipping the comparison.
     */
    static void require(boolean present, java.util.function.Supplier<String> why) {
        if ("required".equals(System.getProperty("driftlab.oracles"))) {
            assertTrue(present, () -> why.get() + " (driftlab.oracles=required)");
        }
        Assumptions.assumeTrue(present, why);
    }

    /** {@link #assumeTorch()}, and finds the peer script (or skips the calling test, saying where it looked). */
    static Path assumePeer() throws Exception {
        assumeTorch();
        List<Path> candidates = new ArrayList<>();
        String configured = System.getProperty("DRIFTLAB_PEER", System.getenv("DRIFTLAB_PEER"));
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        candidates.add(Path.of("..", "shared", "peers", "torch_ref.py"));
        candidates.add(Path.of("/work/shared/peers/torch_ref.py"));
        // absolute: the peer runs with a temporary working directory
        Path found = candidates.stream().filter(Files::isRegularFile).findFirst().map(p -> p.toAbsolutePath().normalize())
                .orElse(null);
        require(found != null, () -> "torch peer not found (tried " + candidates
                + "; set DRIFTLAB_PEER): skipping the PyTorch comparison");
        return found;
    }

    /** One comparison case: its files, its peer process, and the driftlab side. */
    private record Case(String act, Loss loss, boolean explicitTargets, Path dir, Process process, Path log) {}

    private static Case start(Path peer, Path root, String act, Loss loss, boolean explicitTargets, long seed) throws IOException {
        Path dir = Files.createDirectories(root.resolve(act + "-" + loss + (explicitTargets ? "-Y" : "")));
        Random r = new Random(seed);
        int n = 12;
        int d = 6;
        int k = 3;
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % k; // every class present, so the peer's K = max(y) + 1 = 3
        }
        Dataset ds = Dataset.classification("peer", Tensor.of(x, n, d), y, k);
        if (explicitTargets) {
            double[] t = new double[n * k];
            for (int i = 0; i < t.length; i++) {
                t[i] = r.nextGaussian();
            }
            ds = ds.withTargets(Tensor.of(t, n, k));
        }
        Npy.writeDataset(dir.resolve("data.npz"), ds);
        Network net = network(act, d, k);
        double[] theta = net.initialize(Init.PYTORCH, seed);
        for (int i = 0; i < theta.length; i++) {
            theta[i] *= 3; // larger weights: activations reach tanh's curved part and relu's kinks
        }
        net.saveParams(dir.resolve("theta.npy"), theta);
        double[] v = new double[theta.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        Npy.write(dir.resolve("v.npy"), v);
        Path log = dir.resolve("peer.log");
        Process p = new ProcessBuilder(PYTHON, peer.toString(), "--task", "exact", "--act", act,
                "--loss", loss.name().toLowerCase(Locale.ROOT), "--width", "5", "--depth", "2", "--threads", "1",
                "--params", "theta.npy", "--data", "data.npz", "--vec", "v.npy", "--save-grad", "g.npy",
                // the peer's own estimator cross-checks are not compared here: keep them short
                "--lanczos-iters", "3", "--power-iters", "2", "--exact-hutch-samples", "2",
                "--out", "exact.json").directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Case(act, loss, explicitTargets, dir, p, log);
    }

    private static Network network(String act, int d, int k) {
        return Networks.parse("fc-" + act + ":5,5", new int[] {d}, k);
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*([-+0-9.eEinfaN]+)").matcher(json);
        assertTrue(m.find(), "no " + key + " in peer output");
        return Double.parseDouble(m.group(1));
    }

    private static double[] numbers(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(json);
        assertTrue(m.find(), "no " + key + " in peer output");
        String[] parts = m.group(1).split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Double.parseDouble(parts[i].strip());
        }
        return out;
    }

    /** max_i |a_i − b_i| / max_i |b_i|: relative to the reference vector's scale. */
    static double relativeDifference(double[] a, double[] b) {
        assertEquals(b.length, a.length);
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff / scale;
    }

    @Test
    void lossGradientAndHvpMatchPyTorch(@TempDir Path root) throws Exception {
        Path peer = assumePeer();
        List<Case> cases = new ArrayList<>();
        long seed = 1;
        // all peers run at once: most of their time is importing torch
        cases.add(start(peer, root, "tanh", Loss.MSE, false, seed++));
        cases.add(start(peer, root, "tanh", Loss.CE, false, seed++));
        cases.add(start(peer, root, "relu", Loss.MSE, true, seed++)); // MSE on real-valued targets Y
        cases.add(start(peer, root, "relu", Loss.CE, false, seed));
        StringBuilder report = new StringBuilder();
        for (Case c : cases) {
            boolean done = c.process.waitFor(120, TimeUnit.SECONDS);
            if (!done) {
                c.process.destroyForcibly();
            }
            String log = Files.readString(c.log, StandardCharsets.UTF_8);
            assertTrue(done && c.process.exitValue() == 0, c + ": peer failed:\n" + log);
            String json = Files.readString(c.dir.resolve("exact.json"), StandardCharsets.UTF_8);

            Dataset ds = DataSources.readNpzDataset(c.dir.resolve("data.npz"), "peer");
            assertEquals(c.explicitTargets, ds.hasExplicitTargets());
            Network net = network(c.act, ds.inputSize(), ds.outputSize());
            double[] theta = net.loadParams(c.dir.resolve("theta.npy"));
            double[] v = Npy.read(c.dir.resolve("v.npy")).values();
            NetObjective obj = NetObjective.of(net, c.loss, ds);

            double loss = obj.value(theta);
            double lossRef = number(json, "loss");
            double lossRel = Math.abs(loss - lossRef) / Math.abs(lossRef);
            double gradRel = relativeDifference(obj.gradient(theta), Npy.read(c.dir.resolve("g.npy")).values());
            double hvpRel = relativeDifference(obj.hvp(theta, v), numbers(json, "hvp"));
            report.append(String.format(Locale.ROOT, "%s %s%s: loss %.2e, grad %.2e, hvp %.2e%n", c.act,
                    c.loss, c.explicitTargets ? " (Y)" : "", lossRel, gradRel, hvpRel));
            assertTrue(lossRel < TOLERANCE, c + " loss " + loss + " vs " + lossRef);
            assertTrue(gradRel < TOLERANCE, c + " gradient relative difference " + gradRel);
            assertTrue(hvpRel < TOLERANCE, c + " HVP relative difference " + hvpRel);
            assertEquals(number(json, "accuracy"), obj.accuracy(theta), 0.0, c + " accuracy");
        }
        System.out.print("torch peer comparison (max relative differences):\n" + report);
    }
}
