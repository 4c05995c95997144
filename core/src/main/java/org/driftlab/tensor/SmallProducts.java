package org.driftlab.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner loop of {@link MatMul#batched} for small products (attention scores of a few dozen tokens): one row of
 * C = Σ_p a_p·B[p, :] with B a contiguous k×n panel, by fused multiply-adds in p order, on vector lanes when the
 * {@code jdk.incubator.vector} module is present (the per-element operations are the same either way, so results do
 * not depend on it). Writes only that row of C.
 */
final class SmallProducts {
    private static final boolean VECTOR = vectorAvailable();

    private SmallProducts() {}

    private static boolean vectorAvailable() {
        try {
            return Lanes.S.length() > 0;
        } catch (LinkageError e) {
            return false;
        }
    }

    /**
     * c[co + j] = Σ_p a[ao + p·as]·b[p·n + j] for j in [0, n), accumulated from 0 in p order with fused
     * multiply-adds.
     */
    static void row(double[] a, int ao, int as, double[] b, int k, int n, double[] c, int co) {
        int j = 0;
        if (VECTOR) {
            j = Lanes.row(a, ao, as, b, k, n, c, co);
        }
        for (; j < n; j++) {
            double acc = 0;
            for (int p = 0; p < k; p++) {
                acc = Math.fma(a[ao + p * as], b[p * n + j], acc);
            }
            c[co + j] = acc;
        }
    }

    /** The vector form, in its own class so that nothing loads the incubator module when it is absent. */
    private static final class Lanes {
        static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

        /** The vector-wide columns of the row; returns the first column left for the scalar tail. */
        static int row(double[] a, int ao, int as, double[] b, int k, int n, double[] c, int co) {
            int vl = S.length();
            int j = 0;
            for (; j + 2 * vl <= n; j += 2 * vl) {
                DoubleVector acc0 = DoubleVector.zero(S);
                DoubleVector acc1 = DoubleVector.zero(S);
                for (int p = 0; p < k; p++) {
                    DoubleVector x = DoubleVector.broadcast(S, a[ao + p * as]);
                    acc0 = x.fma(DoubleVector.fromArray(S, b, p * n + j), acc0);
                    acc1 = x.fma(DoubleVector.fromArray(S, b, p * n + j + vl), acc1);
                }
                acc0.intoArray(c, co + j);
                acc1.intoArray(c, co + j + vl);
            }
            for (; j + vl <= n; j += vl) {
                DoubleVector acc = DoubleVector.zero(S);
                for (int p = 0; p < k; p++) {
                    acc = DoubleVector.broadcast(S, a[ao + p * as]).fma(DoubleVector.fromArray(S, b, p * n + j), acc);
                }
                acc.intoArray(c, co + j);
            }
            return j;
        }
    }
}
