package org.driftlab.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.driftlab.curvature.DenseHessian;
import org.driftlab.data.Dataset;
import org.driftlab.data.Npy;
import org.driftlab.nn.Init;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Network;
import org.driftlab.nn.Networks;
import org.driftlab.objective.NetObjective;
import org.driftlab.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every driftlab model string against its PyTorch twin in the project's own {@code scripts/python/torch_models.py}
 * on the same θ and data: the θ layout (names, shapes and offsets of {@code named_parameters()}), E, ∇E and H·v to
 * 1e-10 relative (float64 on both sides; the differences measured are rounding, below 1e-14), and on a tiny ViT the
 * exact Hessian spectrum. Skipped, with the reason, when {@code /usr/bin/python3} cannot import torch and numpy (a
 * failure instead under {@code driftlab.oracles=required}, see {@link TorchPeerTest#require}).
 */
class TorchModelsTest {
    private static final String PYTHON = TorchPeerTest.PYTHON;
    /** Both sides compute in float64 with different summation orders: agreement to ~1e-14, asserted at 1e-10. */
    private static final double TOLERANCE = 1e-10;
    private static Path script;

    @BeforeAll
    static void findScript() {
        script = TorchPeerTest.twin();
    }

    /** One model string, loss and seed; its files and the running twin. */
    private record Case(String model, Loss loss, Path dir, Network net, double[] theta, Dataset data, Process process) {
        @Override
        public String toString() {
            return model + " " + loss;
        }
    }

    private static Dataset images(Random r, int n, int classes) {
        double[] x = new double[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble();
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % classes;
        }
        return Dataset.classification("images", Tensor.of(x, n, 784), y, classes);
    }

    private static Case start(Path root, String model, Loss loss, long seed, boolean exact) throws IOException {
        Path dir = Files.createDirectories(root.resolve("case" + seed));
        Random r = new Random(seed);
        int classes = 3;
        Dataset ds = images(r, 5, classes);
        Npy.writeDataset(dir.resolve("data.npz"), ds);
        Network net = Networks.parse(model, ds.inputShape(), classes);
        double[] theta = net.initialize(Init.PYTORCH, seed);
        for (int i = 0; i < theta.length; i++) {
            // off the initial point: LayerNorm gains away from 1, biases away from 0, activations curved
            theta[i] = 1.5 * theta[i] + 0.1 * r.nextGaussian();
        }
        net.saveParams(dir.resolve("theta.npy"), theta);
        double[] v = new double[theta.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        Npy.write(dir.resolve("v.npy"), v);
        List<String> cmd = new ArrayList<>(List.of(PYTHON, script.toString(), "check", "--model", model,
                "--loss", loss.name().toLowerCase(Locale.ROOT), "--classes", String.valueOf(classes), "--params", "theta.npy",
                "--data", "data.npz", "--vec", "v.npy", "--save-grad", "g.npy", "--save-hvp", "hv.npy", "--out", "out.json"));
        if (exact) {
            cmd.add("--exact");
        }
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log.txt").toFile()).start();
        return new Case(model, loss, dir, net, theta, ds, p);
    }

    private static String finish(Case c) throws Exception {
        boolean done = c.process.waitFor(300, TimeUnit.SECONDS);
        if (!done) {
            c.process.destroyForcibly();
        }
        String log = Files.readString(c.dir.resolve("log.txt"), StandardCharsets.UTF_8);
        assertTrue(done && c.process.exitValue() == 0, c + ": torch_models.py failed:\n" + log);
        return Files.readString(c.dir.resolve("out.json"), StandardCharsets.UTF_8);
    }

    @Test
    void everyModelStringMatchesItsPyTorchTwin(@TempDir Path root) throws Exception {
        TorchPeerTest.assumeTorch();
        String[][] models = {
            {"fc-tanh:6,5", "mse"},
            {"cnn-relu:3,2", "ce"},
            {"cnn-tanh:2,3", "mse"},
            {"resmlp:width=8,depth=2", "mse"},
            {"resmlp:width=6,depth=1,act=tanh,norm=none", "ce"},
            {"resnet-cnn:width=3,depth=2", "mse"},
            {"resnet-cnn:width=2,depth=1,act=tanh,pool=1", "ce"},
            {"vit:patch=7,dim=8,heads=2,depth=2,mlp=12", "ce"},
            {"vit:patch=14,dim=6,heads=3,depth=1,mlp=8", "mse"},
        };
        List<Case> cases = new ArrayList<>();
        long seed = 1;
        for (String[] m : models) {
            cases.add(start(root, m[0], Loss.parse(m[1]), seed++, false));
        }
        StringBuilder report = new StringBuilder();
        for (Case c : cases) {
            String json = finish(c);
            checkLayout(c, json);
            NetObjective obj = NetObjective.of(c.net, c.loss, c.data);
            double[] v = Npy.read(c.dir.resolve("v.npy")).values();
            double lossRef = number(json, "loss");
            double lossRel = Math.abs(obj.value(c.theta) - lossRef) / Math.abs(lossRef);
            double gradRel = relativeDifference(obj.gradient(c.theta), Npy.read(c.dir.resolve("g.npy")).values());
            double hvpRel = relativeDifference(obj.hvp(c.theta, v), Npy.read(c.dir.resolve("hv.npy")).values());
            report.append(String.format(Locale.ROOT, "%-46s D=%5d loss %.1e grad %.1e hvp %.1e%n", c, c.theta.length,
                    lossRel, gradRel, hvpRel));
            assertTrue(lossRel < TOLERANCE, c + ": loss " + obj.value(c.theta) + " vs PyTorch " + lossRef);
            assertTrue(gradRel < TOLERANCE, c + ": gradient relative difference " + gradRel);
            assertTrue(hvpRel < TOLERANCE, c + ": H·v relative difference " + hvpRel);
            assertEquals(number(json, "accuracy"), obj.accuracy(c.theta), 0.0, c + ": accuracy");
        }
        System.out.print("model strings against their PyTorch twins (max relative differences):\n" + report);
    }

    /** The θ layout is named_parameters(): same names, shapes and offsets, in the same order. */
    private static void checkLayout(Case c, String json) {
        Matcher m = Pattern.compile("\\{\"name\": \"([^\"]+)\", \"shape\": \\[([^\\]]*)\\], \"offset\": (\\d+)\\}").matcher(json);
        List<Network.Slice> ours = c.net.layout();
        int i = 0;
        while (m.find()) {
            assertTrue(i < ours.size(), c + ": PyTorch has more parameters than driftlab's " + ours.size());
            Network.Slice s = ours.get(i++);
            int[] shape = m.group(2).isBlank() ? new int[0]
                    : Arrays.stream(m.group(2).split(",")).mapToInt(t -> Integer.parseInt(t.strip())).toArray();
            assertEquals(m.group(1), s.name(), c + ": parameter " + (i - 1));
            assertArrayEquals(shape, s.shape(), c + ": shape of " + s.name());
            assertEquals(Integer.parseInt(m.group(3)), s.offset(), c + ": offset of " + s.name());
        }
        assertEquals(ours.size(), i, c + ": number of parameter tensors");
    }

    /**
     * The exact spectrum of a tiny ViT's Hessian, from PyTorch's dense Hessian and driftlab's: every eigenvalue to
     * 1e-9 of the spectral radius (two float64 eigensolvers on matrices equal to ~1e-14).
     */
    @Test
    void tinyVitSpectrumMatchesPyTorch(@TempDir Path root) throws Exception {
        TorchPeerTest.assumeTorch();
        Case c = start(root, "vit:patch=14,dim=2,heads=1,depth=1,mlp=2", Loss.CE, 42, true);
        String json = finish(c);
        double[] ref = numbers(json, "eigenvalues");
        NetObjective obj = NetObjective.of(c.net, c.loss, c.data);
        double[] ours = DenseHessian.of(obj.hessian(c.theta)).eigen().values();
        assertEquals(ref.length, ours.length);
        double radius = Math.max(Math.abs(ref[0]), Math.abs(ref[ref.length - 1]));
        double worst = 0;
        for (int i = 0; i < ref.length; i++) {
            worst = Math.max(worst, Math.abs(ours[i] - ref[i]) / radius);
        }
        System.out.printf(Locale.ROOT, "tiny ViT (D=%d): exact spectra agree to %.1e of the spectral radius %.4g%n",
                ours.length, worst, radius);
        assertTrue(worst < 1e-9, "eigenvalues differ by " + worst + " of the spectral radius");
    }

    static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*([-+0-9.eEinfaN]+)").matcher(json);
        assertTrue(m.find(), "no " + key + " in the twin's output");
        return Double.parseDouble(m.group(1));
    }

    static double[] numbers(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(json);
        assertTrue(m.find(), "no " + key + " in the twin's output");
        return Arrays.stream(m.group(1).split(",")).mapToDouble(t -> Double.parseDouble(t.strip())).toArray();
    }

    /** max_i |a_i − b_i| / max_i |b_i|. */
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
}
