package org.driftlab.nn;

import java.util.ArrayList;
import java.util.List;
import org.driftlab.DriftlabException;

/**
 * Networks from short spec strings: {@code fc-ACT:W1,W2,...} is a fully connected net with hidden widths
 * W1, W2, ... and activation ACT (tanh, relu, elu, gelu, softplus, sigmoid, identity), then a dense output
 * layer without activation. {@code fc-tanh:} with no widths is a linear model.
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
            if (inputShape.length != 1) {
                throw new DriftlabException("model " + spec + ": fc nets take flat inputs, got shape "
                        + java.util.Arrays.toString(inputShape) + " (flatten the data)");
            }
            List<Layer> layers = new ArrayList<>();
            int prev = in;
            for (int w : widths(spec, args)) {
                layers.add(new Dense(prev, w));
                layers.add(act);
                prev = w;
            }
            layers.add(new Dense(prev, numOutputs));
            return new Network(s, inputShape, layers);
        }
        throw new DriftlabException("unknown model '" + spec + "'; allowed forms: fc-ACT:W1,W2,... (ACT one of tanh, relu, "
                + "elu, gelu, softplus, sigmoid, identity)");
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
