package org.driftlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.autodiff.Var;
import org.driftlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Each layer's value on a small example worked out by hand (the numbers in the comments), its output shape and
 * its parameter blocks. Values are sums of a few products of short decimals, exact to an ulp or two of numbers of
 * order 1–100, hence {@value #TOL}.
 */
class LayersTest {
    static final double TOL = 1e-13;

    static Var in(double[] data, int... shape) {
        return Var.constant(Tensor.of(data.clone(), shape));
    }

    static double[] values(Var v) {
        return v.value().data().clone();
    }

    @Test
    void denseIsXTimesWTransposedPlusB() {
        Dense d = new Dense(3, 2);
        // x = [[1, 2, 3], [−1, 0, 0.5]], W = [[0.1, 0.2, 0.3], [−0.5, 0.4, 0]], b = [0.01, −0.02]:
        // row 0: 0.1 + 0.4 + 0.9 + 0.01 = 1.41, −0.5 + 0.8 − 0.02 = 0.28; row 1: −0.1 + 0.15 + 0.01 = 0.06, 0.5 − 0.02 = 0.48
        Var y = d.forward(new Var[] {in(new double[] {0.1, 0.2, 0.3, -0.5, 0.4, 0}, 2, 3), in(new double[] {0.01, -0.02}, 2)},
                in(new double[] {1, 2, 3, -1, 0, 0.5}, 2, 3));
        assertArrayEquals(new int[] {2, 2}, y.shape());
        assertArrayEquals(new double[] {1.41, 0.28, 0.06, 0.48}, values(y), TOL);
        List<Layer.Param> ps = d.params();
        assertEquals("weight", ps.get(0).name());
        assertArrayEquals(new int[] {2, 3}, ps.get(0).shape());
        assertEquals(6, ps.get(0).size());
        assertEquals(3, ps.get(0).fanIn());
        assertEquals("bias", ps.get(1).name());
        assertArrayEquals(new int[] {2}, ps.get(1).shape());
        assertEquals(3, ps.get(1).fanIn(), "a bias shares its layer's fan-in (PyTorch's bias bound)");
        assertArrayEquals(new int[] {2}, d.outputShape(new int[] {3}));
        assertThrows(IllegalArgumentException.class, () -> d.outputShape(new int[] {4}));
        // like nn.Linear, on the last axis of any rank (a transformer's tokens [T, 3] → [T, 2])
        assertArrayEquals(new int[] {1, 2}, d.outputShape(new int[] {1, 3}));
        assertThrows(IllegalArgumentException.class, () -> d.outputShape(new int[] {3, 4}));
        assertThrows(IllegalArgumentException.class, () -> new Dense(0, 2));
        assertThrows(IllegalArgumentException.class, () -> new Dense(2, 0));
        assertEquals("dense 3→2", d.describe());
    }

    @Test
    void everyActivationAtFivePoints() {
        double[] x = {-2, -0.5, 0, 0.5, 2};
        // Φ(0.5) = 0.6914624612740131, Φ(2) = 0.9772498680518208 (standard normal table), Φ(−a) = 1 − Φ(a)
        double p05 = 0.6914624612740131;
        double p2 = 0.9772498680518208;
        Map<Activation, double[]> want = Map.of(
                Activation.TANH, new double[] {Math.tanh(-2), Math.tanh(-0.5), 0, Math.tanh(0.5), Math.tanh(2)},
                Activation.RELU, new double[] {0, 0, 0, 0.5, 2},
                Activation.ELU, new double[] {Math.exp(-2) - 1, Math.exp(-0.5) - 1, 0, 0.5, 2},
                Activation.GELU, new double[] {-2 * (1 - p2), -0.5 * (1 - p05), 0, 0.5 * p05, 2 * p2},
                Activation.SOFTPLUS, new double[] {Math.log(1 + Math.exp(-2)), Math.log(1 + Math.exp(-0.5)), Math.log(2),
                    Math.log(1 + Math.exp(0.5)), Math.log(1 + Math.exp(2))},
                Activation.SIGMOID, new double[] {1 / (1 + Math.exp(2)), 1 / (1 + Math.exp(0.5)), 0.5,
                    1 / (1 + Math.exp(-0.5)), 1 / (1 + Math.exp(-2))},
                Activation.IDENTITY, x);
        assertEquals(Activation.values().length, want.size(), "every activation has a row");
        for (Activation a : Activation.values()) {
            // the 16-digit table values of Φ carry 1e-16 of their own
            assertArrayEquals(want.get(a), values(a.forward(new Var[0], in(x, 5))), 1e-15, a.name());
            assertArrayEquals(want.get(a), values(a.apply(in(x, 5))), 1e-15, a.name());
            assertTrue(a.params().isEmpty());
            assertArrayEquals(new int[] {3, 4}, a.outputShape(new int[] {3, 4}));
            assertEquals(a, Activation.parse(a.describe().toUpperCase()));
        }
        assertEquals("gelu", Activation.GELU.describe());
        DriftlabException e = assertThrows(DriftlabException.class, () -> Activation.parse("swish"));
        assertTrue(e.getMessage().contains("'swish'") && e.getMessage().contains("identity"), e.getMessage());
    }

    @Test
    void convolutionIsACrossCorrelationWithStrideAndZeroPadding() {
        // x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]], kernel [[1, 2], [3, 4]], bias 0.5
        Var x = in(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        Var w = in(new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Var b = in(new double[] {0.5}, 1);
        Conv2d plain = new Conv2d(1, 1, 2, 2, 1, 0);
        // top-left: 1·1 + 2·2 + 3·4 + 4·5 = 37 (a flipped kernel, a true convolution, would give 23)
        // then 2 + 6 + 15 + 24 = 47, 4 + 10 + 21 + 32 = 67, 5 + 12 + 24 + 36 = 77; each + 0.5
        Var y = plain.forward(new Var[] {w, b}, x);
        assertArrayEquals(new int[] {1, 1, 2, 2}, y.shape());
        assertArrayEquals(new double[] {37.5, 47.5, 67.5, 77.5}, values(y), TOL);
        // padding 1 and stride 2: windows at padded (0,0), (0,2), (2,0), (2,2) see
        // 4·1 = 4; 3·2 + 4·3 = 18; 2·4 + 4·7 = 36; 1·5 + 2·6 + 3·8 + 4·9 = 77; each + 0.5
        Conv2d strided = new Conv2d(1, 1, 2, 2, 2, 1);
        assertArrayEquals(new int[] {1, 2, 2}, strided.outputShape(new int[] {1, 3, 3}));
        assertArrayEquals(new double[] {4.5, 18.5, 36.5, 77.5}, values(strided.forward(new Var[] {w, b}, x)), TOL);
        // without bias: one parameter block, values 37, 47, 67, 77
        Conv2d noBias = new Conv2d(1, 1, 2, 2, 1, 0, false);
        assertEquals(1, noBias.params().size());
        assertArrayEquals(new double[] {37, 47, 67, 77}, values(noBias.forward(new Var[] {w}, x)), TOL);
        // two input channels sum, two output channels are separate, a batch of two is two images
        double[] x2 = new double[2 * 2 * 3 * 3];
        for (int i = 0; i < x2.length; i++) {
            x2[i] = (i % 7) - 3;
        }
        double[] w2 = new double[2 * 2 * 2 * 2];
        for (int i = 0; i < w2.length; i++) {
            w2[i] = 0.25 * ((i % 5) - 2);
        }
        double[] b2 = {0.1, -0.2};
        double[] got = values(new Conv2d(2, 2, 2, 2, 1, 0).forward(new Var[] {in(w2, 2, 2, 2, 2), in(b2, 2)}, in(x2, 2, 2, 3, 3)));
        for (int n = 0; n < 2; n++) {
            for (int o = 0; o < 2; o++) {
                for (int r = 0; r < 2; r++) {
                    for (int c = 0; c < 2; c++) {
                        double s = b2[o]; // y[n,o,r,c] = b_o + Σ_{i,u,v} w[o,i,u,v] x[n,i,r+u,c+v]
                        for (int i = 0; i < 2; i++) {
                            for (int u = 0; u < 2; u++) {
                                for (int v = 0; v < 2; v++) {
                                    s += w2[((o * 2 + i) * 2 + u) * 2 + v] * x2[((n * 2 + i) * 3 + r + u) * 3 + c + v];
                                }
                            }
                        }
                        assertEquals(s, got[((n * 2 + o) * 2 + r) * 2 + c], TOL, "y[" + n + "," + o + "," + r + "," + c + "]");
                    }
                }
            }
        }
        Conv2d c = new Conv2d(3, 8, 3, 5, 1, 2);
        assertArrayEquals(new int[] {8, 3, 3, 5}, c.params().get(0).shape());
        assertEquals(45, c.params().get(0).fanIn());
        assertEquals(45, c.params().get(1).fanIn());
        assertArrayEquals(new int[] {8, 12, 8}, c.outputShape(new int[] {3, 10, 8}), "(H + 2p − k)/s + 1: (10 + 4 − 3) + 1, (8 + 4 − 5) + 1");
        assertThrows(IllegalArgumentException.class, () -> c.outputShape(new int[] {2, 10, 8}));
        assertThrows(IllegalArgumentException.class, () -> c.outputShape(new int[] {3, 10}));
        for (int[] bad : new int[][] {{0, 1, 1, 1, 1, 0}, {1, 0, 1, 1, 1, 0}, {1, 1, 0, 1, 1, 0}, {1, 1, 1, 0, 1, 0},
            {1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, -1}}) {
            assertThrows(IllegalArgumentException.class, () -> new Conv2d(bad[0], bad[1], bad[2], bad[3], bad[4], bad[5]));
        }
        assertEquals("conv 3→8 3x5 pad 2", c.describe());
        assertEquals("conv 1→1 2x2 stride 2 pad 1", strided.describe());
        assertEquals("conv 1→1 2x2", plain.describe());
    }

    @Test
    void poolingTakesTheMaximumOrMeanOfEachWindowAndDropsPartialOnes() {
        // [[1, 5, 2, 0], [3, 4, 8, 1], [0, −1, 6, 7], [2, 9, −3, 4]]
        Var x = in(new double[] {1, 5, 2, 0, 3, 4, 8, 1, 0, -1, 6, 7, 2, 9, -3, 4}, 1, 1, 4, 4);
        assertArrayEquals(new double[] {5, 8, 9, 7}, values(new MaxPool2d(2).forward(new Var[0], x)), 0.0);
        // means: (1+5+3+4)/4, (2+0+8+1)/4, (0−1+2+9)/4, (6+7−3+4)/4
        assertArrayEquals(new double[] {3.25, 2.75, 2.5, 3.5}, values(new AvgPool2d(2).forward(new Var[0], x)), TOL);
        // overlapping windows (stride 1) on [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
        Var y = in(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        assertArrayEquals(new double[] {5, 6, 8, 9}, values(new MaxPool2d(2, 1).forward(new Var[0], y)), 0.0);
        assertArrayEquals(new double[] {3, 4, 6, 7}, values(new AvgPool2d(2, 1).forward(new Var[0], y)), TOL);
        // 5×5 by 2×2 windows: the last row and column are dropped, as PyTorch does
        double[] z = new double[25];
        for (int i = 0; i < 25; i++) {
            z[i] = i;
        }
        assertArrayEquals(new double[] {6, 8, 16, 18}, values(new MaxPool2d(2).forward(new Var[0], in(z, 1, 1, 5, 5))), 0.0);
        assertArrayEquals(new int[] {3, 2, 2}, new MaxPool2d(2).outputShape(new int[] {3, 5, 5}));
        assertArrayEquals(new int[] {3, 4, 4}, new AvgPool2d(2, 1).outputShape(new int[] {3, 5, 5}));
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(0));
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new AvgPool2d(2, 0));
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2).outputShape(new int[] {5, 5}));
        assertThrows(IllegalArgumentException.class, () -> new AvgPool2d(2).outputShape(new int[] {5, 5}));
        assertTrue(new MaxPool2d(2).params().isEmpty() && new AvgPool2d(2).params().isEmpty());
        assertEquals("maxpool 2x2", new MaxPool2d(2).describe());
        assertEquals("maxpool 3x3 stride 1", new MaxPool2d(3, 1).describe());
        assertEquals("avgpool 2x2", new AvgPool2d(2).describe());
        assertEquals("avgpool 2x2 stride 1", new AvgPool2d(2, 1).describe());
    }

    @Test
    void flattenKeepsRowMajorOrderPerExample() {
        double[] x = {0, 1, 2, 3, 4, 5, 6, 7};
        Var y = Flatten.INSTANCE.forward(new Var[0], in(x, 2, 2, 1, 2));
        assertArrayEquals(new int[] {2, 4}, y.shape());
        assertArrayEquals(x, values(y), 0.0);
        assertArrayEquals(new int[] {12}, Flatten.INSTANCE.outputShape(new int[] {3, 2, 2}));
        assertTrue(Flatten.INSTANCE.params().isEmpty());
        assertEquals("flatten", Flatten.INSTANCE.describe());
    }

    @Test
    void lossesAreMeansOverExamples() {
        // MSE: outputs [[1, 2], [0, −1]], targets [[0, 2], [1, 1]]: ½(1 + 0) and ½(1 + 4), mean 1.5 (summed over
        // outputs and halved, not averaged over them)
        Var f = in(new double[] {1, 2, 0, -1}, 2, 2);
        assertEquals(1.5, Loss.MSE.apply(f, Tensor.of(new double[] {0, 2, 1, 1}, 2, 2), null).item(), TOL);
        // CE: logits [[1, 2, 0], [0, 0, 0]], labels [1, 2]: log(e + e² + 1) − 2 and log 3
        Var logits = in(new double[] {1, 2, 0, 0, 0, 0}, 2, 3);
        double want = (Math.log(Math.E + Math.E * Math.E + 1) - 2 + Math.log(3)) / 2;
        assertEquals(want, Loss.CE.apply(logits, null, new int[] {1, 2}).item(), TOL);
        assertThrows(IllegalArgumentException.class, () -> Loss.MSE.apply(f, null, new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> Loss.MSE.apply(f, Tensor.of(new double[] {0, 1, 2}, 1, 3), null));
        assertThrows(IllegalArgumentException.class, () -> Loss.CE.apply(logits, null, null));
        assertEquals(Loss.MSE, Loss.parse("MSE"));
        assertEquals(Loss.CE, Loss.parse("ce"));
        assertEquals(Loss.CE, Loss.parse("cross-entropy"));
        assertEquals(Loss.CE, Loss.parse("xent"));
        DriftlabException e = assertThrows(DriftlabException.class, () -> Loss.parse("hinge"));
        assertTrue(e.getMessage().contains("'hinge'") && e.getMessage().contains("mse, ce"), e.getMessage());
    }
}
