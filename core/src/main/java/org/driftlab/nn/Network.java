package org.driftlab.nn;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.driftlab.DriftlabException;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.data.Npy;
import org.driftlab.data.NpyArray;

/**
 * A feed-forward network as a function f(θ, x) of one flat parameter vector θ. The layout of θ is, for each
 * layer in order, each of its parameter blocks row-major (dense: weight [out, in], then bias [out]; conv:
 * weight [out, in, kh, kw], then bias), named as the equivalent PyTorch module's {@code named_parameters()}:
 * layer i of a sequential net is module "i" ("0.weight", "0.bias", "2.weight", ...), and the residual and
 * transformer models name their layers as their PyTorch twins do ("blocks.1.attn.qkv.weight"). So a θ moves
 * between driftlab and PyTorch as one vector (docs/interop.md).
 */
public final class Network {
    private final int[] inputShape;
    private final List<Layer> layers;
    private final List<String> names;
    private final int[] offsets;
    private final int numParams;
    private final int[] outputShape;
    private final String spec;

    /** Builds a sequential network for inputs of the given shape (without the batch dimension); layer i is named "i". */
    public Network(String spec, int[] inputShape, List<Layer> layers) {
        this(spec, inputShape, layers, indexNames(layers.size()));
    }

    /**
     * Builds a network whose layer i is named names[i], the prefix of its parameter names ("" for none: its
     * parameters then carry their full names themselves).
     */
    public Network(String spec, int[] inputShape, List<Layer> layers, List<String> names) {
        if (names.size() != layers.size()) {
            throw new IllegalArgumentException("network " + spec + ": " + names.size() + " names for " + layers.size() + " layers");
        }
        this.spec = spec;
        this.inputShape = inputShape.clone();
        this.layers = List.copyOf(layers);
        this.names = List.copyOf(names);
        this.offsets = new int[layers.size() + 1];
        int[] shape = inputShape.clone();
        long total = 0;
        for (int i = 0; i < layers.size(); i++) {
            offsets[i] = (int) total;
            for (Layer.Param p : layers.get(i).params()) {
                // exact, in long: one block may exceed an int, and a product of huge widths must not wrap; the sum
                // saturates (vit:dim=2147483647 has blocks near 2^62 whose sum passes Long.MAX_VALUE)
                long size = org.driftlab.Memory.product("network " + spec + " parameters",
                        java.util.Arrays.stream(p.shape()).asLongStream().toArray());
                total = size > Long.MAX_VALUE - total ? Long.MAX_VALUE : total + size;
            }
            shape = layers.get(i).outputShape(shape);
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new DriftlabException("network " + spec + " has too many parameters: "
                    + (total == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : String.valueOf(total)) + " (at most "
                    + (Integer.MAX_VALUE - 8) + ", the length of one array: θ is one flat vector)");
        }
        offsets[layers.size()] = (int) total;
        this.numParams = (int) total;
        this.outputShape = shape;
    }

    /** A builder for networks assembled in Java. */
    public static Builder builder(int... inputShape) {
        return new Builder(inputShape);
    }

    /** Fluent network construction. */
    public static final class Builder {
        private final int[] inputShape;
        private final List<Layer> layers = new ArrayList<>();
        private int[] shape;

        Builder(int[] inputShape) {
            this.inputShape = inputShape.clone();
            this.shape = inputShape.clone();
        }

        private final List<String> names = new ArrayList<>();

        /** Appends a layer named by its index (as in an nn.Sequential). */
        public Builder add(Layer layer) {
            return add(String.valueOf(layers.size()), layer);
        }

        /** Appends a layer under a module name, the prefix of its parameters' names ("" for none). */
        public Builder add(String name, Layer layer) {
            shape = layer.outputShape(shape);
            layers.add(layer);
            names.add(name);
            return this;
        }

        /** The output shape of the layers added so far (without the batch dimension). */
        public int[] shape() {
            return shape.clone();
        }

        /** A dense layer to width out (flattening is implicit only for rank-1 inputs). */
        public Builder dense(int out) {
            if (shape.length != 1) {
                throw new IllegalArgumentException("dense after shape " + Arrays.toString(shape) + ": add flatten first");
            }
            return add(new Dense(shape[0], out));
        }

        public Builder activation(Activation a) {
            return add(a);
        }

        /** A k×k convolution to out channels (input must be [C, H, W]), with bias. */
        public Builder conv(int out, int k, int stride, int pad) {
            if (shape.length != 3) {
                throw new IllegalArgumentException("conv after shape " + Arrays.toString(shape) + ": needs [C, H, W]");
            }
            return add(new Conv2d(shape[0], out, k, k, stride, pad));
        }

