package org.driftlab.linalg;

/** Orthonormal bases from the columns of a matrix. */
public final class Orthonormal {
    private Orthonormal() {}

    /**
     * Modified Gram–Schmidt, twice, on the columns of a row-major [rows, k] matrix, in place. A column that is
     * (numerically) in the span of the previous ones becomes zero, so it adds nothing to a projector built from
     * the columns.
     */
    public static void columns(double[] z, int rows, int k) {
        if (z.length != rows * k) {
            throw new IllegalArgumentException("Orthonormal.columns: " + z.length + " entries for [" + rows + ", " + k + "]");
        }
        for (int c = 0; c < k; c++) {
            double before = 0;
            for (int i = 0; i < rows; i++) {
                before += z[i * k + c] * z[i * k + c];
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < c; p++) {
                    double d = 0;
                    for (int i = 0; i < rows; i++) {
                        d += z[i * k + c] * z[i * k + p];
                    }
                    for (int i = 0; i < rows; i++) {
                        z[i * k + c] -= d * z[i * k + p];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < rows; i++) {
                norm += z[i * k + c] * z[i * k + c];
            }
            norm = Math.sqrt(norm);
            boolean keep = norm > 1e-10 * Math.sqrt(before) && norm > 0;
            for (int i = 0; i < rows; i++) {
                z[i * k + c] = keep ? z[i * k + c] / norm : 0;
            }
        }
    }
}
