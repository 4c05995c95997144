package org.driftlab.experiment;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.driftlab.DriftlabException;
import org.driftlab.objective.Objective;

/**
 * STAND-IN factory, to be replaced by the integrator with nn/NetObjective + data.DataSources. It understands:
 * <ul>
 *   <li>model {@code quadratic:eigs=1,10,100} (data {@code none}): ½θᵀdiag(λ)θ, θ_0 ~ N(0, 1) seeded;</li>
 *   <li>model {@code fc-<act>:w1,w2,..} (act tanh/relu/elu/softplus/gelu/linear) or {@code toy-mlp}
 *       (= fc-tanh:16,16), with PyTorch-default initialisation U(±1/√fan_in) seeded;</li>
 *   <li>data {@code synthetic:n=64,d=10,k=3,seed=1}: Gaussian inputs labelled by a random linear teacher;</li>
 *   <li>data {@code fashion-mnist:SPLIT:N}, {@code mnist:..}, {@code cifar10:..}: NOT read here; replaced by
 *       synthetic data of the same shape, flagged as a synthetic fallback.</li>
 * </ul>
 */
public final class ToyObjectiveFactory implements ObjectiveFactory {
    static final String MODELS = "quadratic:eigs=L1,L2,..; fc-ACT:W1,W2,.. (ACT in tanh, relu, elu, softplus, gelu, linear); toy-mlp";
    static final String DATA = "synthetic:n=N,d=D,k=K,seed=S; fashion-mnist:SPLIT:N, mnist:SPLIT:N, cifar10:SPLIT:N (synthetic fallback); none";

    @Override
    public Problem create(Spec spec, long seed) {
        String model = spec.model();
        if (model.startsWith("quadratic")) {
            double[] eigs = parseQuadratic(model);
            SplittableRandom rng = new SplittableRandom(seed);
            double[] theta0 = new double[eigs.length];
            for (int i = 0; i < theta0.length; i++) {
                theta0[i] = rng.nextGaussian();
            }
            return new Problem(new QuadraticObjective(eigs), Optional.empty(), theta0, "none (analytic quadratic)",
                    "none", false);
        }
        String act;
        int[] hidden;
        if (model.equals("toy-mlp")) {
            act = "tanh";
            hidden = new int[] {16, 16};
        } else if (model.startsWith("fc-")) {
            int colon = model.indexOf(':');
            act = colon < 0 ? model.substring(3) : model.substring(3, colon);
            hidden = colon < 0 ? new int[] {200, 200} : parseInts(model.substring(colon + 1), "model");
            if (!java.util.List.of("tanh", "relu", "elu", "softplus", "gelu", "linear").contains(act)) {
                throw new DriftlabException("model: unknown activation '" + act + "' in '" + model + "'; allowed: " + MODELS);
            }
        } else {
            throw new DriftlabException("model: '" + model + "' is not supported by the toy factory; allowed: " + MODELS);
        }
        Dataset train = dataset(spec.data(), "data");
        Optional<Dataset> test = spec.testData() == null ? Optional.empty() : Optional.of(dataset(spec.testData(), "test_data"));
        if (test.isPresent() && (test.get().d != train.d || test.get().k != train.k)) {
            throw new DriftlabException("test_data: shape " + test.get().d + "->" + test.get().k
                    + " differs from data " + train.d + "->" + train.k);
        }
        int[] widths = new int[hidden.length + 2];
        widths[0] = train.d;
        System.arraycopy(hidden, 0, widths, 1, hidden.length);
        widths[widths.length - 1] = train.k;
        Objective trainObj = new MlpObjective(widths, act, spec.loss(), train.x, train.labels);
        Optional<Objective> testObj = test.map(t -> new MlpObjective(widths, act, spec.loss(), t.x, t.labels));
        String desc = train.description + test.map(t -> "; test: " + t.description).orElse("");
        String sum = train.checksum + test.map(t -> "+" + t.checksum).orElse("");
        return new Problem(trainObj, testObj, initMlp(widths, seed), desc, sum,
                train.fallback || test.map(t -> t.fallback).orElse(false));
    }

