package org.driftlab.tensor;

import java.util.Arrays;

/**
 * Layout kernels: transposes and axis permutations, slices and their adjoint (padding), concatenation, and the
 * gathers and scatters by index (rows, flat positions, class labels). They move values without arithmetic, except
 * that scatters add where indices repeat.
 *
 * <p>Every kernel writes only its result, a new array, and never an argument. None of them takes its result from a
 * {@link Workspace} (Workspace: no): several write only part of a zeroed array, and the others are too cheap for
 * recycling to matter.
 */
public final class Layout {
    private Layout() {}

    /** Transpose of a 2-D tensor, in 32×32 blocks. Writes its result only. Workspace: no. */
    public static Tensor transpose(Tensor t) {
        Kernels.requireRank("transpose", t, 2);
        int m = t.dim(0);
        int n = t.dim(1);
        double[] x = t.data();
        double[] z = new double[m * n];
        final int blk = 32;
        for (int i0 = 0; i0 < m; i0 += blk) {
            for (int j0 = 0; j0 < n; j0 += blk) {
                int i1 = Math.min(m, i0 + blk);
                int j1 = Math.min(n, j0 + blk);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) {
                        z[j * m + i] = x[i * n + j];
                    }
                }
            }
        }
        return Tensor.of(z, n, m);
    }

    /**
     * General axis permutation: output axis i is input axis perm[i]. Writes its result only. Workspace: yes (every
     * element is copied from the input).
     */
    public static Tensor permute(Tensor t, int... perm) {
        int[] s = t.shape();
        if (perm.length != s.length) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(perm) + " for shape " + Arrays.toString(s));
        }
        int[] os = new int[s.length];
        boolean[] seen = new boolean[s.length];
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] < 0 || perm[i] >= s.length || seen[perm[i]]) {
                throw new IllegalArgumentException("permute: invalid permutation " + Arrays.toString(perm));
            }
            seen[perm[i]] = true;
            os[i] = s[perm[i]];
        }
        int[] inStride = new int[s.length];
        int st = 1;
        for (int i = s.length - 1; i >= 0; i--) {
            inStride[i] = st;
            st *= s[i];
        }
        double[] x = t.data();
        double[] z = Workspace.array(x.length);
        int r = s.length;
        if (r > 0 && perm[r - 1] == r - 1 && x.length > 0) {
            // The last axis stays last: move whole runs of it (attention's head split and merge, NCHW ↔ NHWC).
            int run = s[r - 1];
            int[] idx = new int[r - 1];
            for (int k = 0; k < z.length; k += run) {
                int off = 0;
                for (int d = 0; d < r - 1; d++) {
                    off += idx[d] * inStride[perm[d]];
                }
                System.arraycopy(x, off, z, k, run);
                for (int d = r - 2; d >= 0; d--) {
                    if (++idx[d] < os[d]) {
                        break;
                    }
                    idx[d] = 0;
                }
            }
            return Tensor.of(z, os);
        }
        int[] idx = new int[s.length];
        for (int k = 0; k < z.length; k++) {
            int off = 0;
            for (int d = 0; d < s.length; d++) {
                off += idx[d] * inStride[perm[d]];
            }
            z[k] = x[off];
            for (int d = s.length - 1; d >= 0; d--) {
                if (++idx[d] < os[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return Tensor.of(z, os);
    }

    /** Elements [from, to) along axis. Writes its result only. Workspace: yes (every element is copied). */
    public static Tensor slice(Tensor t, int axis, int from, int to) {
        int[] s = t.shape();
        int ax = axis < 0 ? axis + s.length : axis;
        if (ax < 0 || ax >= s.length || from < 0 || to > s[ax] || from > to) {
            throw new IllegalArgumentException("slice: [" + from + ", " + to + ") on axis " + axis + " of shape " + Arrays.toString(s));
        }
        int outer = Kernels.prod(s, 0, ax);
        int inner = Kernels.prod(s, ax + 1, s.length);
        int len = to - from;
        double[] x = t.data();
        double[] z = Workspace.array(outer * len * inner);
        for (int o = 0; o < outer; o++) {
            System.arraycopy(x, (o * s[ax] + from) * inner, z, o * len * inner, len * inner);
        }
        int[] os = s.clone();
        os[ax] = len;
        return Tensor.of(z, os);
    }

    /**
     * The adjoint of slice: t placed at [from, from+len) along axis inside zeros of shape fullShape. Writes its
     * result only. Workspace: yes (the array is zeroed before t is copied in).
     */
    public static Tensor pad(Tensor t, int axis, int from, int[] fullShape) {
        int[] s = t.shape();
        int ax = axis < 0 ? axis + s.length : axis;
        int outer = Kernels.prod(s, 0, ax);
        int inner = Kernels.prod(s, ax + 1, s.length);
        int len = s[ax];
        double[] x = t.data();
        double[] z = Workspace.array(Tensor.checkedSize(fullShape));
        Arrays.fill(z, 0.0);
        for (int o = 0; o < outer; o++) {
            System.arraycopy(x, o * len * inner, z, (o * fullShape[ax] + from) * inner, len * inner);
        }
        return Tensor.of(z, fullShape);
    }

    /** Concatenation along axis; all other dimensions must agree. Writes its result only. Workspace: no. */
    public static Tensor concat(int axis, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat: no tensors");
        }
        int[] s0 = parts[0].shape();
        int ax = axis < 0 ? axis + s0.length : axis;
        int total = 0;
        for (Tensor p : parts) {
            int[] s = p.shape();
            if (s.length != s0.length) {
                throw new IllegalArgumentException("concat: shapes " + Arrays.toString(s0) + " and " + Arrays.toString(s) + " differ in rank");
            }
            for (int d = 0; d < s.length; d++) {
                if (d != ax && s[d] != s0[d]) {
                    throw new IllegalArgumentException("concat: shapes " + Arrays.toString(s0) + " and " + Arrays.toString(s)
                            + " differ outside axis " + axis);
                }
            }
            total += s[ax];
        }
        int[] os = s0.clone();
        os[ax] = total;
        int outer = Kernels.prod(os, 0, ax);
        int inner = Kernels.prod(os, ax + 1, os.length);
        double[] z = new double[Tensor.checkedSize(os)];
        int at = 0;
        for (Tensor p : parts) {
            int len = p.dim(ax);
            double[] x = p.data();
            for (int o = 0; o < outer; o++) {
                System.arraycopy(x, o * len * inner, z, (o * total + at) * inner, len * inner);
            }
            at += len;
        }
        return Tensor.of(z, os);
    }

    /** Rows idx of t (along axis 0), copied, in the given order. Writes its result only. Workspace: no. */
    public static Tensor gatherRows(Tensor t, int[] idx) {
        int[] s = t.shape();
        int n = s[0];
        int row = n == 0 ? 0 : t.size() / n;
        double[] x = t.data();
        double[] z = new double[idx.length * row];
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= n) {
                throw new IndexOutOfBoundsException("gatherRows: row " + idx[i] + " of " + n);
            }
            System.arraycopy(x, idx[i] * row, z, i * row, row);
        }
        s[0] = idx.length;
        return Tensor.of(z, s);
    }

    /** out[i] = x.flat[idx[i]], reshaped to outShape. Writes its result only. Workspace: no. */
    public static Tensor gatherFlat(Tensor x, int[] idx, int[] outShape) {
        if (Tensor.numel(outShape) != idx.length) {
            throw new IllegalArgumentException("gatherFlat: " + idx.length + " indices for output shape " + Arrays.toString(outShape));
        }
        double[] v = x.data();
        double[] z = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= v.length) {
                throw new IndexOutOfBoundsException("gatherFlat: index " + idx[i] + " outside a tensor of " + v.length);
            }
            z[i] = v[idx[i]];
        }
        return Tensor.of(z, outShape);
    }

    /**
     * The adjoint of gatherFlat: zeros of inShape with g[i] added at flat index idx[i] (repeats accumulate, in index
     * order). Writes its result only. Workspace: no.
     */
    public static Tensor scatterAddFlat(Tensor g, int[] idx, int[] inShape) {
        if (g.size() != idx.length) {
            throw new IllegalArgumentException("scatterAddFlat: " + idx.length + " indices for " + g.size() + " values");
        }
        double[] v = g.data();
        double[] z = new double[Tensor.checkedSize(inShape)];
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= z.length) {
                throw new IndexOutOfBoundsException("scatterAddFlat: index " + idx[i] + " outside a tensor of " + z.length);
            }
            z[idx[i]] += v[i];
        }
        return Tensor.of(z, inShape);
    }

    /** out[i] = t[i, labels[i]] for a 2-D tensor. Writes its result only. Workspace: no. */
    public static Tensor gatherByLabel(Tensor t, int[] labels) {
        Kernels.requireRank("gatherByLabel", t, 2);
        int m = t.dim(0);
        int n = t.dim(1);
        Kernels.checkLabels("gatherByLabel", labels, m, n);
        double[] x = t.data();
        double[] z = new double[m];
        for (int i = 0; i < m; i++) {
            z[i] = x[i * n + labels[i]];
        }
        return Tensor.of(z, m);
    }

    /**
     * The adjoint of gatherByLabel: an m×n tensor with g[i] at (i, labels[i]) and zeros elsewhere. Writes its result
     * only. Workspace: no.
     */
    public static Tensor scatterByLabel(Tensor g, int[] labels, int n) {
        int m = g.size();
        Kernels.checkLabels("scatterByLabel", labels, m, n);
        double[] x = g.data();
        double[] z = new double[m * n];
        for (int i = 0; i < m; i++) {
            z[i * n + labels[i]] = x[i];
        }
        return Tensor.of(z, m, n);
    }

    /** One-hot matrix [labels.length, n]. Writes its result only. Workspace: no. */
    public static Tensor oneHot(int[] labels, int n) {
        return scatterByLabel(Tensor.full(1.0, labels.length), labels, n);
    }
}
