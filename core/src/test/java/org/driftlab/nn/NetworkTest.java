package org.driftlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.driftlab.DriftlabException;
import org.driftlab.autodiff.Var;
import org.driftlab.data.Npy;
import org.driftlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Networks from spec strings: the function of θ they compute (a two-layer net worked out by hand), θ's layout,
 * the per-layer trace, parameter files and every refusal. Tolerance: tanh of O(1) arguments and a few products,
 * exact to a few ulps.
 */
class NetworkTest {
    static final double TOL = 1e-14;

    // fc-tanh:2 on 2 inputs and 1 output: W1 = [[0.5, −1], [2, 0.25]], b1 = [0.1, −0.2], W2 = [[1.5, −0.5]], b2 = [0.3]
    static final double[] THETA = {0.5, -1, 2, 0.25, 0.1, -0.2, 1.5, -0.5, 0.3};

    static double byHand(double x0, double x1) {
        double h0 = Math.tanh(0.5 * x0 - 1 * x1 + 0.1);
        double h1 = Math.tanh(2 * x0 + 0.25 * x1 - 0.2);
        return 1.5 * h0 - 0.5 * h1 + 0.3;
    }

    static Var vec(double... v) {
        return Var.constant(Tensor.vector(v.clone()));
    }

    @Test
    void anFcNetComputesTheCompositionOfItsLayers() {
        Network net = Networks.parse("fc-tanh:2", new int[] {2}, 1);
        assertEquals(9, net.numParams());
        Var x = Var.constant(Tensor.of(new double[] {0.5, -1, 2, 0.3}, 2, 2));
        double[] y = net.forward(vec(THETA), x).value().data();
        assertEquals(byHand(0.5, -1), y[0], TOL);
        assertEquals(byHand(2, 0.3), y[1], TOL);
        // the same from θ's blocks
        Var[] blocks = net.blocksOf(vec(THETA));
        assertEquals(4, blocks.length);
        assertEquals(net.numBlocks(), blocks.length);
        assertArrayEquals(new int[] {2, 2}, blocks[0].shape());
        assertArrayEquals(new double[] {1.5, -0.5}, blocks[2].value().data(), 0.0);
        assertArrayEquals(y, net.forward(blocks, x).value().data(), 0.0);
        // the trace exposes each parameterised layer's input and output (for a dense layer the pre-activation)
        Network.Trace tr = net.forwardTrace(vec(THETA), x);
        assertEquals(List.of(0, 2), tr.layerIndices());
        assertArrayEquals(x.value().data(), tr.layerInputs().get(0).value().data(), 0.0);
        assertEquals(0.5 * 0.5 - 1 * -1 + 0.1, tr.layerOutputs().get(0).value().data()[0], TOL);
        assertEquals(Math.tanh(2 * 2 + 0.25 * 0.3 - 0.2), tr.layerInputs().get(1).value().data()[3], TOL);
        assertArrayEquals(y, tr.output().value().data(), 0.0);
        assertArrayEquals(y, tr.layerOutputs().get(1).value().data(), 0.0);
    }

    @Test
    void thetaLayoutIsLayerByLayerWeightThenBias() {
        Network net = Networks.parse("fc-relu:3,4", new int[] {5}, 2);
        List<Network.Slice> l = net.layout();
        String[] names = {"0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"};
        int[] offsets = {0, 15, 18, 30, 34, 42};
        int[][] shapes = {{3, 5}, {3}, {4, 3}, {4}, {2, 4}, {2}};
        assertEquals(6, l.size());
        for (int i = 0; i < 6; i++) {
            assertEquals(names[i], l.get(i).name());
            assertEquals(offsets[i], l.get(i).offset());
            assertArrayEquals(shapes[i], l.get(i).shape());
        }
        assertEquals(44, net.numParams());
        assertEquals(0, net.offset(0));
        assertEquals(15 + 3, net.offset(1), "an activation starts where the next parameters would");
        assertEquals(18, net.offset(2));
        assertEquals(44, net.offset(5));
        assertEquals(5, net.layers().size());
        assertArrayEquals(new int[] {5}, net.inputShape());
        assertArrayEquals(new int[] {2}, net.outputShape());
        assertEquals("fc-relu:3,4", net.spec());
        assertEquals("fc-relu:3,4 (D=44): dense 5→3, relu, dense 3→4, relu, dense 4→2", net.toString());
        assertThrows(UnsupportedOperationException.class, () -> net.layers().add(Flatten.INSTANCE));
        // the shapes handed out are copies
        net.inputShape()[0] = 99;
        assertArrayEquals(new int[] {5}, net.inputShape());
        net.outputShape()[0] = 99;
        assertArrayEquals(new int[] {2}, net.outputShape());
    }

