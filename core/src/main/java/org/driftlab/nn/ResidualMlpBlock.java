package org.driftlab.nn;

import java.util.ArrayList;
import java.util.List;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;

/**
 * A pre-norm residual MLP block of width W: x ← x + fc2(act(fc1(norm(x)))), with norm a LayerNorm or nothing.
 * Parameters, in order: [norm.weight, norm.bias,] fc1.weight [W, W], fc1.bias, fc2.weight [W, W], fc2.bias.
 */
public final class ResidualMlpBlock extends CompositeLayer {
    private final int width;
    private final Activation act;
    private final boolean norm;

    public ResidualMlpBlock(int width, Activation act, boolean norm) {
        super(parts(width, act, norm));
        this.width = width;
        this.act = act;
        this.norm = norm;
    }

    private static List<Part> parts(int width, Activation act, boolean norm) {
        List<Part> parts = new ArrayList<>();
        if (norm) {
            parts.add(new Part("norm", "LayerNorm", new LayerNorm(width)));
        }
        parts.add(new Part("fc1", "fc1", new Dense(width, width)));
        parts.add(new Part("act", "activation", act));
        parts.add(new Part("fc2", "fc2", new Dense(width, width)));
        return parts;
    }

    @Override
    public int[] outputShape(int[] s) {
        if (s.length != 1 || s[0] != width) {
            throw new IllegalArgumentException(describe() + ": input shape " + java.util.Arrays.toString(s) + " is not [" + width + "]");
        }
        return s.clone();
    }

    @Override
    public Var forward(Var[] p, Var x) {
        int i = 0;
        Var h = norm ? part(i++, p, x) : x;
        h = part(i++, p, h);
        h = part(i++, p, h);
        return F.add(x, part(i, p, h));
    }

    @Override
    public String describe() {
        return "residual mlp block " + width + " " + act.describe() + (norm ? " layernorm" : "");
    }
}
