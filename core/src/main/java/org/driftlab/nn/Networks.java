package org.driftlab.nn;

import java.util.ArrayList;
import java.util.List;
import org.driftlab.DriftlabException;

/**
 * Networks from short spec strings:
 *
 * <ul>
 *   <li>{@code fc-ACT:W1,W2,...}: a fully connected net with hidden widths W1, W2, ... and activation ACT (tanh,
 *       relu, elu, gelu, softplus, sigmoid, identity), then a dense output layer without activation. At least
 *       one width is required ({@code fc-tanh:} with none is refused).</li>
 *   <li>{@code fc-linear}: the linear model, the dense output layer alone.</li>
 *   <li>{@code cnn-ACT:C1,C2,...}: the small convolutional net of Cohen et al. (2021): for each width C, a 3×3
 *       convolution with padding 1 to C channels, the activation and 2×2 max pooling; then flatten and a dense
 *       layer to the outputs.</li>
 *   <li>{@code resmlp:width=W,depth=L[,act=gelu,norm=layer]}: a residual MLP: the flattened input embedded by a
 *       dense layer to width W, L pre-norm residual blocks x + fc2(act(fc1(norm(x)))) ({@link ResidualMlpBlock}),
 *       with norm = layer (LayerNorm, the default; then also a final LayerNorm) or none, then a dense head.</li>
 *   <li>{@code resnet-cnn:width=C,depth=L[,act=relu,pool=2]}: a small residual CNN without batch normalisation: a
 *       3×3 stem convolution to C channels, p×p average pooling (pool = p, 1 for none), L pre-activation residual
 *       blocks of two 3×3 convolutions ({@link ResidualConvBlock}), the activation, global mean pooling and a dense
 *       head.</li>
 *   <li>{@code vit:patch=P,dim=D,heads=H,depth=L,mlp=M}: a Vision Transformer: P×P patches embedded to D with a
 *       learned position embedding ({@link PatchEmbedding}), L pre-LN encoder blocks with H heads and MLP width M
 *       ({@link EncoderBlock}), the mean over tokens, a LayerNorm and a dense head (timm's ViT with
 *       {@code class_token=False, global_pool='avg'}).</li>
 * </ul>
 *
 * <p>The cnn, resnet-cnn and vit take images [C, H, W] (see {@link #imageShape}); 28×28 Fashion-MNIST images are
 * read from their flat 784 values. Parameter names and order follow each model's PyTorch twin
 * (scripts/python/torch_models.py, docs/interop.md).
 */
public final class Networks {
    private Networks() {}

    /** The model-string kinds this class builds (the text before the colon; fc- and cnn- take an activation). */
    private static final java.util.List<String> KINDS = java.util.List.of("resmlp", "resnet-cnn", "vit");

    /**
     * Whether spec names a network (one of the forms above) rather than something else, e.g. an analytic objective;
     * says nothing about whether its arguments are valid ({@link #parse} does that).
     */
    public static boolean isNetwork(String spec) {
        String s = spec.trim();
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        return kind.startsWith("fc-") || kind.startsWith("cnn-") || KINDS.contains(kind);
    }

    /**
     * The names of the parameter groups of a network spec ({@link Network#groups()}), which do not depend on the
     * input size: e.g. 0, 2, 4 for fc-tanh:200,200, or pos_embed, patch_embed, blocks.0.norm1, ... for a vit.
     */
    public static List<String> groupNames(String spec) {
        Network net;
        try {
            net = parse(spec, new int[] {1, 28, 28}, 10);
        } catch (IllegalArgumentException e) { // an image size the model does not take: names are size-free anyway
            net = parse(spec, new int[] {3, 32, 32}, 10);
        }
        List<String> names = new ArrayList<>();
        for (Network.Group g : net.groups()) {
            names.add(g.name());
        }
        return names;
    }

