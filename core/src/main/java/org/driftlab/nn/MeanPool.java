package org.driftlab.nn;

import java.util.Arrays;
import java.util.List;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;

/**
 * Global mean pooling (no parameters): tokens [N, T, D] → [N, D] (a ViT's mean over tokens), or feature maps
 * [N, C, H, W] → [N, C] (a ResNet's global average pool).
 */
public final class MeanPool implements Layer {
    /** The one instance (the layer has no state). */
    public static final MeanPool INSTANCE = new MeanPool();

    private MeanPool() {}

    @Override
    public List<Param> params() {
        return List.of();
    }

    @Override
    public int[] outputShape(int[] s) {
        if (s.length == 2) {
            return new int[] {s[1]};
        }
        if (s.length == 3) {
            return new int[] {s[0]};
        }
        throw new IllegalArgumentException("mean pool: input shape " + Arrays.toString(s) + " is neither [T, D] nor [C, H, W]");
    }

    @Override
    public Var forward(Var[] p, Var x) {
        int[] s = x.shape();
        if (s.length == 3) {
            return F.mean(x, 1, false);
        }
        return F.mean(F.reshape(x, s[0], s[1], s[2] * s[3]), 2, false);
    }

    @Override
    public String describe() {
        return "mean pool";
    }
}