    @Test
    void specStringsAndTheirRefusals() {
        // a linear model, and images read flat by an fc net
        Network linear = Networks.parse(Networks.LINEAR, new int[] {3}, 2);
        assertEquals(8, linear.numParams());
        Network flat = Networks.parse(" fc-gelu:7 ", new int[] {1, 28, 28}, 10);
        assertArrayEquals(new int[] {784}, flat.inputShape());
        assertEquals(784 * 7 + 7 + 70 + 10, flat.numParams());
        assertEquals("fc-gelu:7", flat.spec());
        assertArrayEquals(new int[] {3, 32, 32}, Networks.imageShape("cnn", new int[] {3072}));
        assertArrayEquals(new int[] {1, 28, 28}, Networks.imageShape("cnn", new int[] {784}));
        assertArrayEquals(new int[] {2, 5, 5}, Networks.imageShape("cnn", new int[] {2, 5, 5}));
        assertThrows(DriftlabException.class, () -> Networks.imageShape("cnn", new int[] {28, 28}));
        String[] bad = {"fc-tanh:a", "fc-tanh:0", "fc-tanh:3,-1", "fc-swish:3", "mlp:3", "cnn-relu:x", "resnet",
            "fc-tanh:", "fc-tanh", "fc-tanh: ", "fc-tanh:3,,3", "fc-tanh:99999999999", "cnn-relu:", "fc-linear:3",
            "cnn-relu:2,2,2,2,2,2"};
        for (String s : bad) {
            DriftlabException e = assertThrows(DriftlabException.class, () -> Networks.parse(s, new int[] {784}, 10), s);
            assertTrue(!e.getMessage().isBlank());
        }
        assertTrue(assertThrows(DriftlabException.class, () -> Networks.parse("fc-tanh:a", new int[] {4}, 2)).getMessage()
                .contains("width 1 is 'a'; widths are whole numbers"));
        // issue 17: an empty width list was a silent linear model
        assertTrue(assertThrows(DriftlabException.class, () -> Networks.parse("fc-tanh:", new int[] {4}, 2)).getMessage()
                .contains("no widths; give at least one, e.g. fc-tanh:200,200 (the linear model is fc-linear)"));
        assertTrue(assertThrows(DriftlabException.class, () -> Networks.parse("mlp:3", new int[] {4}, 2)).getMessage()
                .contains("unknown model 'mlp:3'"));
    }