    /** Parses spec for inputs of the given shape (flattened) and numOutputs outputs. */
    public static Network parse(String spec, int[] inputShape, int numOutputs) {
        String s = spec.trim();
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        String args = colon < 0 ? "" : s.substring(colon + 1).trim();
        if (kind.equals(LINEAR)) {
            if (colon >= 0) {
                throw new DriftlabException("model " + spec + ": " + LINEAR + " takes no widths (it is the linear model, "
                        + "one dense layer); for hidden layers without an activation write fc-identity:W1,W2,...");
            }
            int in = flatSize(spec, inputShape);
            return new Network(s, new int[] {in}, List.of(new Dense(in, numOutputs)));
        }
        if (kind.startsWith("fc-")) {
            Activation act = Activation.parse(kind.substring(3));
            int in = flatSize(spec, inputShape);
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
            int[] widths = widths(spec, args);
            int side = Math.min(image[1], image[2]);
            if (widths.length > 31 || side >> widths.length < 1) {
                throw new DriftlabException("model " + spec + ": " + widths.length + " conv blocks halve the " + image[1]
                        + "x" + image[2] + " image " + widths.length + " times, below one pixel; give at most "
                        + (31 - Integer.numberOfLeadingZeros(side)) + " widths");
            }
            for (int w : widths) {
                b.conv(w, 3, 1, 1).activation(act).maxPool(2);
            }
            return b.flatten().dense(numOutputs).build(s);
        }
        if (kind.equals("resmlp")) {
            return residualMlp(s, args, inputShape, numOutputs);
        }
        if (kind.equals("resnet-cnn")) {
            return residualCnn(s, args, inputShape, numOutputs);
        }
        if (kind.equals("vit")) {
            return visionTransformer(s, args, inputShape, numOutputs);
        }
        throw new DriftlabException("unknown model '" + spec + "'; allowed forms: " + FORMS);
    }

    /** The model forms, for error messages. */
    static final String FORMS = "fc-ACT:W1,W2,..., fc-linear, cnn-ACT:C1,C2,..., resmlp:width=W,depth=L[,act=ACT,norm=layer|none], "
            + "resnet-cnn:width=C,depth=L[,act=ACT,pool=P], vit:patch=P,dim=D,heads=H,depth=L,mlp=M "
            + "(ACT one of tanh, relu, elu, gelu, softplus, sigmoid, identity)";

    private static Network residualMlp(String spec, String args, int[] inputShape, int numOutputs) {
        Options o = Options.parse(spec, args, List.of("width", "depth"), List.of("act", "norm"));
        int width = o.positive("width");
        int depth = o.nonNegative("depth");
        Activation act = Activation.parse(o.text("act", "gelu"));
        boolean norm = o.choice("norm", "layer", "layer", "none").equals("layer");
        int in = 1;
        for (int d : inputShape) {
            in *= d;
        }
        Network.Builder b = Network.builder(in).add("embed", new Dense(in, width));
        for (int l = 0; l < depth; l++) {
            b.add("blocks." + l, new ResidualMlpBlock(width, act, norm));
        }
        if (norm) {
            b.add("norm", new LayerNorm(width));
        }
        return b.add("head", new Dense(width, numOutputs)).build(spec);
    }

    private static Network residualCnn(String spec, String args, int[] inputShape, int numOutputs) {
        Options o = Options.parse(spec, args, List.of("width", "depth"), List.of("act", "pool"));
        int width = o.positive("width");
        int depth = o.nonNegative("depth");
        Activation act = Activation.parse(o.text("act", "relu"));
        int pool = o.positive("pool", 2);
        int[] image = imageShape(spec, inputShape);
        Network.Builder b = Network.builder(image).add("stem", new Conv2d(image[0], width, 3, 3, 1, 1));
        if (pool > 1) {
            if (image[1] % pool != 0 || image[2] % pool != 0) {
                throw new DriftlabException("model " + spec + ": pool=" + pool + " does not divide the image " + image[1] + "x" + image[2]);
            }
            b.add("pool", new AvgPool2d(pool));
        }
        for (int l = 0; l < depth; l++) {
            b.add("blocks." + l, new ResidualConvBlock(width, act));
        }
        return b.add("act", act).add("avgpool", MeanPool.INSTANCE).add("head", new Dense(width, numOutputs)).build(spec);
    }

