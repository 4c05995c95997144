package org.driftlab.nn;

import java.util.List;
import org.driftlab.DriftlabException;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;

/** Elementwise activation layers (no parameters). */
public enum Activation implements Layer {
    TANH, RELU, ELU, GELU, SOFTPLUS, SIGMOID, IDENTITY;

    @Override
    public List<Param> params() {
        return List.of();
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        return inputShape;
    }

    @Override
    public Var forward(Var[] p, Var x) {
        return apply(x);
    }

    /** The activation applied to x. */
    public Var apply(Var x) {
        switch (this) {
            case TANH: return F.tanh(x);
            case RELU: return F.relu(x);
            case ELU: return F.elu(x);
            case GELU: return F.gelu(x);
            case SOFTPLUS: return F.softplus(x);
            case SIGMOID: return F.sigmoid(x);
            default: return x;
        }
    }

    @Override
    public String describe() {
        return name().toLowerCase();
    }

    public static Activation parse(String s) {
        for (Activation a : values()) {
            if (a.name().equalsIgnoreCase(s)) {
                return a;
            }
        }
        throw new DriftlabException("unknown activation '" + s + "'; allowed: tanh, relu, elu, gelu, softplus, sigmoid, identity");
    }
}
