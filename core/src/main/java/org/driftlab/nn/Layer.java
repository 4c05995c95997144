package org.driftlab.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.driftlab.autodiff.Var;

/**
 * One layer of a {@link Network}: a function of its parameters (a slice of the flat θ) and its input. Layers
 * hold no parameter values; they only know their parameter shapes, so θ stays one vector.
 */
public interface Layer {
    /** A named parameter block, e.g. weight [out, in] or bias [out]. */
    record Param(String name, int[] shape, int fanIn) {
        public int size() {
            int n = 1;
            for (int s : shape) {
                n *= s;
            }
            return n;
        }
    }

    /** Parameter blocks in θ order (weight first, then bias); empty for activations and pooling. */
    List<Param> params();

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
