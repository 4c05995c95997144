package org.driftlab.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.driftlab.autodiff.Var;

/**
 * One layer of a {@link Network}: a function of its parameters (a slice of the flat θ) and its input. Layers
 * hold no parameter values; they only know their parameter shapes, so θ stays one vector.
 */
public interface Layer {
    /**
     * A named parameter block, e.g. weight [out, in] or bias [out].
     *
     * @param fanIn the number of inputs each output sees (the initialisers' scale)
     * @param kind  how initialisers fill it
     */
    record Param(String name, int[] shape, int fanIn, Kind kind) {
        /** How a block is initialised: weights and biases by the scheme, the rest as PyTorch's modules do. */
        public enum Kind {
            /** A weight: the initialiser's weight rule on fanIn. */
            WEIGHT,
            /** A bias: the initialiser's bias rule on fanIn. */
            BIAS,
            /** A normalisation gain (LayerNorm's weight): ones. */
            SCALE,
            /** A normalisation shift (LayerNorm's bias): zeros. */
            SHIFT,
            /** A learned embedding (a position embedding): N(0, 0.02²), as timm's ViT. */
            EMBEDDING
        }

        /** A weight (rank ≥ 2) or a bias (rank 1), as the dense and conv layers declare them. */
        public Param(String name, int[] shape, int fanIn) {
            this(name, shape, fanIn, shape.length == 1 ? Kind.BIAS : Kind.WEIGHT);
        }

        public int size() {
            int n = 1;
            for (int s : shape) {
                n *= s;
            }
            return n;
        }

        /** The same block under the name prefix.name (a sub-layer's block inside a composite layer). */
        public Param prefixed(String prefix) {
            return new Param(prefix + "." + name, shape, fanIn, kind);
        }
    }

    /**
     * A named group of this layer's parameter blocks, a diagonal block of the Hessian for per-layer curvature
     * (e.g. the attention of an encoder block: its qkv and proj weights and biases).
     *
     * @param name   the group's module path inside the layer, e.g. "attn" ("" for the whole layer)
     * @param label  what a reader calls it, e.g. "attention"
     * @param blocks indices into {@link #params()}
     */
    record Group(String name, String label, int[] blocks) {}

    /** Parameter blocks in θ order (weight first, then bias); empty for activations and pooling. */
    List<Param> params();

    /**
     * The layer's parameter groups for per-layer curvature: by default one group holding all its blocks (none for
     * a layer without parameters). Composite layers return one group per sub-module.
     */
    default List<Group> groups() {
        int n = params().size();
        if (n == 0) {
            return List.of();
        }
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return List.of(new Group("", describe(), all));
    }

    /** Output shape (without the batch dimension) for an input shape (without the batch dimension). */
    int[] outputShape(int[] inputShape);

    /** Applies the layer to x [N, ...]; params holds this layer's blocks, already reshaped, in params() order. */
    Var forward(Var[] params, Var x);

    /** Fills this layer's slice of θ from offset, drawing from rng with the given initialiser. */
    default void initialize(Init init, double[] theta, int offset, SplittableRandom rng) {
        int o = offset;
        for (Param p : params()) {
            init.fill(p, theta, o, rng);
            o += p.size();
        }
    }

    /** Short description, e.g. "dense 784→200". */
    String describe();
}
