package org.driftlab.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Measures GEMM throughput through {@link MatMul#matmul} with the current {@link Backends#blas()} and
 * {@link Parallel#threads()}. {@link #gflops} backs the {@code driftlab bench} command; {@link #main} prints a
 * table for driftlab's training shapes (forward X·W and the three backward products) for every loadable backend
 * at 1 and 2 threads.
 */
public final class GemmBenchmark {
    private GemmBenchmark() {}

    /** GFLOP/s of C[m×n] = A[m×k]·B[k×n]: median over reps timed runs after warm-up. */
    public static double gflops(int m, int n, int k, int reps) {
        return gflops(m, n, k, false, false, reps);
    }

    /**
     * GFLOP/s of C[m×n] = op(A)·op(B) with op(A) m×k and op(B) k×n, on seeded random operands stored as the
     * flags imply (A is k×m when transA). Median of reps timed runs after enough warm-up for the JIT.
     */
    public static double gflops(int m, int n, int k, boolean transA, boolean transB, int reps) {
        if (reps < 1) {
            throw new IllegalArgumentException("reps must be >= 1, got " + reps);
        }
        Random rnd = new Random(42);
        Tensor a = random(rnd, transA ? k : m, transA ? m : k);
        Tensor b = random(rnd, transB ? n : k, transB ? k : n);
        double flop = 2.0 * m * n * k;
        // Warm up for at least 1 s and 3 calls so C2 has compiled the kernel before timing starts (compiling
        // takes seconds on a busy machine).
        long warmEnd = System.nanoTime() + 1_000_000_000L;
        for (int i = 0; i < 3 || System.nanoTime() < warmEnd; i++) {
            MatMul.matmul(a, transA, b, transB);
        }
        double[] rates = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            MatMul.matmul(a, transA, b, transB);
            rates[r] = flop / (System.nanoTime() - t0);
        }
        Arrays.sort(rates);
        return reps % 2 == 1 ? rates[reps / 2] : 0.5 * (rates[reps / 2 - 1] + rates[reps / 2]);
    }

    private static Tensor random(Random rnd, int rows, int cols) {
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = rnd.nextGaussian();
        }
        return Tensor.of(d, rows, cols);
    }

    /** One benchmark shape: op(A) m×k times op(B) k×n. */
    private static final class Shape {
        final String label;
        final int m;
        final int n;
        final int k;
        final boolean ta;
        final boolean tb;

        Shape(String label, int m, int n, int k, boolean ta, boolean tb) {
            this.label = label;
            this.m = m;
            this.n = n;
            this.k = k;
            this.ta = ta;
            this.tb = tb;
        }
    }

    /**
     * Prints GFLOP/s per backend, thread count and shape. Optional arguments: reps (default 7), then backend
     * names to restrict to (native, java, plain, naive).
     */
    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        List<String> only = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : List.of();
        Shape[] shapes = {
            new Shape("X·W     5000x784 · 784x200", 5000, 200, 784, false, false),
            new Shape("Gᵀ·X    (5000x200)ᵀ · 5000x784", 200, 784, 5000, true, false),
            new Shape("G·W     5000x200 · 200x784", 5000, 784, 200, false, false),
            new Shape("X·Wᵀ    5000x784 · (200x784)ᵀ", 5000, 200, 784, false, true),
        };
        List<Blas> backends = new ArrayList<>();
        try {
            backends.add(new NativeBlas());
        } catch (RuntimeException | LinkageError e) {
            System.out.println("native: not loadable (" + e.getMessage() + "); " + Backends.INSTALL_HINT);
        }
        backends.add(Backends.javaBlas());
        Blas saved = Backends.blas();
        int savedThreads = Parallel.threads();
        System.out.println("OPENBLAS_NUM_THREADS=" + System.getenv("OPENBLAS_NUM_THREADS") + ", reps=" + reps
                + ", default backend: " + Backends.describe());
        try {
            for (Blas blas : backends) {
                String kind = blas instanceof NativeBlas ? "native" : blas instanceof VectorBlas ? "java" : "plain";
                if (!only.isEmpty() && !only.contains(kind)) {
                    continue;
                }
                Backends.setBlas(blas);
                for (int threads = 1; threads <= 2; threads++) {
                    Parallel.setThreads(threads);
                    for (Shape s : shapes) {
                        double g = gflops(s.m, s.n, s.k, s.ta, s.tb, reps);
                        System.out.println(String.format(Locale.ROOT, "%-34s threads=%d  %-34s %7.2f GFLOP/s",
                                blas.name(), threads, s.label, g));
                    }
                }
            }
        } finally {
            Backends.setBlas(saved);
            Parallel.setThreads(savedThreads);
        }
    }
}
