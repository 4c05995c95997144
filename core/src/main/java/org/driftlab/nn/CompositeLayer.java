package org.driftlab.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.driftlab.autodiff.Var;

/**
 * A layer made of named sub-layers (a residual block, an encoder block), whose parameters are the sub-layers'
 * under their names ("attn.qkv.weight"), in the order the sub-layers are listed: the order of the PyTorch
 * module's {@code named_parameters()} when the sub-modules are registered in the same order. Each sub-layer with
 * parameters is one group for per-layer curvature.
 */
abstract class CompositeLayer implements Layer {
    /** A named sub-layer and what a reader calls it. */
    record Part(String name, String label, Layer layer) {}

    private final List<Part> parts;
    private final int[] firstBlock;
    private final List<Param> params;

    CompositeLayer(List<Part> parts) {
        this.parts = List.copyOf(parts);
        this.firstBlock = new int[parts.size() + 1];
        List<Param> ps = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            firstBlock[i] = ps.size();
            for (Param p : parts.get(i).layer().params()) {
                ps.add(p.prefixed(parts.get(i).name()));
            }
        }
        firstBlock[parts.size()] = ps.size();
        this.params = List.copyOf(ps);
    }

    @Override
    public final List<Param> params() {
        return params;
    }

    @Override
    public final List<Group> groups() {
        List<Group> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            int from = firstBlock[i];
            int to = firstBlock[i + 1];
            if (to > from) {
                int[] blocks = new int[to - from];
                for (int b = 0; b < blocks.length; b++) {
                    blocks[b] = from + b;
                }
                out.add(new Group(parts.get(i).name(), parts.get(i).label(), blocks));
            }
        }
        return out;
    }

    /** Sub-layer i applied to x, given all of this layer's blocks p. */
    final Var part(int i, Var[] p, Var x) {
        return parts.get(i).layer().forward(Arrays.copyOfRange(p, firstBlock[i], firstBlock[i + 1]), x);
    }

    /** The output shape of sub-layer i for an input shape. */
    final int[] partShape(int i, int[] inputShape) {
        return parts.get(i).layer().outputShape(inputShape);
    }
}
