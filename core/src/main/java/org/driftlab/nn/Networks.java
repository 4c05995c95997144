package org.driftlab.nn;

import java.util.ArrayList;
import java.util.List;
import org.driftlab.DriftlabException;

/**
 * Networks from short spec strings: {@code fc-ACT:W1,W2,...} is a fully connected net with hidden widths
 * W1, W2, ... and activation ACT (tanh, relu, elu, gelu, softplus, sigmoid, identity), then a dense output
 * layer without activation. {@code fc-tanh:} with no widths is a linear model.
 *
 * <p>{@code cnn-ACT:C1,C2,...} is the small convolutional net of Cohen et al. (2021): for each width C, a 3×3
 * convolution with padding 1 to C channels, the activation and 2×2 max pooling; then flatten and a dense layer
 * to the outputs. It takes images [C, H, W] (see {@link #imageShape}).
 */
public final class Networks {
    private Networks() {}

    /** Parses spec for inputs of the given shape (flattened) and numOutputs outputs. */
    public static Network parse(String spec, int[] inputShape, int numOutputs) {
        String s = spec.trim();
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        String args = colon < 0 ? "" : s.substring(colon + 1).trim();
        if (kind.startsWith("fc-")) {
            Activation act = Activation.parse(kind.substring(3));
            int in = 1;
            for (int d : inputShape) {
                in *= d;
            }
            List<Layer> layers = new ArrayList<>();
            int prev = in;
            for (int w : widths(spec, args)) {
                layers.add(new Dense(prev, w));
                layers.add(act);
                prev = w;
            }
            layers.add(new Dense(prev, numOutputs));
            // an fc net reads each example flattened, whatever its shape ([1, 28, 28] images become [784])
            return new Network(s, new int[] {in}, layers);
        }
        if (kind.startsWith("cnn-")) {
            Activation act = Activation.parse(kind.substring(4));
            int[] image = imageShape(spec, inputShape);
            Network.Builder b = Network.builder(image);
            for (int w : widths(spec, args)) {
                b.conv(w, 3, 1, 1).activation(act).maxPool(2);
            }
            return b.flatten().dense(numOutputs).build(s);
        }
        throw new DriftlabException("unknown model '" + spec + "'; allowed forms: fc-ACT:W1,W2,... and cnn-ACT:C1,C2,... "
                + "(ACT one of tanh, relu, elu, gelu, softplus, sigmoid, identity)");
    }

    /**
     * The [C, H, W] shape a cnn reads: image shapes pass through, and flat inputs of a known image size are
     * read as images (784 → [1, 28, 28] for MNIST/Fashion-MNIST, 3072 → [3, 32, 32] channel-major for CIFAR-10).
     * The data themselves are reshaped by {@code NetObjective.of}, which views flat inputs in the network's input
     * shape.
     */
    public static int[] imageShape(String spec, int[] inputShape) {
        if (inputShape.length == 3) {
            return inputShape.clone();
        }
        if (inputShape.length == 1 && inputShape[0] == 784) {
            return new int[] {1, 28, 28};
        }
        if (inputShape.length == 1 && inputShape[0] == 3072) {
            return new int[] {3, 32, 32};
        }
        throw new DriftlabException("model " + spec + ": a cnn needs image inputs [C, H, W] or flat inputs of 784 "
                + "(1x28x28) or 3072 (3x32x32) values, got shape " + java.util.Arrays.toString(inputShape));
    }

    static int[] widths(String spec, String args) {
        if (args.isEmpty()) {
            return new int[0];
        }
        String[] parts = args.split(",");
        int[] w = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                w[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new DriftlabException("model " + spec + ": width '" + parts[i].trim() + "' is not an integer");
            }
            if (w[i] <= 0) {
                throw new DriftlabException("model " + spec + ": widths must be positive, got " + w[i]);
            }
        }
        return w;
    }
}
