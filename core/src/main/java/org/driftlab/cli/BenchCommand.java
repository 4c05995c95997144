package org.driftlab.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.driftlab.curvature.GradientCovariance;
import org.driftlab.curvature.Lanczos;
import org.driftlab.data.DataSources;
import org.driftlab.data.FashionMnist;
import org.driftlab.data.Dataset;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.nn.Init;
import org.driftlab.nn.Loss;
import org.driftlab.nn.Network;
import org.driftlab.nn.Networks;
import org.driftlab.objective.NetObjective;
import org.driftlab.linalg.Stats;
import org.driftlab.tensor.Backends;
import org.driftlab.tensor.MatMul;
import org.driftlab.tensor.Parallel;
import org.driftlab.tensor.Tensor;
import org.driftlab.experiment.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code driftlab bench}: median seconds of one full-batch loss+gradient and one Hessian-vector product of a
 * network (by default the fully connected tanh net 784-W-…-W-10; any model string with {@code --model}) with
 * MSE on the first N Fashion-MNIST training images, their ratio, 20 Lanczos steps of the sharpness, the cost of the
 * gradient-noise quantities Tr K alone and Tr K + λ_K ({@link GradientCovariance} with its defaults), GEMM GFLOP/s
 * and the process's peak resident memory. A benchmark, not a test; {@code scripts/python/torch_models.py compare}
 * runs it interleaved with the same measurements in PyTorch.
 *
 * <p>The machine may be shared, so the noise timings are interleaved with gradient timings inside one JVM (gradient,
 * Tr K, gradient, Tr K + λ_K, … for every repetition) and reported as medians of the per-repetition ratios, which
 * load drifts affect far less than absolute seconds. Gradients alternate between θ and a copy of θ differing in one
 * ulp: {@link NetObjective} keeps its last gradient, and timing that cache would be meaningless.
 *
 * <p>Every item is first run untimed for at least {@code --warmup} seconds (and twice): HotSpot keeps recompiling
 * the hot loops for several seconds after start-up, and at N = 1000 a gradient timed after two warm-up runs was
 * about 8% slower than after three seconds. The figures are steady-state costs, which is what a training run of
 * thousands of steps pays.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time full-batch loss+gradient, Hessian-vector products, Lanczos and GEMM on a network.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--n", paramLabel = "N", description = "Number of examples (default ${DEFAULT-VALUE}).")
    int n = 5000;

    @Option(names = "--model", paramLabel = "SPEC", description = "Model spec (default: fc-tanh with --width and --depth).")
    String model;

    @Option(names = "--width", paramLabel = "W", description = "Hidden width W of the default fc-tanh net (default ${DEFAULT-VALUE}).")
    int width = 200;

    @Option(names = "--depth", paramLabel = "L", description = "Number of hidden layers of the default fc-tanh net (default ${DEFAULT-VALUE}).")
    int depth = 2;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores, at most 8).")
    Integer threads;

    @Option(names = "--reps", paramLabel = "R", description = "Timed repetitions per item (default ${DEFAULT-VALUE}).")
    int reps = 10;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of θ and of synthetic data (default ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--chunk", paramLabel = "N", description = "Examples per chunk of the full-batch objective (default: all in one).")
    Integer chunk;

    @Option(names = "--skip", paramLabel = "ITEM[,ITEM...]", split = ",", description = "Items not to time: fresh (HVP with its own graph), noise (Tr K),"
            + " lanczos, gemm. Default: noise and gemm for models other than fc.")
    java.util.List<String> skip;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--warmup", paramLabel = "SECONDS", description = "Untimed warm-up per item, in seconds (default ${DEFAULT-VALUE}).")
    double warmupSeconds = 3;

    private static final java.util.List<String> ITEMS = java.util.List.of("fresh", "noise", "lanczos", "gemm");

    @Override
    public Integer call() {
        if (n < 1 || width < 1 || depth < 0 || reps < 1 || !(warmupSeconds >= 0) || (chunk != null && chunk < 1)) {
            throw new org.driftlab.DriftlabException(
                    "bench: --n, --width, --reps and --chunk must be positive, --depth and --warmup >= 0");
        }
        java.util.List<String> skipped = skip != null ? skip
                : model == null || model.startsWith("fc-") ? java.util.List.of() : java.util.List.of("noise", "gemm");
        for (String item : skipped) {
            if (!ITEMS.contains(item)) {
                throw new org.driftlab.DriftlabException("bench: --skip " + item + " is not one of " + String.join(", ", ITEMS));
            }
        }
        String spec = model != null ? model
                : depth == 0 ? Networks.LINEAR : "fc-tanh:" + String.join(",", java.util.Collections.nCopies(depth, String.valueOf(width)));
        Network net = Networks.parse(spec, new int[] {784}, 10); // validated before the data are read
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        BenchData data = BenchData.load(n, seed);
        Dataset ds = Dataset.classification("bench", data.inputs, data.labels, 10);
        NetObjective obj = NetObjective.of(net, Loss.MSE, ds, chunk != null ? chunk : Integer.MAX_VALUE);
        double[] theta = net.initialize(Init.PYTORCH, seed);
        double[] v = new double[theta.length];
        SplittableRandom r = new SplittableRandom(seed + 1);
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        double[] thetaB = theta.clone();
        thetaB[0] = Math.nextUp(thetaB[0]);
        boolean[] flip = {false};
        // Alternate θ so that NetObjective's one-entry gradient cache never answers.
        Supplier<Object> gradient = () -> obj.valueAndGradient((flip[0] = !flip[0]) ? thetaB : theta);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", spec);
        out.put("n", n);
        out.put("params", net.numParams());
        out.put("threads", Parallel.threads());
        out.put("data", data.description);
        out.put("backend", Backends.blas().name());
        double gradS = median(reps, gradient);
        out.put("grad_s", gradS);
        if (!skipped.contains("fresh")) {
            double hvpS = median(reps, () -> obj.hvp(theta, v));
            out.put("hvp_s", hvpS);
            out.put("hvp_over_grad", hvpS / gradS);
        }
        // held in an array so that it can be let go before the Lanczos runs that build their own graphs: PyTorch's
        // side never holds two graphs at once, and neither should the peak memory measured here
        LinearOperator[] kept = {obj.hessian(theta)};
        double hvpReuseS = median(reps, () -> kept[0].apply(v));
        out.put("hvp_reuse_s", hvpReuseS);
        out.put("hvp_reuse_over_grad", hvpReuseS / gradS);
        if (!skipped.contains("noise")) {
            Noise noise = noise(obj, theta, gradient, reps);
            out.put("tracek_s", noise.traceS);
            out.put("tracek_over_grad", noise.traceOverGrad);
            out.put("noise_s", noise.noiseS);
            out.put("noise_over_grad", noise.noiseOverGrad);
            out.put("noise_grad_s", noise.gradS);
            out.put("lambda_k", noise.result.lambdaK());
            out.put("lambda_k_method", noise.result.method().name().toLowerCase(Locale.ROOT));
            out.put("lambda_k_gram_products", noise.result.gramProducts());
            out.put("lambda_k_sketch_products", noise.result.sketchProducts());
        }
        if (!skipped.contains("lanczos")) {
            // sharpness by 20 Lanczos steps, as the peer's --task bench times it: with the Hessian graph already
            // built ("lanczos") and including building it ("lanczos_incl_graph"); Ritz residuals, so exactly 20 products
            Lanczos.Config lz = Lanczos.Config.builder().k(1).which(Lanczos.Which.LARGEST_ALGEBRAIC).maxIterations(LANCZOS_STEPS)
                    .tolerance(1e-300).seed(seed + 1).residualMode(Lanczos.ResidualMode.RITZ_ESTIMATE).build();
            int lzReps = Math.max(3, Math.min(reps, 7));
            double[] sharpness = new double[1];
            out.put("lanczos_steps", LANCZOS_STEPS);
            out.put("lanczos_s", median(lzReps, () -> sharpness[0] = Lanczos.run(kept[0], lz).eigenvalue(0)));
            kept[0] = null;
            out.put("lanczos_incl_graph_s", median(lzReps,
                    () -> Lanczos.run(obj.hessian((flip[0] = !flip[0]) ? thetaB : theta), lz).eigenvalue(0)));
            out.put("sharpness", sharpness[0]);
        }
        if (!skipped.contains("gemm")) {
            out.put("gemm_gflops", gemmGflops(n, Math.min(reps, 5)));
        }
        out.put("peak_rss_bytes", peakResidentBytes());
        if (json) {
            System.out.println(Json.compact(out));
        } else {
            System.out.printf(Locale.ROOT, "driftlab bench: %s, N=%d, D=%d params, %d thread(s)%n", spec, n, net.numParams(), Parallel.threads());
            System.out.printf(Locale.ROOT, "  data            %s%n", data.description);
            System.out.printf(Locale.ROOT, "  backend         %s%n", Backends.blas().name());
            System.out.printf(Locale.ROOT, "  loss+gradient   %.4f s (median of %d)%n", gradS, reps);
            if (out.containsKey("hvp_s")) {
                System.out.printf(Locale.ROOT, "  HVP (fresh)     %.4f s  = %.2f x gradient%n", out.get("hvp_s"), out.get("hvp_over_grad"));
            }
            System.out.printf(Locale.ROOT, "  HVP (reused)    %.4f s  = %.2f x gradient%n", hvpReuseS, hvpReuseS / gradS);
            if (out.containsKey("tracek_s")) {
                System.out.printf(Locale.ROOT, "  Tr K            %.4f s  = %.2f x gradient (interleaved, median ratio)%n",
                        out.get("tracek_s"), out.get("tracek_over_grad"));
                System.out.printf(Locale.ROOT, "  Tr K + λ_K      %.4f s  = %.2f x gradient (%s: %d Gram + %d sketch products, λ_K = %.6g)%n",
                        out.get("noise_s"), out.get("noise_over_grad"), out.get("lambda_k_method"), out.get("lambda_k_gram_products"),
                        out.get("lambda_k_sketch_products"), out.get("lambda_k"));
            }
            if (out.containsKey("lanczos_s")) {
                System.out.printf(Locale.ROOT, "  Lanczos (%d)     %.3f s with the graph built, %.3f s including it (λ1 = %.6g)%n",
                        LANCZOS_STEPS, out.get("lanczos_s"), out.get("lanczos_incl_graph_s"), out.get("sharpness"));
            }
            if (out.containsKey("gemm_gflops")) {
                System.out.printf(Locale.ROOT, "  GEMM            %.1f GFLOP/s (%dx784 by 784x200)%n", out.get("gemm_gflops"), n);
            }
            System.out.printf(Locale.ROOT, "  peak RSS        %.2f GB%n", peakResidentBytes() / 1e9);
        }
        return 0;
    }

    /** The process's peak resident set (VmHWM of /proc/self/status), or -1 where that file does not exist. */
    static long peakResidentBytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return 1024L * Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Lanczos steps of the sharpness timing (the peer's --lanczos-iters default). */
    static final int LANCZOS_STEPS = 20;

    /** Runs the bodies at least twice and for at least {@link #warmupSeconds}, so the JIT has settled. */
    void warmUp(Supplier<?>... bodies) {
        long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
        int runs = 0;
        do {
            for (Supplier<?> b : bodies) {
                b.get();
            }
            runs++;
        } while (runs < 2 || System.nanoTime() < end);
    }

    /** Median wall time of reps runs, after {@link #warmUp}. */
    double median(int reps, Supplier<?> body) {
        warmUp(body);
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            t[i] = seconds(body);
        }
        return Stats.median(t);
    }

    /** Interleaved timings of Tr K and of Tr K + λ_K against the gradient (see the class comment). */
    record Noise(double gradS, double traceS, double noiseS, double traceOverGrad, double noiseOverGrad,
            GradientCovariance result) {}

    Noise noise(NetObjective obj, double[] theta, Supplier<?> gradient, int reps) {
        GradientCovariance[] last = new GradientCovariance[1];
        Supplier<?> trace = () -> GradientCovariance.of(obj, theta, 0);
        Supplier<?> full = () -> last[0] = GradientCovariance.of(obj, theta, 1);
        warmUp(gradient, trace, full);
        double[] g = new double[reps];
        double[] t = new double[reps];
        double[] f = new double[reps];
        double[] rt = new double[reps];
        double[] rf = new double[reps];
        for (int i = 0; i < reps; i++) {
            double g1 = seconds(gradient);
            t[i] = seconds(trace);
            double g2 = seconds(gradient);
            f[i] = seconds(full);
            g[i] = 0.5 * (g1 + g2);
            rt[i] = t[i] / g1;
            rf[i] = f[i] / g2;
        }
        return new Noise(Stats.median(g), Stats.median(t), Stats.median(f), Stats.median(rt), Stats.median(rf), last[0]);
    }

    private static double seconds(Supplier<?> body) {
        long s = System.nanoTime();
        body.get();
        return (System.nanoTime() - s) / 1e9;
    }


    double gemmGflops(int m, int reps) {
        SplittableRandom r = new SplittableRandom(7);
        Tensor a = random(r, m, 784);
        Tensor b = random(r, 784, 200);
        double s = median(reps, () -> MatMul.matmul(a, false, b, false));
        return 2.0 * m * 784 * 200 / s / 1e9;
    }

    static Tensor random(SplittableRandom r, int rows, int cols) {
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextDouble(-1, 1);
        }
        return Tensor.of(d, rows, cols);
    }

    /**
     * The benchmark's data: the first n Fashion-MNIST training images (/255, flattened) from the installed full set
     * or the embedded subset, and seeded synthetic images only when n exceeds what is available (the timing does
     * not depend on the pixel values); the description says which.
     */
    record BenchData(Tensor inputs, int[] labels, String description) {
        static BenchData load(int n, long seed) {
            int available = FashionMnist.installed() ? FashionMnist.FULL_TRAIN : FashionMnist.EMBEDDED_TRAIN;
            if (n <= available) {
                Dataset ds = DataSources.parse("fashion-mnist:train:" + n).flatten();
                return new BenchData(ds.inputs(), ds.labels(), ds.describe() + ", pixels/255");
            }
            SplittableRandom r = new SplittableRandom(seed + 99);
            double[] x = new double[n * 784];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextDouble();
            }
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = r.nextInt(10);
            }
            return new BenchData(Tensor.of(x, n, 784), y, "synthetic uniform [0,1] pixels, seed " + (seed + 99)
                    + " (--n " + n + " exceeds the " + available + " Fashion-MNIST training images available here)");
        }
    }
}