    private static double[] parseQuadratic(String model) {
        String rest = model.substring("quadratic".length());
        if (!rest.startsWith(":eigs=")) {
            throw new DriftlabException("model: '" + model + "' should look like quadratic:eigs=1,10,100");
        }
        String[] parts = rest.substring(":eigs=".length()).split(",");
        double[] eigs = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                eigs[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new DriftlabException("model: eigenvalue '" + parts[i] + "' in '" + model + "' is not a number");
            }
        }
        return eigs;
    }

    private static int[] parseInts(String s, String key) {
        String[] parts = s.split(",");
        int[] v = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new DriftlabException(key + ": '" + parts[i] + "' in '" + s + "' is not a positive integer");
            }
            if (v[i] <= 0) {
                throw new DriftlabException(key + ": width " + v[i] + " must be positive");
            }
        }
        return v;
    }

    /** PyTorch's default Linear initialisation U(±1/√fan_in) for weights and biases. */
    static double[] initMlp(int[] widths, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] theta = new double[MlpObjective.parameterCount(widths)];
        int o = 0;
        for (int l = 0; l + 1 < widths.length; l++) {
            double bound = 1.0 / Math.sqrt(widths[l]);
            int count = widths[l + 1] * widths[l] + widths[l + 1];
            for (int i = 0; i < count; i++) {
                theta[o++] = rng.nextDouble(-bound, bound);
            }
        }
        return theta;
    }

    /** A labelled data set held as flat arrays. */
    record Dataset(double[] x, int[] labels, int d, int k, String description, String checksum, boolean fallback) {}

    static Dataset dataset(String source, String key) {
        if (source == null || source.equals("none")) {
            throw new DriftlabException(key + ": a network needs data; allowed: " + DATA);
        }
        if (source.startsWith("synthetic")) {
            Map<String, String> kv = keyValues(source.substring("synthetic".length()), key, source);
            int n = intParam(kv, "n", 64, key);
            int d = intParam(kv, "d", 10, key);
            int k = intParam(kv, "k", 3, key);
            long s = intParam(kv, "seed", 0, key);
            return synthetic(n, d, k, s, source, false);
        }
        String[] parts = source.split(":");
        int d;
        int k = 10;
        switch (parts[0]) {
            case "fashion-mnist", "mnist" -> d = 784;
            case "cifar10" -> d = 3072;
            default -> throw new DriftlabException(key + ": unknown data source '" + source + "'; allowed: " + DATA);
        }
        if (parts.length != 3 || !(parts[1].equals("train") || parts[1].equals("test"))) {
            throw new DriftlabException(key + ": '" + source + "' should look like " + parts[0] + ":train:1000");
        }
        int n = parseInts(parts[2], key)[0];
        long s = parts[1].equals("train") ? 1 : 2;
        return synthetic(n, d, k, s, source, true);
    }

    private static Map<String, String> keyValues(String rest, String key, String source) {
        Map<String, String> kv = new LinkedHashMap<>();
        if (rest.isEmpty()) {
            return kv;
        }
        if (!rest.startsWith(":")) {
            throw new DriftlabException(key + ": '" + source + "' should look like synthetic:n=64,d=10,k=3,seed=1");
        }
        for (String p : rest.substring(1).split(",")) {
            String[] a = p.split("=", 2);
            if (a.length != 2 || !java.util.List.of("n", "d", "k", "seed").contains(a[0].trim())) {
                throw new DriftlabException(key + ": bad parameter '" + p + "' in '" + source + "'; allowed: n, d, k, seed");
            }
            kv.put(a[0].trim(), a[1].trim());
        }
        return kv;
    }

    private static int intParam(Map<String, String> kv, String name, int dflt, String key) {
        String v = kv.get(name);
        return v == null ? dflt : parseInts(v, key + "." + name)[0];
    }

    /** Gaussian inputs labelled by argmax of a random linear teacher; deterministic in (n, d, k, seed). */
    static Dataset synthetic(int n, int d, int k, long seed, String source, boolean fallback) {
        SplittableRandom rng = new SplittableRandom(seed * 0x632BE59BD9B4E019L + 17);
        double[] teacher = new double[k * d];
        for (int i = 0; i < teacher.length; i++) {
            teacher[i] = rng.nextGaussian();
        }
        double[] x = new double[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = rng.nextGaussian();
            }
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += teacher[c * d + j] * x[i * d + j];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = c;
                }
            }
            labels[i] = best;
        }
        String desc = fallback
                ? "SYNTHETIC FALLBACK for '" + source + "' (" + n + " Gaussian examples, " + d + " features, " + k
                        + " classes; the real loader is not wired yet)"
                : source + " (" + n + " Gaussian examples, " + d + " features, " + k + " classes)";
        return new Dataset(x, labels, d, k, desc, checksum(x, labels), fallback);
    }

    static String checksum(double[] x, int[] labels) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(8 * x.length + 4 * labels.length).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : x) {
                b.putDouble(v);
            }
            for (int v : labels) {
                b.putInt(v);
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest(b.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
