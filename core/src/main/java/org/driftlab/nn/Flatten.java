package org.driftlab.nn;

import java.util.Arrays;
import java.util.List;
import org.driftlab.DriftlabException;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.tensor.Tensor;

/** Flattens each example to a vector, row-major (C, H, W order, as torch.flatten(x, 1)). */
public final class Flatten implements Layer {
    /** The one instance (the layer has no state). */
    public static final Flatten INSTANCE = new Flatten();

    private Flatten() {}

    @Override
    public List<Param> params() {
        return List.of();
    }

    @Override
    public int[] outputShape(int[] s) {
        long n = Tensor.numel(s);
        if (n > Integer.MAX_VALUE - 8) {
            // e.g. cnn-relu:2147483647: the int product wrapped to a negative width, which the next layer took for a bug
            throw new DriftlabException("a layer's output of " + Arrays.toString(s) + " = " + n
                    + " values per example is more than one array holds (" + (Integer.MAX_VALUE - 8) + ")");
        }
        return new int[] {(int) n};
    }

    @Override
    public Var forward(Var[] p, Var x) {
        int[] s = x.shape();
        return F.reshape(x, s[0], x.size() / Math.max(1, s[0]));
    }

    @Override
    public String describe() {
        return "flatten";
    }
}