    @Test
    void aNetworkTooLargeForOneThetaIsRefusedWithOneLine() {
        // 50,000 × 50,000 weights overflow an int: the refusal must name the count, not fail on a negative size
        DriftlabException e = assertThrows(DriftlabException.class, () -> Networks.parse("fc-tanh:50000", new int[] {50000}, 10));
        assertTrue(e.getMessage().contains("too many parameters: 2500"), e.getMessage());
        assertThrows(DriftlabException.class, () -> Networks.parse("fc-tanh:46341,46341", new int[] {2}, 1));
        // the largest θ a Java array may hold is Integer.MAX_VALUE − 8 entries: 7·(306,783,376 + 1) is exactly that
        // (nothing is allocated to build a network), one more entry is refused
        assertEquals(Integer.MAX_VALUE - 8, new Network("edge", new int[] {306_783_376}, List.of(new Dense(306_783_376, 7))).numParams());
        assertThrows(DriftlabException.class, () -> new Network("over", new int[] {268_435_454}, List.of(new Dense(268_435_454, 8))));
        // a conv net's flattened features overflow an int before any parameter is counted (found by the model-string
        // fuzz: 2^31 − 1 channels × 14 × 14 wrapped to a negative width, an internal error)
        DriftlabException wide = assertThrows(DriftlabException.class,
                () -> Networks.parse("cnn-relu:2147483647", new int[] {1, 28, 28}, 10));
        assertTrue(wide.getMessage().contains("more than one array holds"), wide.getMessage());
        // blocks near 2^62 parameters each: their sum passes Long.MAX_VALUE, which must saturate, not throw
        for (String huge : new String[] {"vit:patch=7,dim=2147483647,heads=1,depth=1,mlp=4", "resmlp:width=2147483647,depth=1"}) {
            DriftlabException e2 = assertThrows(DriftlabException.class, () -> Networks.parse(huge, new int[] {1, 28, 28}, 10));
            assertTrue(e2.getMessage().contains("too many parameters: more than " + Long.MAX_VALUE), e2.getMessage());
        }
    }

    @Test
    void wrongThetaBlocksOrInputsAreRefused() {
        Network net = Networks.parse("fc-tanh:2", new int[] {2}, 1);
        Var x = Var.constant(Tensor.of(new double[] {0.5, -1}, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> net.forward(vec(1, 2, 3), x));
        Var[] blocks = net.blocksOf(vec(THETA));
        assertThrows(IllegalArgumentException.class, () -> net.forward(new Var[] {blocks[0], blocks[1]}, x));
        Var[] swapped = {blocks[1], blocks[0], blocks[2], blocks[3]};
        assertThrows(IllegalArgumentException.class, () -> net.forward(swapped, x));
        IllegalArgumentException wrongInput = assertThrows(IllegalArgumentException.class,
                () -> net.forward(vec(THETA), Var.constant(Tensor.of(new double[3], 1, 3))));
        assertTrue(wrongInput.getMessage().contains("input batch of shape [1, 3] does not match [N, 2]"), wrongInput.getMessage());
        assertThrows(IllegalArgumentException.class, () -> net.forward(vec(THETA), Var.constant(Tensor.vector(0.5, -1))));
        // the builder checks each layer against the shape so far
        assertThrows(IllegalArgumentException.class, () -> Network.builder(1, 4, 4).dense(3));
        assertThrows(IllegalArgumentException.class, () -> Network.builder(4).conv(2, 3, 1, 1));
        Network built = Network.builder(1, 4, 4).conv(2, 3, 1, 1).activation(Activation.RELU).maxPool(2).avgPool(2)
                .flatten().dense(3).build("built");
        assertArrayEquals(new int[] {3}, built.outputShape());
        assertEquals(2 * 9 + 2 + 2 * 3 + 3, built.numParams());
        assertEquals("built", built.spec());
    }

    @Test
    void parametersRoundTripThroughNpyAndAWrongLengthIsNamed(@TempDir Path dir) throws Exception {
        Network net = Networks.parse("fc-tanh:2", new int[] {2}, 1);
        Path f = dir.resolve("theta.npy");
        net.saveParams(f, THETA);
        assertArrayEquals(THETA, net.loadParams(f), 0.0);
        assertTrue(Files.size(f) > 9 * 8);
        assertThrows(DriftlabException.class, () -> net.saveParams(dir.resolve("short.npy"), new double[3]));
        assertTrue(Files.notExists(dir.resolve("short.npy")), "nothing written for a refused θ");
        Path other = dir.resolve("other.npy");
        Npy.write(other, new double[] {1, 2, 3});
        DriftlabException e = assertThrows(DriftlabException.class, () -> net.loadParams(other));
        assertTrue(e.getMessage().contains("3 values") && e.getMessage().contains("D = 9"), e.getMessage());
    }
}
