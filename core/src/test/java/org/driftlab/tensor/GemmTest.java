package org.driftlab.tensor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Fast GEMM backends against {@link NaiveBlas}: all transpose combinations, odd sizes, offsets, alpha/beta. */
class GemmTest {
    private static final double TOL = 1e-12;

    @AfterEach
    void restore() {
        Backends.setBlas(null);
        Parallel.setThreads(Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 8)));
    }

    @Test
    void vectorMatchesNaive() {
        checkAgainstNaive(new VectorBlas(), 1);
    }

    @Test
    void plainFallbackMatchesNaive() {
        checkAgainstNaive(new Backends.PlainBlas(), 2);
    }

    @Test
    void nativeMatchesNaive() {
        Blas nat = null;
        Throwable why = null;
        try {
            nat = new NativeBlas();
        } catch (RuntimeException | LinkageError e) {
            why = e;
        }
        Assumptions.assumeTrue(nat != null, "native BLAS (libblas.so.3 / OpenBLAS) not loadable, skipping: " + why
                + " -- install with scripts/install-native.sh");
        checkAgainstNaive(nat, 3);
    }

    /** Many odd shapes: every transpose combo, padded leading dimensions, nonzero offsets, several alpha/beta. */
    private static void checkAgainstNaive(Blas blas, long seed) {
        Random rnd = new Random(seed);
        NaiveBlas ref = new NaiveBlas();
        int cases = 0;
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0;
            boolean tb = (t & 2) != 0;
            for (int s = 1; s <= 70; s += (s < 20 ? 1 : 7)) {
                // Vary the three dimensions independently around s so edges in m, n and k all get hit.
                int m = s;
                int n = 1 + (s * 7 + 3) % 70;
                int k = 1 + (s * 13 + 5) % 70;
                compare(blas, ref, rnd, ta, tb, m, n, k, cases++);
            }
            compare(blas, ref, rnd, ta, tb, 130, 257, 99, cases++);
            compare(blas, ref, rnd, ta, tb, 157, 99, 200, cases++);
            compare(blas, ref, rnd, ta, tb, 7, 300, 265, cases++);
            compare(blas, ref, rnd, ta, tb, 13, 21, 1100, cases++); // several k-blocks of VectorBlas
        }
        assertTrue(cases > 100);
    }

    private static void compare(Blas blas, Blas ref, Random rnd, boolean ta, boolean tb, int m, int n, int k,
                                int caseNo) {
        int aRows = ta ? k : m;
        int aCols = ta ? m : k;
        int bRows = tb ? n : k;
        int bCols = tb ? k : n;
        int lda = aCols + rnd.nextInt(4);
        int ldb = bCols + rnd.nextInt(4);
        int ldc = n + rnd.nextInt(4);
        int aOff = rnd.nextInt(5);
        int bOff = rnd.nextInt(5);
        int cOff = rnd.nextInt(5);
        // Arrays end exactly at the last used element: catches over-reads and netlib's strict bounds checks.
        double[] a = random(rnd, aOff + (aRows - 1) * lda + aCols);
        double[] b = random(rnd, bOff + (bRows - 1) * ldb + bCols);
        double[] c0 = random(rnd, cOff + (m - 1) * ldc + n);
        double[][] ab = {{1.0, 0.0}, {-0.75, 1.0}, {1.3, -2.5}, {0.5, 0.0}};
        double[] coef = ab[caseNo % ab.length];
        double alpha = coef[0];
        double beta = coef[1];
        if (beta == 0) {
            // beta == 0 must ignore C entirely, NaN included.
            for (int i = 0; i < c0.length; i += 3) {
                c0[i] = Double.NaN;
            }
        }
        double[] want = c0.clone();
        double[] got = c0.clone();
        ref.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, want, cOff, ldc);
        blas.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, got, cOff, ldc);
        String what = blas.name() + " ta=" + ta + " tb=" + tb + " m=" + m + " n=" + n + " k=" + k
                + " alpha=" + alpha + " beta=" + beta;
        double scale = 0;
        for (double v : want) {
            if (!Double.isNaN(v)) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int idx = cOff + i * ldc + j;
                assertFalse(Double.isNaN(got[idx]), what + ": NaN at (" + i + "," + j + ")");
                double err = Math.abs(got[idx] - want[idx]);
                if (err > TOL * Math.max(1.0, scale)) {
                    fail(what + ": (" + i + "," + j + ") got " + got[idx] + " want " + want[idx]);
                }
            }
        }
        // Padding between rows and before the offset must be untouched (NaN == NaN bitwise here).
        for (int idx = 0; idx < c0.length; idx++) {
            boolean inside = idx >= cOff && (idx - cOff) % ldc < n;
            if (!inside) {
                assertEquals(Double.doubleToRawLongBits(c0[idx]), Double.doubleToRawLongBits(got[idx]),
                        what + ": wrote outside C at " + idx);
            }
        }
    }

    @Test
    void kZeroScalesByBeta() {
        double[] c = {1, 2, Double.NaN, 4};
        new VectorBlas().gemm(false, false, 2, 2, 0, 1.0, new double[0], 0, 1, new double[0], 0, 2, 0.0, c, 0, 2);
        assertArrayEquals(new double[] {0, 0, 0, 0}, c);
        double[] d = {1, 2, 3, 4};
        new VectorBlas().gemm(true, true, 2, 2, 0, 1.0, new double[0], 0, 2, new double[0], 0, 1, 2.0, d, 0, 2);
        assertArrayEquals(new double[] {2, 4, 6, 8}, d);
    }

    /** Splitting rows of C over threads must not change a single bit (all four transpose combinations). */
    @Test
    void matmulIsBitwiseDeterministicAcrossThreadCounts() {
        Backends.setBlas(new VectorBlas());
        Random rnd = new Random(7);
        // Big enough that MatMul.gemmInto really splits (>= 2 MFLOP), odd so chunks end mid micro-tile, and k large
        // enough for several k-blocks.
        int m = 301;
        int n = 37;
        int k = 1030;
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0;
            boolean tb = (t & 2) != 0;
            Tensor a = Tensor.of(random(rnd, m * k), ta ? k : m, ta ? m : k);
            Tensor b = Tensor.of(random(rnd, k * n), tb ? n : k, tb ? k : n);
            Parallel.setThreads(1);
            double[] one = MatMul.matmul(a, ta, b, tb).data();
            Parallel.setThreads(2);
            double[] two = MatMul.matmul(a, ta, b, tb).data();
            Parallel.setThreads(3);
            double[] three = MatMul.matmul(a, ta, b, tb).data();
            for (int i = 0; i < one.length; i++) {
                assertEquals(Double.doubleToRawLongBits(one[i]), Double.doubleToRawLongBits(two[i]),
                        "ta=" + ta + " tb=" + tb + " element " + i + " differs between 1 and 2 threads");
                assertEquals(Double.doubleToRawLongBits(one[i]), Double.doubleToRawLongBits(three[i]),
                        "ta=" + ta + " tb=" + tb + " element " + i + " differs between 1 and 3 threads");
            }
        }
    }

    @Test
    void backendSelectionAndDescription() {
        Backends.setBlas(null);
        Blas b = Backends.blas();
        String d = Backends.describe();
        assertTrue(d.startsWith(b.name()), d);
        assertTrue(d.contains("install-native.sh") || d.contains("DRIFTLAB_BLAS"), d);
        // Under surefire the incubator module is present, so the Java choice is the Vector API kernel.
        assertTrue(Backends.javaBlas() instanceof VectorBlas);
    }

    @Test
    void gflopsRunsOnASmallProblem() {
        Backends.setBlas(new VectorBlas());
        assertTrue(GemmBenchmark.gflops(40, 30, 20, 3) > 0);
    }

    private static double[] random(Random rnd, int len) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = rnd.nextGaussian();
        }
        return x;
    }
}
