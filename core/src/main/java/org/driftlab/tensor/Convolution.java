package org.driftlab.tensor;

import java.util.Arrays;

/**
 * Convolution and pooling kernels on NCHW images: window counts, im2col ({@link #unfold}) and its adjoint
 * col2im ({@link #fold}), so that a convolution is one GEMM, and the argmax indices of max pooling.
 *
 * <p>Every kernel writes only its result, never an argument. None takes its result from a {@link Workspace}
 * (Workspace: no): unfold leaves padding positions at zero and fold accumulates overlapping windows.
 */
public final class Convolution {
    private Convolution() {}

    /** Output length of a sliding window: floor((in + 2·pad − k)/stride) + 1, as PyTorch. Writes nothing. */
    public static int windowCount(int in, int k, int stride, int pad) {
        if (k <= 0 || stride <= 0 || pad < 0) {
            throw new IllegalArgumentException("window: kernel " + k + ", stride " + stride + ", padding " + pad
                    + " (kernel and stride must be positive, padding >= 0)");
        }
        int span = in + 2 * pad - k;
        if (span < 0) {
            throw new IllegalArgumentException("window: kernel " + k + " larger than input " + in + " padded by " + pad);
        }
        return span / stride + 1;
    }

    /**
     * im2col ("unfold"): for x [N, C, H, W], the patches [N, OH, OW, C·kh·kw], one row per output position,
     * columns ordered (c, i, j) like a weight [O, C, kh, kw] flattened, so a convolution is one GEMM with
     * the weight. Positions in the zero padding read 0. Writes its result only. Workspace: no.
     */
    public static Tensor unfold(Tensor x, int kh, int kw, int stride, int pad) {
        Kernels.requireRank("unfold", x, 4);
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = windowCount(h, kh, stride, pad);
        int ow = windowCount(w, kw, stride, pad);
        int cols = c * kh * kw;
        double[] src = x.data();
        double[] dst = new double[Tensor.checkedSize(new int[] {n, oh, ow, cols})];
        Parallel.forRange(n * oh, Kernels.grain(ow * cols), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int b = r / oh;
                int y = r % oh;
                for (int xo = 0; xo < ow; xo++) {
                    int base = (r * ow + xo) * cols;
                    for (int ch = 0; ch < c; ch++) {
                        int plane = (b * c + ch) * h;
                        for (int i = 0; i < kh; i++) {
                            int yy = y * stride - pad + i;
                            if (yy < 0 || yy >= h) {
                                continue;
                            }
                            int rowOff = (plane + yy) * w;
                            int at = base + (ch * kh + i) * kw;
                            for (int j = 0; j < kw; j++) {
                                int xx = xo * stride - pad + j;
                                if (xx >= 0 && xx < w) {
                                    dst[at + j] = src[rowOff + xx];
                                }
                            }
                        }
                    }
                }
            }
        });
        return Tensor.of(dst, n, oh, ow, cols);
    }

    /**
     * col2im ("fold"), the adjoint of {@link #unfold}: patches [N, OH, OW, C·kh·kw] summed back into an image of
     * shape inShape = [N, C, H, W] (overlapping windows add; padding positions are dropped). Writes its result
     * only. Workspace: no.
     */
    public static Tensor fold(Tensor cols, int[] inShape, int kh, int kw, int stride, int pad) {
        if (inShape.length != 4) {
            throw new IllegalArgumentException("fold: image shape must be [N, C, H, W], got " + Arrays.toString(inShape));
        }
        int n = inShape[0];
        int c = inShape[1];
        int h = inShape[2];
        int w = inShape[3];
        int oh = windowCount(h, kh, stride, pad);
        int ow = windowCount(w, kw, stride, pad);
        int k = c * kh * kw;
        if (!cols.hasShape(n, oh, ow, k)) {
            throw new IllegalArgumentException("fold: patches " + cols.shapeString() + " do not match ["
                    + n + ", " + oh + ", " + ow + ", " + k + "] for image " + Arrays.toString(inShape));
        }
        double[] src = cols.data();
        double[] dst = new double[Tensor.checkedSize(inShape)];
        // One image per task: windows overlap only within an image, so tasks never write the same entry.
        Parallel.forRange(n, 1, (lo, hi) -> {
            for (int b = lo; b < hi; b++) {
                for (int y = 0; y < oh; y++) {
                    for (int xo = 0; xo < ow; xo++) {
                        int base = ((b * oh + y) * ow + xo) * k;
                        for (int ch = 0; ch < c; ch++) {
                            int plane = (b * c + ch) * h;
                            for (int i = 0; i < kh; i++) {
                                int yy = y * stride - pad + i;
                                if (yy < 0 || yy >= h) {
                                    continue;
                                }
                                int rowOff = (plane + yy) * w;
                                int at = base + (ch * kh + i) * kw;
                                for (int j = 0; j < kw; j++) {
                                    int xx = xo * stride - pad + j;
                                    if (xx >= 0 && xx < w) {
                                        dst[rowOff + xx] += src[at + j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        });
        return Tensor.of(dst, inShape);
    }

    /**
     * Flat indices into x [N, C, H, W] of the maximum of each k×k window (stride s, no padding), in output
     * order [N, C, OH, OW]. Ties go to the first index in row-major window order; a NaN wins its window so it
     * propagates. Writes only the returned index array.
     */
    public static int[] maxPoolIndices(Tensor x, int kh, int kw, int stride) {
        Kernels.requireRank("maxPool", x, 4);
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = windowCount(h, kh, stride, 0);
        int ow = windowCount(w, kw, stride, 0);
        double[] v = x.data();
        int[] idx = new int[n * c * oh * ow];
        Parallel.forRange(n * c, Kernels.grain(oh * ow * kh * kw), (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                for (int y = 0; y < oh; y++) {
                    for (int xo = 0; xo < ow; xo++) {
                        int best = (p * h + y * stride) * w + xo * stride;
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                int at = (p * h + y * stride + i) * w + xo * stride + j;
                                if (v[at] > v[best] || (v[at] != v[at] && v[best] == v[best])) {
                                    best = at;
                                }
                            }
                        }
                        idx[(p * oh + y) * ow + xo] = best;
                    }
                }
            }
        });
        return idx;
    }
}