    private static Network visionTransformer(String spec, String args, int[] inputShape, int numOutputs) {
        Options o = Options.parse(spec, args, List.of("patch", "dim", "heads", "depth", "mlp"), List.of());
        int patch = o.positive("patch");
        int dim = o.positive("dim");
        int heads = o.positive("heads");
        int depth = o.nonNegative("depth");
        int mlp = o.positive("mlp");
        int[] image = imageShape(spec, inputShape);
        if (image[1] % patch != 0 || image[2] % patch != 0) {
            throw new DriftlabException("model " + spec + ": patch=" + patch + " does not divide the image " + image[1] + "x" + image[2]);
        }
        if (dim % heads != 0) {
            throw new DriftlabException("model " + spec + ": dim=" + dim + " is not a multiple of heads=" + heads);
        }
        Network.Builder b = Network.builder(image).add("", new PatchEmbedding(image[0], image[1], image[2], patch, dim));
        for (int l = 0; l < depth; l++) {
            b.add("blocks." + l, new EncoderBlock(dim, heads, mlp));
        }
        return b.add("pool", MeanPool.INSTANCE).add("fc_norm", new LayerNorm(dim)).add("head", new Dense(dim, numOutputs))
                .build(spec);
    }

    /** The key=value arguments of a model spec, checked against the keys it allows. */
    private static final class Options {
        private final String spec;
        private final java.util.Map<String, String> values;

        private Options(String spec, java.util.Map<String, String> values) {
            this.spec = spec;
            this.values = values;
        }

        static Options parse(String spec, String args, List<String> required, List<String> optional) {
            java.util.Map<String, String> v = new java.util.LinkedHashMap<>();
            List<String> allowed = new ArrayList<>(required);
            allowed.addAll(optional);
            if (!args.isEmpty()) {
                for (String part : args.split(",")) {
                    int eq = part.indexOf('=');
                    String key = eq < 0 ? part.trim() : part.substring(0, eq).trim();
                    if (eq < 0 || !allowed.contains(key)) {
                        throw new DriftlabException("model " + spec + ": '" + part.trim() + "' is not one of "
                                + String.join(", ", allowed) + " given as key=value");
                    }
                    if (v.put(key, part.substring(eq + 1).trim()) != null) {
                        throw new DriftlabException("model " + spec + ": " + key + " given twice");
                    }
                }
            }
            for (String key : required) {
                if (!v.containsKey(key)) {
                    throw new DriftlabException("model " + spec + ": missing " + key + "= (needs " + String.join(", ", required) + ")");
                }
            }
            return new Options(spec, v);
        }

        int integer(String key, int min) {
            String t = values.get(key);
            int x;
            try {
                x = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw new DriftlabException("model " + spec + ": " + key + "=" + t + " is not an integer");
            }
            if (x < min) {
                throw new DriftlabException("model " + spec + ": " + key + " must be >= " + min + ", got " + x);
            }
            return x;
        }

        int positive(String key) {
            return integer(key, 1);
        }

        int positive(String key, int fallback) {
            return values.containsKey(key) ? integer(key, 1) : fallback;
        }

        int nonNegative(String key) {
            return integer(key, 0);
        }

        String text(String key, String fallback) {
            return values.getOrDefault(key, fallback);
        }

        String choice(String key, String fallback, String... allowed) {
            String t = values.getOrDefault(key, fallback);
            if (!List.of(allowed).contains(t)) {
                throw new DriftlabException("model " + spec + ": " + key + "=" + t + " is not one of " + String.join(", ", allowed));
            }
            return t;
        }
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

    /** The linear model's spec: one dense layer from the flattened input to the outputs. */
    public static final String LINEAR = "fc-linear";

    /** The number of values of one example, exactly (a product beyond an int is an error, not a wrapped size). */
    private static int flatSize(String spec, int[] inputShape) {
        long n = org.driftlab.Memory.product("model " + spec + " input", java.util.Arrays.stream(inputShape)
                .asLongStream().toArray());
        return org.driftlab.Memory.arrayLength(n, "model " + spec + " input");
    }

    /** The hidden widths W1,W2,...: at least one, each a whole number from 1. */
    static int[] widths(String spec, String args) {
        if (args.isBlank()) {
            String kind = spec.strip().split(":", 2)[0];
            throw new DriftlabException("model " + spec + ": no widths; give at least one, e.g. " + kind + ":200,200 ("
                    + "the linear model is " + LINEAR + ")");
        }
        String[] parts = args.split(",", -1);
        int[] w = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String t = parts[i].trim();
            try {
                w[i] = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                w[i] = 0;
            }
            if (w[i] <= 0) {
                throw new DriftlabException("model " + spec + ": width " + (i + 1) + " is '" + t + "'; widths are whole "
                        + "numbers from 1 to " + Integer.MAX_VALUE + ", separated by commas");
            }
        }
        return w;
    }
}
