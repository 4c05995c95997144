package org.driftlab.tensor;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cached packings of constant operands give bitwise the same products as fresh packing, and never go stale. */
class PackCacheTest {
    private static double[] random(Random rnd, int size) {
        double[] x = new double[size];
        for (int i = 0; i < size; i++) {
            x[i] = rnd.nextGaussian();
        }
        return x;
    }

    private static double[] product(boolean ta, boolean tb, int m, int n, int k, double[] a, int aOff, int lda,
                                    double[] b, int bOff, int ldb, double beta, double[] c0) {
        double[] c = c0.clone();
        new VectorBlas().gemm(ta, tb, m, n, k, 1.25, a, aOff, lda, b, bOff, ldb, beta, c, 0, n);
        return c;
    }

    @Test
    void cachedMatchesUncachedBitwise() {
        PackCache.clear();
        Random rnd = new Random(7);
        // Sizes span several k-blocks (k > KC), m-blocks (m > MC), edge tiles, and n > NC for the B panel.
        int[][] shapes = {{13, 9, 5}, {100, 37, 600}, {203, 150, 1100}, {7, VectorBlas.NC + 13, 530}};
        for (int[] sh : shapes) {
            int m = sh[0];
            int n = sh[1];
            int k = sh[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                int lda = (ta ? m : k) + 3;
                int ldb = (tb ? k : n) + 2;
                int aOff = 5;
                int bOff = 4;
                double[] a = random(rnd, aOff + (ta ? k : m) * lda);
                double[] b = random(rnd, bOff + (tb ? n : k) * ldb);
                double[] c0 = random(rnd, m * n);
                double[] plain = product(ta, tb, m, n, k, a, aOff, lda, b, bOff, ldb, 0.5, c0);
                double[] aConst = a.clone();
                double[] bConst = b.clone();
                Tensor.of(aConst, aConst.length).constantData();
                Tensor.of(bConst, bConst.length).constantData();
                int before = PackCache.size();
                double[] miss = product(ta, tb, m, n, k, aConst, aOff, lda, bConst, bOff, ldb, 0.5, c0);
                assertEquals(before + 2, PackCache.size(), "both packings cached");
                double[] hit = product(ta, tb, m, n, k, aConst, aOff, lda, bConst, bOff, ldb, 0.5, c0);
                // Only one operand constant (the other packed fresh) must also agree.
                double[] mixed1 = product(ta, tb, m, n, k, aConst, aOff, lda, b, bOff, ldb, 0.5, c0);
                double[] mixed2 = product(ta, tb, m, n, k, a, aOff, lda, bConst, bOff, ldb, 0.5, c0);
                String what = m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb;
                assertArrayEquals(plain, miss, 0.0, what + " (miss)");
                assertArrayEquals(plain, hit, 0.0, what + " (hit)");
                assertArrayEquals(plain, mixed1, 0.0, what + " (A cached)");
                assertArrayEquals(plain, mixed2, 0.0, what + " (B cached)");
            }
        }
    }

    @Test
    void differentArrayOfSameShapeIsNotConfused() {
        PackCache.clear();
        Random rnd = new Random(11);
        int m = 50;
        int n = 40;
        int k = 700;
        double[] a1 = random(rnd, m * k);
        double[] a2 = random(rnd, m * k);
        double[] b = random(rnd, k * n);
        Tensor.of(a1, m, k).constantData();
        Tensor.of(a2, m, k).constantData();
        Tensor.of(b, k, n).constantData();
        double[] c0 = new double[m * n];
        double[] r1 = product(false, false, m, n, k, a1, 0, k, b, 0, n, 0.0, c0);
        double[] r2 = product(false, false, m, n, k, a2, 0, k, b, 0, n, 0.0, c0);
        double[] r1Again = product(false, false, m, n, k, a1, 0, k, b, 0, n, 0.0, c0);
        double[] r2Plain = product(false, false, m, n, k, a2.clone(), 0, k, b.clone(), 0, n, 0.0, c0);
        assertArrayEquals(r2Plain, r2, 0.0);
        assertArrayEquals(r1, r1Again, 0.0);
        assertTrue(!java.util.Arrays.equals(r1, r2));
        // Same array, different offset or extent: a different key.
        double[] sub = product(false, false, m - 10, n, k, a1, 10 * k, k, b, 0, n, 0.0, new double[(m - 10) * n]);
        double[] subPlain = product(false, false, m - 10, n, k, a1.clone(), 10 * k, k, b, 0, n, 0.0,
                new double[(m - 10) * n]);
        assertArrayEquals(subPlain, sub, 0.0);
        // An unmarked array is never cached.
        int size = PackCache.size();
        product(false, false, m, n, k, a2.clone(), 0, k, b.clone(), 0, n, 0.0, c0);
        assertEquals(size, PackCache.size());
    }
}
