package org.driftlab.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-threaded pure-Java DGEMM on the {@code jdk.incubator.vector} API.
 *
 * <p>Classic Goto/BLIS structure: for each block of {@link #KC} along k and {@link #NC} along n the B panel is
 * packed into slivers of {@link #NR} columns, for each block of {@link #MC} rows the A block is packed into
 * slivers of {@link #MR} rows, and a register-blocked FMA micro-kernel computes each MR×NR tile of C with all
 * accumulators held in vector registers. Transposition is absorbed by the packing routines, so the micro-kernel
 * only ever sees one layout.
 *
 * <p>Determinism: every element of C is computed with the same sequence of floating-point operations whatever
 * its position (edge tiles run the full kernel on zero-padded panels and the same write-back arithmetic), and
 * the k-blocking depends only on k. Hence splitting the rows of C across threads ({@link Ops#gemmInto}) gives
 * bitwise identical results for any thread count.
 *
 * <p>Parallelism is the caller's business; this class never starts threads. Packing buffers are per thread.
 */
public final class VectorBlas implements Blas {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
    /** Doubles per vector register (4 with AVX2). */
    private static final int VL = S.length();
    /** Rows of the micro-tile. */
    static final int MR = 6;
    /** Columns of the micro-tile: two vectors, so 12 accumulators + 2 B vectors + 1 broadcast fit 16 registers. */
    static final int NR = 2 * VL;
    /** k-block: a kc×NR B sliver (16 KB at kc=256) stays in L1 while A slivers stream from L2. */
    static final int KC = 256;
    /** m-block: the packed mc×kc A block (240 KB at kc=256) stays in L2. */
    static final int MC = 120;
    /** n-block: bounds the packed B panel (kept in L3). */
    static final int NC = 340 * NR;

    /** Per-thread packing buffers, grown on demand, so steady-state GEMMs allocate nothing. */
    private static final class Buffers {
        double[] a = new double[0];
        double[] b = new double[0];
        final double[] tile = new double[MR * NR];
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    @Override
    public String name() {
        return "java (Vector API, " + VL * 64 + "-bit)";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                     double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0 || alpha == 0) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        Buffers buf = BUFFERS.get();
        // Balanced k-blocks (e.g. 784 -> 4 x 196) avoid a thin last block; the split depends on k only.
        int kBlocks = (k + KC - 1) / KC;
        int kcMax = (k + kBlocks - 1) / kBlocks;
        int ncMax = Math.min(NC, roundUp(n, NR));
        int mcMax = Math.min(MC, roundUp(m, MR));
        if (buf.b.length < kcMax * ncMax) {
            buf.b = new double[kcMax * ncMax];
        }
        if (buf.a.length < kcMax * mcMax) {
            buf.a = new double[kcMax * mcMax];
        }
        double[] pa = buf.a;
        double[] pb = buf.b;
        double[] tile = buf.tile;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                packB(transB, b, bOff, ldb, pc, jc, kc, nc, pb);
                // The first k-block applies beta; later ones accumulate onto what is already in C.
                double betaEff = pc == 0 ? beta : 1.0;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(transA, a, aOff, lda, ic, pc, mc, kc, pa);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = Math.min(NR, nc - jr);
                        int bIdx = jr * kc;
                        for (int ir = 0; ir < mc; ir += MR) {
                            int rows = Math.min(MR, mc - ir);
                            int cIdx = cOff + (ic + ir) * ldc + jc + jr;
                            if (rows == MR && cols == NR) {
                                kernel(kc, pa, ir * kc, pb, bIdx, c, cIdx, ldc, alpha, betaEff);
                            } else {
                                edge(kc, pa, ir * kc, pb, bIdx, c, cIdx, ldc, alpha, betaEff, rows, cols, tile);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * A partial tile: run the same kernel on a full-size scratch tile holding the valid part of C, then copy that
     * part back. Every element therefore sees exactly the arithmetic of an interior tile.
     */
    private static void edge(int kc, double[] pa, int aIdx, double[] pb, int bIdx, double[] c, int cIdx, int ldc,
                             double alpha, double beta, int rows, int cols, double[] tile) {
        java.util.Arrays.fill(tile, 0.0);
        if (beta != 0) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(c, cIdx + r * ldc, tile, r * NR, cols);
            }
        }
        kernel(kc, pa, aIdx, pb, bIdx, tile, 0, NR, alpha, beta);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(tile, r * NR, c, cIdx + r * ldc, cols);
        }
    }

    private static int roundUp(int x, int q) {
        return (x + q - 1) / q * q;
    }

    /** C = beta·C, with beta == 0 meaning "overwrite", so NaN or garbage in C does not survive. */
    private static void scale(int m, int n, double beta, double[] c, int cOff, int ldc) {
        if (beta == 1) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[row + j] = beta == 0 ? 0.0 : beta * c[row + j];
            }
        }
    }

    /**
     * Packs op(A)[ic..ic+mc, pc..pc+kc] as consecutive MR-row slivers, each stored p-major (MR values per p);
     * rows past mc are zero so edge tiles can run the full kernel.
     */
    private static void packA(boolean transA, double[] a, int aOff, int lda, int ic, int pc, int mc, int kc,
                              double[] pa) {
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int base = ir * kc;
            if (transA) {
                // op(A)(i, p) = a[p*lda + i]: MR consecutive rows of op(A) are contiguous in memory.
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (pc + p) * lda + ic + ir;
                    int dst = base + p * MR;
                    int r = 0;
                    for (; r < rows; r++) {
                        pa[dst + r] = a[src + r];
                    }
                    for (; r < MR; r++) {
                        pa[dst + r] = 0.0;
                    }
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    int src = aOff + (ic + ir + r) * lda + pc;
                    for (int p = 0; p < kc; p++) {
                        pa[base + p * MR + r] = a[src + p];
                    }
                }
                for (int r = rows; r < MR; r++) {
                    for (int p = 0; p < kc; p++) {
                        pa[base + p * MR + r] = 0.0;
                    }
                }
            }
        }
    }

    /**
     * Packs op(B)[pc..pc+kc, jc..jc+nc] as consecutive NR-column slivers, each stored p-major (NR values per p);
     * columns past nc are zero.
     */
    private static void packB(boolean transB, double[] b, int bOff, int ldb, int pc, int jc, int kc, int nc,
                              double[] pb) {
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            int base = jr * kc;
            if (transB) {
                // op(B)(p, j) = b[j*ldb + p]: walk each stored row contiguously, scatter with stride NR.
                for (int q = 0; q < cols; q++) {
                    int src = bOff + (jc + jr + q) * ldb + pc;
                    for (int p = 0; p < kc; p++) {
                        pb[base + p * NR + q] = b[src + p];
                    }
                }
                for (int q = cols; q < NR; q++) {
                    for (int p = 0; p < kc; p++) {
                        pb[base + p * NR + q] = 0.0;
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + jr;
                    int dst = base + p * NR;
                    System.arraycopy(b, src, pb, dst, cols);
                    for (int q = cols; q < NR; q++) {
                        pb[dst + q] = 0.0;
                    }
                }
            }
        }
    }

    /**
     * The MR×NR micro-kernel: acc = Σ_p A[:,p]·B[p,:] over one k-block with fused multiply-adds in p order, then
     * C = alpha·acc + beta·C (beta == 0: C = alpha·acc, C is not read). Written out by hand so that C2 keeps all
     * twelve accumulators in registers; 6×8 measured fastest here (4×12 needs all 16 AVX2 registers and spills).
     */
    private static void kernel(int kc, double[] pa, int aIdx, double[] pb, int bIdx, double[] c, int cIdx, int ldc,
                               double alpha, double beta) {
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector c00 = z, c01 = z;
        DoubleVector c10 = z, c11 = z;
        DoubleVector c20 = z, c21 = z;
        DoubleVector c30 = z, c31 = z;
        DoubleVector c40 = z, c41 = z;
        DoubleVector c50 = z, c51 = z;
        int ai = aIdx;
        int bi = bIdx;
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            DoubleVector b0 = DoubleVector.fromArray(S, pb, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, pb, bi + VL);
            DoubleVector x = DoubleVector.broadcast(S, pa[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, pa[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, pa[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, pa[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(S, pa[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(S, pa[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        if (beta == 0) {
            c00.mul(alpha).intoArray(c, cIdx);
            c01.mul(alpha).intoArray(c, cIdx + VL);
            c10.mul(alpha).intoArray(c, cIdx + ldc);
            c11.mul(alpha).intoArray(c, cIdx + ldc + VL);
            c20.mul(alpha).intoArray(c, cIdx + 2 * ldc);
            c21.mul(alpha).intoArray(c, cIdx + 2 * ldc + VL);
            c30.mul(alpha).intoArray(c, cIdx + 3 * ldc);
            c31.mul(alpha).intoArray(c, cIdx + 3 * ldc + VL);
            c40.mul(alpha).intoArray(c, cIdx + 4 * ldc);
            c41.mul(alpha).intoArray(c, cIdx + 4 * ldc + VL);
            c50.mul(alpha).intoArray(c, cIdx + 5 * ldc);
            c51.mul(alpha).intoArray(c, cIdx + 5 * ldc + VL);
        } else {
            c00.mul(alpha).add(DoubleVector.fromArray(S, c, cIdx).mul(beta)).intoArray(c, cIdx);
            c01.mul(alpha).add(DoubleVector.fromArray(S, c, cIdx + VL).mul(beta)).intoArray(c, cIdx + VL);
            c10.mul(alpha).add(DoubleVector.fromArray(S, c, cIdx + ldc).mul(beta)).intoArray(c, cIdx + ldc);
            c11.mul(alpha).add(DoubleVector.fromArray(S, c, cIdx + ldc + VL).mul(beta)).intoArray(c, cIdx + ldc + VL);
            c20.mul(alpha).add(DoubleVector.fromArray(S, c, cIdx + 2 * ldc).mul(beta)).intoArray(c, cIdx + 2 * ldc);
            c21.mul(alpha).add(DoubleVector.fromArray(S, c, cIdx + 2 * ldc + VL).mul(beta)).intoArray(c, cIdx + 2 * ldc + VL);
            c30.mul(alpha).add(DoubleVector.fromArray(S, c, cIdx + 3 * ldc).mul(beta)).intoArray(c, cIdx + 3 * ldc);
            c31.mul(alpha).add(DoubleVector.fromArray(S, c, cIdx + 3 * ldc + VL).mul(beta)).intoArray(c, cIdx + 3 * ldc + VL);
            c40.mul(alpha).add(DoubleVector.fromArray(S, c, cIdx + 4 * ldc).mul(beta)).intoArray(c, cIdx + 4 * ldc);
            c41.mul(alpha).add(DoubleVector.fromArray(S, c, cIdx + 4 * ldc + VL).mul(beta)).intoArray(c, cIdx + 4 * ldc + VL);
            c50.mul(alpha).add(DoubleVector.fromArray(S, c, cIdx + 5 * ldc).mul(beta)).intoArray(c, cIdx + 5 * ldc);
            c51.mul(alpha).add(DoubleVector.fromArray(S, c, cIdx + 5 * ldc + VL).mul(beta)).intoArray(c, cIdx + 5 * ldc + VL);
        }
    }
}
