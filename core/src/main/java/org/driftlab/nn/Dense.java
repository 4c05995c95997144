package org.driftlab.nn;

import java.util.List;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;

/**
 * Fully connected layer y = x·Wᵀ + b with W stored [out, in] row-major, then b [out] (PyTorch's Linear). Applied
 * to the last axis: inputs [N, in] or [N, ..., in] (the tokens of a transformer), as nn.Linear.
 */
public final class Dense implements Layer {
    private final int in;
    private final int out;

    public Dense(int in, int out) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("dense: sizes must be positive, got " + in + "→" + out);
        }
        this.in = in;
        this.out = out;
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("weight", new int[] {out, in}, in), new Param("bias", new int[] {out}, in));
    }

    @Override
    public int[] outputShape(int[] inputShape) {
        if (inputShape.length == 0 || inputShape[inputShape.length - 1] != in) {
            throw new IllegalArgumentException("dense " + in + "→" + out + ": input shape " + java.util.Arrays.toString(inputShape)
                    + " does not match [" + in + "]" + (inputShape.length > 1 ? " in its last axis" : ""));
        }
        int[] o = inputShape.clone();
        o[o.length - 1] = out;
        return o;
    }

    @Override
    public Var forward(Var[] p, Var x) {
        int[] s = x.shape();
        if (s.length == 2) {
            return F.linear(x, p[0], p[1]);
        }
        int[] o = s.clone();
        o[o.length - 1] = out;
        return F.reshape(F.linear(F.reshape(x, x.size() / in, in), p[0], p[1]), o);
    }

    @Override
    public String describe() {
        return "dense " + in + "→" + out;
    }
}
