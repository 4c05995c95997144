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
 * its position (C is first scaled by beta, then each k-block adds alpha·(FMA chain over p); edge tiles run the
 * same kernel on zero-padded panels through a scratch tile), and the k-blocking depends only on k. Hence
 * splitting the rows of C across threads ({@link MatMul#gemmInto}) gives bitwise identical results for any thread
 * count.
 *
 * <p>Parallelism is the caller's business; this class never starts threads. Packing buffers are per thread.
 *
 * <p>Operands whose array was declared constant ({@link Tensor#constantData()}, e.g. a NetObjective's data matrix)
 * keep their complete packing in {@link PackCache} between calls, so X in X·W₁ᵀ and Gᵀ·X is packed once rather
 * than on every loss evaluation; the cached panels hold exactly what packing would produce, so results are bitwise
 * unchanged.
 *
 * <p>Two micro-kernels, chosen once from the JVM's preferred vector width: 6×8 on 256-bit vectors (AVX2: 16
 * registers of 4 doubles; about 41 GFLOP/s per Zen core with JDK 17, OpenBLAS 37-44) and 12×16 on 512-bit vectors
 * (AVX-512: 32 registers of 8 doubles; about twice that on a core with full-width AVX-512 units, e.g. Zen 5, where
 * Debian's OpenBLAS still runs its 256-bit kernels). Both compute every element of C with the same operations in
 * the same order (the k-blocking does not depend on the kernel), so they agree bitwise. The system property
 * {@code driftlab.gemm.width=256} forces the narrow kernel. JDK 25's C2 currently compiles these kernels about half
 * as fast. Without AVX the Vector API falls back to scalar Java and this class becomes slow; {@link Backends}
 * then prefers native OpenBLAS when it is installed.
 */
public final class VectorBlas implements Blas {
    /** Whether the 12×16 kernel on 512-bit vectors is used (the preferred species has 8 lanes). */
    static final boolean WIDE = DoubleVector.SPECIES_PREFERRED.length() >= 8
            && !"256".equals(System.getProperty("driftlab.gemm.width"));
    private static final VectorSpecies<Double> S = WIDE ? DoubleVector.SPECIES_512 : DoubleVector.SPECIES_256;
    private static final VectorSpecies<Double> S256 = DoubleVector.SPECIES_256;
    private static final VectorSpecies<Double> S512 = DoubleVector.SPECIES_512;
    /** Doubles per vector register (4 with AVX2, 8 with AVX-512). */
    private static final int VL = S.length();
    /** Rows of the micro-tile. */
    static final int MR = WIDE ? 12 : 6;
    /**
     * Columns of the micro-tile: two vectors, so 2·MR accumulators + 2 B vectors + 1 broadcast fit the register file
     * (15 of 16 with AVX2, 27 of 32 with AVX-512).
     */
    static final int NR = 2 * VL;
    /**
     * k-block (upper bound; k is split into equal blocks): a kc×NR B sliver (≤ 32 KB) stays in L1 while the A
     * slivers stream from L2, and fewer k-blocks mean fewer passes over C. Tuned on Zen (32 KB L1d, 512 KB L2):
     * 512 beat 256 by about 10%.
     */
    static final int KC = 512;
    /** m-block: the packed mc×kc A block (≤ 384 KB) stays in L2. */
    static final int MC = 96;
    /** n-block: bounds the packed B panel (kept in L3); 2720 columns, a multiple of both kernels' NR. */
    static final int NC = 2720;

    /** Per-thread packing buffers, grown on demand, so steady-state GEMMs allocate nothing. */
    private static final class Buffers {
        double[] a = new double[0];
        double[] b = new double[0];
        final double[] tile = new double[MR * NR];
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    @Override
    public String name() {
        return "java (Vector API, " + VL * 64 + "-bit, " + MR + "x" + NR + " kernel)";
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
        // Balanced k-blocks (e.g. k = 784 -> 2 x 392) avoid a thin last block; the split depends on k only,
        // which the determinism guarantee relies on.
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
        // Operands declared constant keep their complete packing (all blocks, laid out block after block) in
        // PackCache; a hit replaces every pack call by an offset into the cached panel, a miss packs as usual and
        // copies each block into a fresh panel that is stored at the end.
        PackCache.Key keyA = null;
        PackCache.Key keyB = null;
        double[] cachedA = null;
        double[] cachedB = null;
        double[] fillA = null;
        double[] fillB = null;
        if (PackCache.isConstant(a)) {
            keyA = new PackCache.Key(true, transA, a, aOff, lda, m, k);
            cachedA = PackCache.get(keyA);
            if (cachedA == null && PackCache.admits(8L * roundUp(m, MR) * k)) {
                fillA = new double[roundUp(m, MR) * k];
            }
        }
        if (PackCache.isConstant(b)) {
            keyB = new PackCache.Key(false, transB, b, bOff, ldb, n, k);
            cachedB = PackCache.get(keyB);
            if (cachedB == null && PackCache.admits(8L * roundUp(n, NR) * k)) {
                fillB = new double[roundUp(n, NR) * k];
            }
        }
        int mRound = roundUp(m, MR);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int ncRound = roundUp(nc, NR);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                // Panel layout of a complete packing: B block (jc, pc) at jc·k + pc·ncRound, A block (pc, ic) at
                // pc·mRound + ic·kc (jc and ic are multiples of NR and MR).
                double[] bp;
                int bBase;
                if (cachedB != null) {
                    bp = cachedB;
                    bBase = jc * k + pc * ncRound;
                } else {
                    packB(transB, b, bOff, ldb, pc, jc, kc, nc, pb);
                    if (fillB != null) {
                        System.arraycopy(pb, 0, fillB, jc * k + pc * ncRound, ncRound * kc);
                    }
                    bp = pb;
                    bBase = 0;
                }
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    double[] ap;
                    int aBase;
                    if (cachedA != null) {
                        ap = cachedA;
                        aBase = pc * mRound + ic * kc;
                    } else {
                        packA(transA, a, aOff, lda, ic, pc, mc, kc, pa);
                        if (fillA != null && jc == 0) {
                            System.arraycopy(pa, 0, fillA, pc * mRound + ic * kc, roundUp(mc, MR) * kc);
                        }
                        ap = pa;
                        aBase = 0;
                    }
                    if (pc == 0) {
                        // Apply beta once, just before the first k-block touches this (L2-sized) block of C;
                        // every k-block then simply accumulates.
                        scale(mc, nc, beta, c, cOff + ic * ldc + jc, ldc);
                    }
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = Math.min(NR, nc - jr);
                        int bIdx = bBase + jr * kc;
                        for (int ir = 0; ir < mc; ir += MR) {
                            int rows = Math.min(MR, mc - ir);
                            int cIdx = cOff + (ic + ir) * ldc + jc + jr;
                            if (rows == MR && cols == NR) {
                                tile(kc, ap, aBase + ir * kc, bp, bIdx, c, cIdx, ldc, alpha);
                            } else {
                                edge(kc, ap, aBase + ir * kc, bp, bIdx, c, cIdx, ldc, alpha, rows, cols, tile);
                            }
                        }
                    }
                }
            }
        }
        if (fillA != null) {
            PackCache.put(keyA, fillA);
        }
        if (fillB != null) {
            PackCache.put(keyB, fillB);
        }
    }

    /**
     * A partial tile: run the same kernel on a full-size scratch tile holding the valid part of C, then copy that
     * part back. Every element therefore sees exactly the arithmetic of an interior tile.
     */
    private static void edge(int kc, double[] pa, int aIdx, double[] pb, int bIdx, double[] c, int cIdx, int ldc,
                             double alpha, int rows, int cols, double[] tile) {
        java.util.Arrays.fill(tile, 0.0);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(c, cIdx + r * ldc, tile, r * NR, cols);
        }
        tile(kc, pa, aIdx, pb, bIdx, tile, 0, NR, alpha);
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
            if (beta == 0) {
                java.util.Arrays.fill(c, row, row + n, 0.0);
            } else {
                for (int j = row; j < row + n; j++) {
                    c[j] *= beta;
                }
            }
        }
    }

    /**
     * Packs op(A)[ic..ic+mc, pc..pc+kc] as consecutive MR-row slivers, each stored p-major (MR values per p);
     * rows past mc are zero so edge tiles can run the full kernel.
     */
    private static void packA(boolean transA, double[] a, int aOff, int lda, int ic, int pc, int mc, int kc,
                              double[] pa) {
        if (transA) {
            // op(A)(i, p) = a[p*lda + i]: stored row p holds op(A)'s column p, so walk it contiguously and deal
            // MR-wide pieces out to the slivers.
            int full = mc / MR * MR;
            for (int p = 0; p < kc; p++) {
                int src = aOff + (pc + p) * lda + ic;
                // Explicit copies: System.arraycopy of 6 or 12 elements costs more in call overhead than the copy.
                for (int ir = 0, d = p * MR; ir < full; ir += MR, d += MR * kc) {
                    int q = src + ir;
                    for (int r = 0; r < MR; r++) {
                        pa[d + r] = a[q + r];
                    }
                }
                if (full < mc) {
                    int dst = full * kc + p * MR;
                    for (int r = 0; r < MR; r++) {
                        pa[dst + r] = full + r < mc ? a[src + full + r] : 0.0;
                    }
                }
            }
            return;
        }
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int base = ir * kc;
            if (rows == MR) {
                // Read six row streams in step and write the sliver sequentially (strided writes were 3x slower, and
                // one strided read per element made packing a third of the time of an [N, 200]·[200, 200] product with
                // the wide kernel): the wide kernel's twelve rows as two sixes.
                int s0 = aOff + (ic + ir) * lda + pc;
                for (int half = 0; half < MR; half += 6) {
                    packSixRows(a, s0 + half * lda, lda, kc, pa, base + half);
                }
            } else {
                for (int r = 0; r < MR; r++) {
                    int src = aOff + (ic + ir + r) * lda + pc;
                    for (int p = 0; p < kc; p++) {
                        pa[base + p * MR + r] = r < rows ? a[src + p] : 0.0;
                    }
                }
            }
        }
    }

    /** Six rows of A from s0 (row stride lda), kc values each, into pa[d..d+5] for d = base, base + MR, .... */
    private static void packSixRows(double[] a, int s0, int lda, int kc, double[] pa, int base) {
        int s1 = s0 + lda;
        int s2 = s1 + lda;
        int s3 = s2 + lda;
        int s4 = s3 + lda;
        int s5 = s4 + lda;
        for (int p = 0, d = base; p < kc; p++, d += MR) {
            pa[d] = a[s0 + p];
            pa[d + 1] = a[s1 + p];
            pa[d + 2] = a[s2 + p];
            pa[d + 3] = a[s3 + p];
            pa[d + 4] = a[s4 + p];
            pa[d + 5] = a[s5 + p];
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
            if (transB && cols == NR) {
                // op(B)(p, j) = b[j*ldb + p]: read the NR stored rows in step, write the sliver sequentially.
                int s0 = bOff + (jc + jr) * ldb + pc;
                for (int p = 0, d = base; p < kc; p++, d += NR) {
                    int src = s0 + p;
                    for (int q = 0; q < NR; q++) {
                        pb[d + q] = b[src + q * ldb];
                    }
                }
            } else if (transB) {
                for (int q = 0; q < NR; q++) {
                    int src = bOff + (jc + jr + q) * ldb + pc;
                    for (int p = 0; p < kc; p++) {
                        pb[base + p * NR + q] = q < cols ? b[src + p] : 0.0;
                    }
                }
            } else if (cols == NR) {
                // Two vector moves per p; System.arraycopy of 8 elements is dominated by call overhead.
                for (int p = 0, src = bOff + pc * ldb + jc + jr, d = base; p < kc; p++, src += ldb, d += NR) {
                    DoubleVector.fromArray(S, b, src).intoArray(pb, d);
                    DoubleVector.fromArray(S, b, src + VL).intoArray(pb, d + VL);
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + jr;
                    int dst = base + p * NR;
                    for (int q = 0; q < NR; q++) {
                        pb[dst + q] = q < cols ? b[src + q] : 0.0;
                    }
                }
            }
        }
    }

    /** The micro-kernel of the chosen width (a constant, so the JIT keeps one branch). */
    private static void tile(int kc, double[] pa, int aIdx, double[] pb, int bIdx, double[] c, int cIdx, int ldc,
                             double alpha) {
        if (WIDE) {
            kernel12x16(kc, pa, aIdx, pb, bIdx, c, cIdx, ldc, alpha);
        } else {
            kernel6x8(kc, pa, aIdx, pb, bIdx, c, cIdx, ldc, alpha);
        }
    }

    /**
     * The 6×8 micro-kernel on 256-bit vectors: acc = Σ_p A[:,p]·B[p,:] over one k-block with fused multiply-adds in p order, then
     * C = C + alpha·acc (beta was applied to C beforehand). Written out by hand so that C2 keeps all
     * twelve accumulators in registers; 6×8 measured fastest here (4×12 needs all 16 AVX2 registers and spills).
     */
    private static void kernel6x8(int kc, double[] pa, int aIdx, double[] pb, int bIdx, double[] c, int cIdx, int ldc,
                               double alpha) {
        DoubleVector z = DoubleVector.zero(S256);
        DoubleVector c00 = z, c01 = z;
        DoubleVector c10 = z, c11 = z;
        DoubleVector c20 = z, c21 = z;
        DoubleVector c30 = z, c31 = z;
        DoubleVector c40 = z, c41 = z;
        DoubleVector c50 = z, c51 = z;
        int ai = aIdx;
        // Loop on the B index itself, so C2 can hoist the vector loads' bounds checks out of the loop (with a
        // separate counter p they stayed inside, about 5% of GEMM time).
        for (int bi = bIdx, bEnd = bIdx + kc * 8; bi < bEnd; bi += 8, ai += 6) {
            DoubleVector b0 = DoubleVector.fromArray(S256, pb, bi);
            DoubleVector b1 = DoubleVector.fromArray(S256, pb, bi + 4);
            DoubleVector x = DoubleVector.broadcast(S256, pa[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S256, pa[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S256, pa[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S256, pa[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(S256, pa[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(S256, pa[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        // One store path only: with two (say beta == 0 vs not) C2 boxes the accumulators and runs 8x slower.
        c00.mul(alpha).add(DoubleVector.fromArray(S256, c, cIdx)).intoArray(c, cIdx);
        c01.mul(alpha).add(DoubleVector.fromArray(S256, c, cIdx + 4)).intoArray(c, cIdx + 4);
        c10.mul(alpha).add(DoubleVector.fromArray(S256, c, cIdx + ldc)).intoArray(c, cIdx + ldc);
        c11.mul(alpha).add(DoubleVector.fromArray(S256, c, cIdx + ldc + 4)).intoArray(c, cIdx + ldc + 4);
        c20.mul(alpha).add(DoubleVector.fromArray(S256, c, cIdx + 2 * ldc)).intoArray(c, cIdx + 2 * ldc);
        c21.mul(alpha).add(DoubleVector.fromArray(S256, c, cIdx + 2 * ldc + 4)).intoArray(c, cIdx + 2 * ldc + 4);
        c30.mul(alpha).add(DoubleVector.fromArray(S256, c, cIdx + 3 * ldc)).intoArray(c, cIdx + 3 * ldc);
        c31.mul(alpha).add(DoubleVector.fromArray(S256, c, cIdx + 3 * ldc + 4)).intoArray(c, cIdx + 3 * ldc + 4);
        c40.mul(alpha).add(DoubleVector.fromArray(S256, c, cIdx + 4 * ldc)).intoArray(c, cIdx + 4 * ldc);
        c41.mul(alpha).add(DoubleVector.fromArray(S256, c, cIdx + 4 * ldc + 4)).intoArray(c, cIdx + 4 * ldc + 4);
        c50.mul(alpha).add(DoubleVector.fromArray(S256, c, cIdx + 5 * ldc)).intoArray(c, cIdx + 5 * ldc);
        c51.mul(alpha).add(DoubleVector.fromArray(S256, c, cIdx + 5 * ldc + 4)).intoArray(c, cIdx + 5 * ldc + 4);
    }

    /**
     * The 12×16 micro-kernel on 512-bit vectors, the same arithmetic per element as {@link #kernel6x8}: 24
     * accumulators + 2 B vectors + 1 broadcast of the 32 AVX-512 registers.
     */
    private static void kernel12x16(int kc, double[] pa, int aIdx, double[] pb, int bIdx, double[] c, int cIdx, int ldc,
                                    double alpha) {
        DoubleVector z = DoubleVector.zero(S512);
        DoubleVector c00 = z, c01 = z;
        DoubleVector c10 = z, c11 = z;
        DoubleVector c20 = z, c21 = z;
        DoubleVector c30 = z, c31 = z;
        DoubleVector c40 = z, c41 = z;
        DoubleVector c50 = z, c51 = z;
        DoubleVector c60 = z, c61 = z;
        DoubleVector c70 = z, c71 = z;
        DoubleVector c80 = z, c81 = z;
        DoubleVector c90 = z, c91 = z;
        DoubleVector c100 = z, c101 = z;
        DoubleVector c110 = z, c111 = z;
        int ai = aIdx;
        for (int bi = bIdx, bEnd = bIdx + kc * 16; bi < bEnd; bi += 16, ai += 12) {
            DoubleVector b0 = DoubleVector.fromArray(S512, pb, bi);
            DoubleVector b1 = DoubleVector.fromArray(S512, pb, bi + 8);
            DoubleVector x = DoubleVector.broadcast(S512, pa[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S512, pa[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S512, pa[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S512, pa[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(S512, pa[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(S512, pa[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = DoubleVector.broadcast(S512, pa[ai + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = DoubleVector.broadcast(S512, pa[ai + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            x = DoubleVector.broadcast(S512, pa[ai + 8]);
            c80 = x.fma(b0, c80);
            c81 = x.fma(b1, c81);
            x = DoubleVector.broadcast(S512, pa[ai + 9]);
            c90 = x.fma(b0, c90);
            c91 = x.fma(b1, c91);
            x = DoubleVector.broadcast(S512, pa[ai + 10]);
            c100 = x.fma(b0, c100);
            c101 = x.fma(b1, c101);
            x = DoubleVector.broadcast(S512, pa[ai + 11]);
            c110 = x.fma(b0, c110);
            c111 = x.fma(b1, c111);
        }
        c00.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx)).intoArray(c, cIdx);
        c01.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + 8)).intoArray(c, cIdx + 8);
        c10.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + ldc)).intoArray(c, cIdx + ldc);
        c11.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + ldc + 8)).intoArray(c, cIdx + ldc + 8);
        c20.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + 2 * ldc)).intoArray(c, cIdx + 2 * ldc);
        c21.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + 2 * ldc + 8)).intoArray(c, cIdx + 2 * ldc + 8);
        c30.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + 3 * ldc)).intoArray(c, cIdx + 3 * ldc);
        c31.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + 3 * ldc + 8)).intoArray(c, cIdx + 3 * ldc + 8);
        c40.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + 4 * ldc)).intoArray(c, cIdx + 4 * ldc);
        c41.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + 4 * ldc + 8)).intoArray(c, cIdx + 4 * ldc + 8);
        c50.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + 5 * ldc)).intoArray(c, cIdx + 5 * ldc);
        c51.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + 5 * ldc + 8)).intoArray(c, cIdx + 5 * ldc + 8);
        c60.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + 6 * ldc)).intoArray(c, cIdx + 6 * ldc);
        c61.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + 6 * ldc + 8)).intoArray(c, cIdx + 6 * ldc + 8);
        c70.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + 7 * ldc)).intoArray(c, cIdx + 7 * ldc);
        c71.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + 7 * ldc + 8)).intoArray(c, cIdx + 7 * ldc + 8);
        c80.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + 8 * ldc)).intoArray(c, cIdx + 8 * ldc);
        c81.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + 8 * ldc + 8)).intoArray(c, cIdx + 8 * ldc + 8);
        c90.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + 9 * ldc)).intoArray(c, cIdx + 9 * ldc);
        c91.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + 9 * ldc + 8)).intoArray(c, cIdx + 9 * ldc + 8);
        c100.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + 10 * ldc)).intoArray(c, cIdx + 10 * ldc);
        c101.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + 10 * ldc + 8)).intoArray(c, cIdx + 10 * ldc + 8);
        c110.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + 11 * ldc)).intoArray(c, cIdx + 11 * ldc);
        c111.mul(alpha).add(DoubleVector.fromArray(S512, c, cIdx + 11 * ldc + 8)).intoArray(c, cIdx + 11 * ldc + 8);
    }
}
