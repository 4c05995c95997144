package org.driftlab.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Columns come out orthonormal, and a column in the span of earlier ones comes out zero. */
class OrthonormalTest {
    @Test
    void orthonormalColumnsAndZeroForADependentOne() {
        int rows = 7;
        int k = 4;
        SplittableRandom r = new SplittableRandom(1);
        double[] z = new double[rows * k];
        for (int i = 0; i < rows; i++) {
            z[i * k] = r.nextGaussian();
            z[i * k + 1] = r.nextGaussian();
            z[i * k + 2] = 2 * z[i * k] - 3 * z[i * k + 1]; // dependent
            z[i * k + 3] = r.nextGaussian();
        }
        Orthonormal.columns(z, rows, k);
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double d = 0;
                for (int i = 0; i < rows; i++) {
                    d += z[i * k + a] * z[i * k + b];
                }
                double want = a == b && a != 2 ? 1 : 0;
                assertEquals(want, d, 1e-12, "column " + a + " · column " + b);
            }
        }
    }
}
