package org.driftlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.driftlab.DriftlabException;
import org.junit.jupiter.api.Test;

/** The cnn specs (Cohen et al.'s small cnn), their θ layout and initialisation. */
class NetworksCnnTest {
    @Test
    void cohenCnnOnCifarShapes() {
        Network net = Networks.parse("cnn-relu:32,32", new int[] {3072}, 10);
        assertArrayEquals(new int[] {3, 32, 32}, net.inputShape());
        // conv 3→32: 32·27 + 32; conv 32→32: 32·288 + 32; dense 32·8·8 → 10
        assertEquals(896 + 9248 + 20490, net.numParams());
        assertEquals("conv 3→32 3x3 pad 1, relu, maxpool 2x2, conv 32→32 3x3 pad 1, relu, maxpool 2x2, flatten, dense 2048→10",
                net.toString().substring(net.toString().indexOf(": ") + 2));
        List<Network.Slice> layout = net.layout();
        assertArrayEquals(new int[] {32, 3, 3, 3}, layout.get(0).shape());
        assertArrayEquals(new int[] {32}, layout.get(1).shape());
        assertEquals(896, layout.get(2).offset());
    }

    @Test
    void otherActivationsAndImageInputs() {
        Network tanh = Networks.parse("cnn-tanh:4", new int[] {1, 28, 28}, 10);
        assertEquals(4 * 9 + 4 + 4 * 14 * 14 * 10 + 10, tanh.numParams());
        Network built = Network.builder(2, 6, 6).conv(3, 3, 1, 0).activation(Activation.ELU).avgPool(2).flatten().dense(2)
                .build("built");
        assertArrayEquals(new int[] {2}, built.outputShape());
        assertEquals(3 * 2 * 9 + 3 + 3 * 2 * 2 * 2 + 2, built.numParams());
        assertThrows(DriftlabException.class, () -> Networks.parse("cnn-relu:8", new int[] {100}, 10));
        assertThrows(DriftlabException.class, () -> Networks.parse("cnn-bogus:8", new int[] {784}, 10));
        assertThrows(IllegalArgumentException.class, () -> Network.builder(5).conv(3, 3, 1, 1));
    }

    @Test
    void pytorchInitUsesConvFanIn() {
        Network net = Networks.parse("cnn-relu:16", new int[] {3, 8, 8}, 2);
        double[] theta = net.initialize(Init.PYTORCH, 1);
        double bound = 1 / Math.sqrt(3 * 9);
        double max = 0;
        for (int i = 0; i < 16 * 27 + 16; i++) {
            max = Math.max(max, Math.abs(theta[i]));
        }
        assertTrue(max <= bound && max > 0.9 * bound, "conv init bound " + max + " vs " + bound);
    }
}
