package org.driftlab.nn;

import java.util.List;
import org.driftlab.autodiff.Var;

/**
 * The two-layer perceptron of a transformer block (timm's Mlp): fc1 to the hidden width, the activation, fc2 back,
 * on the last axis. Parameters fc1.weight [hidden, dim], fc1.bias, fc2.weight [dim, hidden], fc2.bias.
 */
public final class Mlp extends CompositeLayer {
    private final int dim;
    private final int hidden;
    private final Activation act;

    public Mlp(int dim, int hidden, Activation act) {
        super(List.of(new Part("fc1", "fc1", new Dense(dim, hidden)), new Part("act", "activation", act),
                new Part("fc2", "fc2", new Dense(hidden, dim))));
        this.dim = dim;
        this.hidden = hidden;
        this.act = act;
    }

    @Override
    public int[] outputShape(int[] s) {
        return partShape(2, partShape(0, s));
    }

    @Override
    public Var forward(Var[] p, Var x) {
        return part(2, p, part(1, p, part(0, p, x)));
    }

    @Override
    public String describe() {
        return "mlp " + dim + "→" + hidden + "→" + dim + " " + act.describe();
    }
}
