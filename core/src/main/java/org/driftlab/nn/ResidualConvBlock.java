package org.driftlab.nn;

import java.util.List;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;

/**
 * A pre-activation residual block of two 3×3 convolutions (He et al. 2016, without batch normalisation):
 * x ← x + conv2(act(conv1(act(x)))), channels and spatial size kept (padding 1). Parameters conv1.weight
 * [C, C, 3, 3], conv1.bias, conv2.weight, conv2.bias.
 */
public final class ResidualConvBlock extends CompositeLayer {
    private final int channels;
    private final Activation act;

    public ResidualConvBlock(int channels, Activation act) {
        super(List.of(new Part("conv1", "conv1", new Conv2d(channels, channels, 3, 3, 1, 1)),
                new Part("conv2", "conv2", new Conv2d(channels, channels, 3, 3, 1, 1))));
        this.channels = channels;
        this.act = act;
    }

    @Override
    public int[] outputShape(int[] s) {
        return partShape(1, partShape(0, s));
    }

    @Override
    public Var forward(Var[] p, Var x) {
        return F.add(x, part(1, p, act.apply(part(0, p, act.apply(x)))));
    }

    @Override
    public String describe() {
        return "residual conv block " + channels + " " + act.describe();
    }
}
