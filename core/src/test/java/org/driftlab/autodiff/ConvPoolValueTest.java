package org.driftlab.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.driftlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Values of conv2d and pooling against direct loops (the derivative tests only see them through finite differences). */
class ConvPoolValueTest {
    private static Tensor random(Random r, int... shape) {
        double[] d = new double[(int) Tensor.numel(shape)];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextGaussian();
        }
        return Tensor.of(d, shape);
    }

    @Test
    void conv2dMatchesDirectCrossCorrelation() {
        Random r = new Random(3);
        int n = 2, c = 3, h = 7, w = 6, o = 4, k = 3, stride = 2, pad = 1;
        Tensor x = random(r, n, c, h, w);
        Tensor wt = random(r, o, c, k, k);
        Tensor b = random(r, o);
        Tensor y = F.conv2d(Var.constant(x), Var.constant(wt), Var.constant(b), stride, pad).value();
        int oh = (h + 2 * pad - k) / stride + 1;
        int ow = (w + 2 * pad - k) / stride + 1;
        assertArrayEquals(new int[] {n, o, oh, ow}, y.shape());
        for (int bi = 0; bi < n; bi++) {
            for (int oc = 0; oc < o; oc++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double s = b.get(oc);
                        for (int ch = 0; ch < c; ch++) {
                            for (int p = 0; p < k; p++) {
                                for (int q = 0; q < k; q++) {
                                    int yy = i * stride - pad + p;
                                    int xx = j * stride - pad + q;
                                    if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                                        s += wt.get(oc, ch, p, q) * x.get(bi, ch, yy, xx);
                                    }
                                }
                            }
                        }
                        assertEquals(s, y.get(bi, oc, i, j), 1e-12);
                    }
                }
            }
        }
    }

    @Test
    void poolingMatchesDirectLoopsAndTiesGoToFirstIndex() {
        Random r = new Random(4);
        Tensor x = random(r, 2, 2, 5, 5); // 5 = two full windows and a dropped remainder, as PyTorch's floor
        Tensor mx = F.maxPool2d(Var.constant(x), 2, 2, 2).value();
        Tensor av = F.avgPool2d(Var.constant(x), 2, 2, 2).value();
        assertArrayEquals(new int[] {2, 2, 2, 2}, mx.shape());
        for (int b = 0; b < 2; b++) {
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 2; j++) {
                        double m = Double.NEGATIVE_INFINITY;
                        double s = 0;
                        for (int p = 0; p < 2; p++) {
                            for (int q = 0; q < 2; q++) {
                                double v = x.get(b, c, 2 * i + p, 2 * j + q);
                                m = Math.max(m, v);
                                s += v;
                            }
                        }
                        assertEquals(m, mx.get(b, c, i, j), 0.0);
                        assertEquals(s / 4, av.get(b, c, i, j), 1e-15);
                    }
                }
            }
        }
        // a tie sends the whole gradient to the first (row-major) index of the window
        Var t = Var.param(Tensor.of(new double[] {1, 1, 1, 1}, 1, 1, 2, 2));
        Var g = Autodiff.grad(F.sum(F.maxPool2d(t, 2, 2, 2)), t, false);
        assertArrayEquals(new double[] {1, 0, 0, 0}, g.value().data(), 0.0);
    }
}
