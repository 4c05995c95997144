package org.driftlab.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.driftlab.curvature.HessianOperator;
import org.driftlab.curvature.Lanczos;
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
 * driftlab against its PyTorch twin ({@code scripts/python/torch_models.py}, the project's own) on fc nets with
 * vector inputs: loss, gradient, a Hessian-vector product and accuracy (tanh and relu, MSE and CE; the relu MSE case
 * regresses on real-valued targets Y) must agree to 1e-10 relative, and the three largest Hessian eigenvalues by
 * Lanczos on both sides to 1e-8. For each case the test writes {@code theta.npy}, {@code v.npy} and
 * {@code data.npz}, then runs
 *
 * <pre>
 * /usr/bin/python3 scripts/python/torch_models.py check --model fc-tanh:5,5 --input-shape 6 --loss mse \
 *     --threads 1 --params theta.npy --data data.npz --vec v.npy --save-grad g.npy --save-hvp hv.npy \
 *     --top 3 --lanczos-steps 83 --out out.json
 * </pre>
 *
 * and reads back {@code g.npy}, {@code hv.npy} and the JSON keys loss, accuracy and lanczos_top. This class is also
 * the home of the oracle assumption ({@link #assumeTorch}, {@link #require}): without {@code /usr/bin/python3} that
 * can import torch and numpy each comparison is skipped and says why.
 */
class TorchPeerTest {
    /** The interpreter that runs PyTorch: /usr/bin/python3 (Debian's python3-torch), or the system property driftlab.python. */
    static final String PYTHON = System.getProperty("driftlab.python", "/usr/bin/python3");
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

    /** The project's PyTorch twin of every model string, as an absolute path (the twin runs in a temporary directory). */
    static Path twin() {
        Path script = Path.of("scripts", "python", "torch_models.py").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(script), "the project's PyTorch twin is missing: " + script);
        return script;
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
        // Lanczos with full reorthogonalisation run for D steps is exact up to rounding on both sides
        Process p = new ProcessBuilder(PYTHON, peer.toString(), "check", "--model", "fc-" + act + ":5,5",
                "--input-shape", String.valueOf(d), "--classes", String.valueOf(k),
                "--loss", loss.name().toLowerCase(Locale.ROOT), "--threads", "1", "--params", "theta.npy",
                "--data", "data.npz", "--vec", "v.npy", "--save-grad", "g.npy", "--save-hvp", "hv.npy",
                "--top", "3", "--lanczos-steps", String.valueOf(theta.length), "--out", "out.json")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Case(act, loss, explicitTargets, dir, p, log);
    }

    private static Network network(String act, int d, int k) {
        return Networks.parse("fc-" + act + ":5,5", new int[] {d}, k);
    }

    @Test
    void lossGradientAndHvpMatchPyTorch(@TempDir Path root) throws Exception {
        assumeTorch();
        Path peer = twin();
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
            assertTrue(done && c.process.exitValue() == 0, c + ": torch_models.py failed:\n" + log);
            String json = Files.readString(c.dir.resolve("out.json"), StandardCharsets.UTF_8);

            Dataset ds = DataSources.readNpzDataset(c.dir.resolve("data.npz"), "peer");
            assertEquals(c.explicitTargets, ds.hasExplicitTargets());
            Network net = network(c.act, ds.inputSize(), ds.outputSize());
            double[] theta = net.loadParams(c.dir.resolve("theta.npy"));
            double[] v = Npy.read(c.dir.resolve("v.npy")).values();
            NetObjective obj = NetObjective.of(net, c.loss, ds);

            double loss = obj.value(theta);
            double lossRef = TorchModelsTest.number(json, "loss");
            double lossRel = Math.abs(loss - lossRef) / Math.abs(lossRef);
            double gradRel = TorchModelsTest.relativeDifference(obj.gradient(theta), Npy.read(c.dir.resolve("g.npy")).values());
            double hvpRel = TorchModelsTest.relativeDifference(obj.hvp(theta, v), Npy.read(c.dir.resolve("hv.npy")).values());
            double[] topRef = TorchModelsTest.numbers(json, "lanczos_top");
            Lanczos.Result top = Lanczos.run(HessianOperator.of(obj, theta), Lanczos.Config.builder().k(3)
                    .which(Lanczos.Which.LARGEST_ALGEBRAIC).tolerance(1e-12).build());
            double topRel = TorchModelsTest.relativeDifference(top.eigenvalues(), topRef);
            report.append(String.format(Locale.ROOT, "%s %s%s: loss %.2e, grad %.2e, hvp %.2e, top-3 λ %.2e%n", c.act,
                    c.loss, c.explicitTargets ? " (Y)" : "", lossRel, gradRel, hvpRel, topRel));
            assertTrue(lossRel < TOLERANCE, c + " loss " + loss + " vs " + lossRef);
            assertTrue(gradRel < TOLERANCE, c + " gradient relative difference " + gradRel);
            assertTrue(hvpRel < TOLERANCE, c + " HVP relative difference " + hvpRel);
            // two converged eigensolvers on operators equal to ~1e-15: Ritz values agree far below 1e-8
            assertTrue(topRel < 1e-8, c + " top eigenvalues " + Arrays.toString(top.eigenvalues()) + " vs "
                    + Arrays.toString(topRef));
            assertEquals(TorchModelsTest.number(json, "accuracy"), obj.accuracy(theta), 0.0, c + " accuracy");
        }
        System.out.print("fc nets against the PyTorch twin (max relative differences):\n" + report);
    }
}