        /** k×k max pooling with stride k. */
        public Builder maxPool(int k) {
            return add(new MaxPool2d(k));
        }

        /** k×k average pooling with stride k. */
        public Builder avgPool(int k) {
            return add(new AvgPool2d(k));
        }

        /** Flattens [C, H, W] to a vector. */
        public Builder flatten() {
            return add(Flatten.INSTANCE);
        }

        public Network build(String spec) {
            return new Network(spec, inputShape, layers, names);
        }
    }

    public int numParams() {
        return numParams;
    }

    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    public int[] inputShape() {
        return inputShape.clone();
    }

    public int[] outputShape() {
        return outputShape.clone();
    }

    /** The spec string this network was built from (or a description for built networks). */
    public String spec() {
        return spec;
    }

    /** Offset of layer i's first parameter in θ. */
    public int offset(int layer) {
        return offsets[layer];
    }

    /** One named slice of θ. */
    public record Slice(String name, int offset, int[] shape) {
        /** Number of parameters in the slice. */
        public int size() {
            return (int) org.driftlab.tensor.Tensor.numel(shape);
        }
    }

    /**
     * Names and slices of every parameter block, in θ order: the names and shapes of the equivalent PyTorch
     * module's {@code named_parameters()} (e.g. "0.weight", "blocks.0.attn.qkv.weight").
     */
    public List<Slice> layout() {
        List<Slice> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            int o = offsets[i];
            for (Layer.Param p : layers.get(i).params()) {
                out.add(new Slice(qualified(names.get(i), p.name()), o, p.shape()));
                o += p.size();
            }
        }
        return out;
    }

    /**
     * A group of parameter blocks: one diagonal block of the Hessian for per-layer curvature.
     *
     * @param name   the module path, e.g. "2" (layer 2 of an fc net) or "blocks.1.attn"
     * @param label  what a reader calls it, e.g. "dense 200→200" or "attention of block 1"
     * @param slices its blocks, in θ order
     */
    public record Group(String name, String label, List<Slice> slices) {
        /** Number of parameters in the group. */
        public int size() {
            int n = 0;
            for (Slice s : slices) {
                n += s.size();
            }
            return n;
        }
    }

    /**
     * The parameter groups in θ order: one per layer with parameters (a dense or conv layer: weight and bias), and
     * one per sub-module of a composite layer (an encoder block's norm1, attn, norm2 and mlp).
     */
    public List<Group> groups() {
        List<Slice> all = layout();
        List<Group> out = new ArrayList<>();
        int first = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            List<Layer.Group> gs = layer.groups();
            for (Layer.Group g : gs) {
                List<Slice> slices = new ArrayList<>();
                for (int b : g.blocks()) {
                    slices.add(all.get(first + b));
                }
                String name = g.name().isEmpty() ? names.get(i) : qualified(names.get(i), g.name());
                String label = gs.size() == 1 && g.name().isEmpty() ? layer.describe() + " (" + names.get(i) + ")"
                        : names.get(i).isEmpty() ? g.label() : g.label() + " of " + readable(names.get(i));
                out.add(new Group(name, label, List.copyOf(slices)));
            }
            first += layer.params().size();
        }
        return out;
    }

    private static String qualified(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    /** "blocks.2" → "block 2"; other module names stay as they are. */
    private static String readable(String module) {
        return module.startsWith("blocks.") ? "block " + module.substring("blocks.".length()) : module;
    }

    private static List<String> indexNames(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(String.valueOf(i));
        }
        return out;
    }

    /** f(θ, x) for a batch x [N, inputShape...]. */
    public Var forward(Var theta, Var x) {
        return run(blocksOf(theta), x, null);
    }

    /** θ cut into its parameter blocks, in {@link #layout()} order, each reshaped to its slice's shape. */
    public Var[] blocksOf(Var theta) {
        if (theta.size() != numParams) {
            throw new IllegalArgumentException("network " + spec + ": θ has length " + theta.size() + " but D = " + numParams);
        }
        List<Slice> slices = layout();
        Var[] blocks = new Var[slices.size()];
        for (int b = 0; b < blocks.length; b++) {
            Slice s = slices.get(b);
            int size = (int) org.driftlab.tensor.Tensor.numel(s.shape());
            blocks[b] = F.reshape(F.slice(theta, 0, s.offset(), s.offset() + size), s.shape());
        }
        return blocks;
    }

    /** Number of parameter blocks of θ, i.e. the length of {@link #layout()}. */
    public int numBlocks() {
        int k = 0;
        for (Layer layer : layers) {
            k += layer.params().size();
        }
        return k;
    }

    /**
     * f(θ, x) with θ given as its parameter blocks, in {@link #layout()} order and each of its slice's shape (so
     * each block can be its own leaf: gradients then come per block, without slicing and re-padding θ).
     */
    public Var forward(Var[] blocks, Var x) {
        return run(blocks, x, null);
    }

    /**
     * f(θ, x) as {@link #forward}, also exposing, for every layer with parameters, its input a_l and its output z_l
     * (for a dense layer the pre-activation x·Wᵀ + b) as variables of the graph. Differentiating a loss with respect
     * to the z_l gives the per-example cotangents δ_l that per-example gradient formulas need.
     */
    public Trace forwardTrace(Var theta, Var x) {
        List<Integer> index = new ArrayList<>();
        List<Var> ins = new ArrayList<>();
        List<Var> outs = new ArrayList<>();
        Var out = run(blocksOf(theta), x, (i, in, z) -> {
            index.add(i);
            ins.add(in);
            outs.add(z);
        });
        return new Trace(out, List.copyOf(index), List.copyOf(ins), List.copyOf(outs));
    }

    /** Sees the input and output of every layer with parameters (for {@link #forwardTrace}). */
    private interface LayerObserver {
        void seen(int layer, Var input, Var output);
    }

    private Var run(Var[] blocks, Var x, LayerObserver observer) {
        if (blocks.length != numBlocks()) {
            throw new IllegalArgumentException("network " + spec + ": " + blocks.length + " parameter blocks but the network has "
                    + numBlocks());
        }
        checkInput(x);
        Var h = x;
        int b = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            List<Layer.Param> ps = layer.params();
            Var[] lb = new Var[ps.size()];
            for (int j = 0; j < lb.length; j++) {
                Var blk = blocks[b++];
                if (!Arrays.equals(blk.shape(), ps.get(j).shape())) {
                    throw new IllegalArgumentException("network " + spec + ": parameter block of shape "
                            + Arrays.toString(blk.shape()) + " where " + Arrays.toString(ps.get(j).shape()) + " is expected");
                }
                lb[j] = blk;
            }
            Var in = h;
            h = layer.forward(lb, h);
            if (observer != null && !ps.isEmpty()) {
                observer.seen(i, in, h);
            }
        }
        return h;
    }

    private void checkInput(Var x) {
        int[] xs = x.shape();
        if (xs.length != inputShape.length + 1 || !Arrays.equals(Arrays.copyOfRange(xs, 1, xs.length), inputShape)) {
            throw new IllegalArgumentException("network " + spec + ": input batch of shape " + Arrays.toString(xs)
                    + " does not match [N, " + Arrays.toString(inputShape).replace("[", "").replace("]", "") + "]");
        }
    }

    /** The result of {@link #forwardTrace}: the output and, per layer with parameters, its index, input and output. */
    public record Trace(Var output, List<Integer> layerIndices, List<Var> layerInputs, List<Var> layerOutputs) {}

    /** A fresh θ drawn with the initialiser and seed. */
    public double[] initialize(Init init, long seed) {
        double[] theta = new double[numParams];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).initialize(init, theta, offsets[i], rng);
        }
        return theta;
    }

    /** Writes θ as a 1-D float64 .npy (the PyTorch peer's --params format), after checking its length is D. */
    public void saveParams(Path file, double[] theta) {
        if (theta.length != numParams) {
            throw new DriftlabException("network " + spec + ": θ has length " + theta.length + " but D = " + numParams);
        }
        Npy.write(file, theta);
    }

    /**
     * Reads θ from a .npy of D values (any shape, float or integer, flattened row-major); a wrong length is a
     * {@link DriftlabException} naming the file, both lengths and the network.
     */
    public double[] loadParams(Path file) {
        NpyArray a = Npy.read(file);
        double[] theta = a.values();
        if (theta.length != numParams) {
            throw new DriftlabException("parameters " + file + " hold " + theta.length + " values but network " + spec
                    + " has D = " + numParams + " (shape " + Arrays.toString(a.shape()) + ")");
        }
        return theta.clone();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(spec).append(" (D=").append(numParams).append("): ");
        for (int i = 0; i < layers.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(layers.get(i).describe());
        }
        return sb.toString();
    }
}
