package org.driftlab.tensor;

import dev.ludovic.netlib.blas.NativeBLAS;

/**
 * {@link Blas} on the system's native BLAS (OpenBLAS on Debian via {@code libopenblas0-pthread}) through
 * dev.ludovic.netlib's JNI binding, which opens {@code libblas.so.3}.
 *
 * <p>Construction fails with an exception when the native library cannot be loaded; there is deliberately no
 * silent fallback here ({@link Backends} decides what to do instead).
 *
 * <p>Threads: driftlab parallelises by splitting the rows of C itself ({@link MatMul#gemmInto}), so OpenBLAS must
 * run single-threaded or the two levels oversubscribe the cores. Set {@code OPENBLAS_NUM_THREADS=1} in the
 * environment before the JVM starts (the launcher script exports it); this class does not touch threading.
 * On JDK 24 and later also pass {@code --enable-native-access=ALL-UNNAMED} (JNI is a restricted method there).
 */
public final class NativeBlas implements Blas {
    private final NativeBLAS blas;

    /** Per-thread scratch for compacted operands (index 0: A, 1: B), grown on demand. */
    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[2][0]);

    /**
     * Loads the native library.
     *
     * @throws RuntimeException (or a LinkageError) when {@code libblas.so.3} cannot be loaded
     */
    public NativeBlas() {
        this.blas = NativeBLAS.getInstance();
    }

    @Override
    public String name() {
        return "native (" + blas.getClass().getSimpleName() + " via libblas.so.3)";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                     double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        // Fortran dgemm is column-major. A row-major m×n C with stride ldc is, read column-major, the n×m matrix
        // Cᵀ with leading dimension ldc; likewise for A and B. So compute Cᵀ = op(B)ᵀ·op(A)ᵀ, which is dgemm
        // with the operands swapped and the same transpose flags.
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        checkExtent("A", a, aOff, lda, aRows, aCols);
        checkExtent("B", b, bOff, ldb, bRows, bCols);
        checkExtent("C", c, cOff, ldc, m, n);
        // netlib's bounds check wants off + rows·ld <= length, i.e. a full stride after the last stored row.
        // A sub-block ending inside the last row of its array (MatMul.gemmInto passes such column slices of A for
        // transA) fails it, so compact that operand into a tight buffer first; it is O(size of the operand).
        double[] a2 = a;
        int aOff2 = aOff;
        int lda2 = lda;
        if ((long) aOff + (long) aRows * lda > a.length) {
            a2 = compact(a, aOff, lda, aRows, aCols, 0);
            aOff2 = 0;
            lda2 = aCols;
        }
        double[] b2 = b;
        int bOff2 = bOff;
        int ldb2 = ldb;
        if ((long) bOff + (long) bRows * ldb > b.length) {
            b2 = compact(b, bOff, ldb, bRows, bCols, 1);
            bOff2 = 0;
            ldb2 = bCols;
        }
        blas.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k,
                alpha, b2, bOff2, ldb2, a2, aOff2, lda2, beta, c, cOff, ldc);
    }

    /**
     * Native code does no bounds checking of its own (and netlib checks C loosely), so reject any block that
     * does not lie inside its array before crossing into C.
     */
    private static void checkExtent(String what, double[] x, int off, int ld, int rows, int cols) {
        if (rows == 0 || cols == 0) {
            return;
        }
        if (off < 0 || ld < cols || (long) off + (long) (rows - 1) * ld + cols > x.length) {
            throw new IndexOutOfBoundsException("gemm: " + what + " block " + rows + "x" + cols + " at offset " + off
                    + " with leading dimension " + ld + " does not fit an array of length " + x.length);
        }
    }

    /** Copies the rows×cols block at off (stride ld) into thread-local scratch with stride cols. */
    private static double[] compact(double[] x, int off, int ld, int rows, int cols, int slot) {
        double[][] scratch = SCRATCH.get();
        int size = rows * cols;
        if (scratch[slot].length < size) {
            scratch[slot] = new double[size];
        }
        double[] t = scratch[slot];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, off + r * ld, t, r * cols, cols);
        }
        return t;
    }
}
