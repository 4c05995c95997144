package org.driftlab.nn;

import java.util.List;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;

/** Fully connected layer y = x·Wᵀ + b with W stored [out, in] row-major, then b [out] (PyTorch's layout). */
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
        if (inputShape.length != 1 || inputShape[0] != in) {
            throw new IllegalArgumentException("dense " + in + "→" + out + ": input shape " + java.util.Arrays.toString(inputShape)
                    + " does not match [" + in + "]");
        }
        return new int[] {out};
    }

    @Override
    public Var forward(Var[] p, Var x) {
        return F.linear(x, p[0], p[1]);
    }

    @Override
    public String describe() {
        return "dense " + in + "→" + out;
    }
}
