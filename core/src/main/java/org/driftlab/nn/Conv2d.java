package org.driftlab.nn;

import java.util.Arrays;
import java.util.List;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.tensor.Convolution;

/**
 * 2-D convolution (PyTorch's Conv2d, a cross-correlation) on [N, C, H, W] inputs: weight [out, in, kh, kw]
 * row-major, then bias [out], in θ. The PyTorch initialiser draws both from U(±1/√fan_in), fan_in = in·kh·kw.
 */
public final class Conv2d implements Layer {
    private final int in;
    private final int out;
    private final int kh;
    private final int kw;
    private final int stride;
    private final int pad;
    private final boolean bias;

    /** A kh×kw convolution from in to out channels with the given stride and zero padding, with bias. */
    public Conv2d(int in, int out, int kh, int kw, int stride, int pad) {
        this(in, out, kh, kw, stride, pad, true);
    }

    public Conv2d(int in, int out, int kh, int kw, int stride, int pad, boolean bias) {
        if (in <= 0 || out <= 0 || kh <= 0 || kw <= 0 || stride <= 0 || pad < 0) {
            throw new IllegalArgumentException("conv2d: channels, kernel and stride must be positive and padding >= 0, got "
                    + in + "→" + out + " " + kh + "x" + kw + " stride " + stride + " pad " + pad);
        }
        this.in = in;
        this.out = out;
        this.kh = kh;
        this.kw = kw;
        this.stride = stride;
        this.pad = pad;
        this.bias = bias;
    }

    @Override
    public List<Param> params() {
        int fanIn = in * kh * kw;
        Param w = new Param("weight", new int[] {out, in, kh, kw}, fanIn);
        return bias ? List.of(w, new Param("bias", new int[] {out}, fanIn)) : List.of(w);
    }

    @Override
    public int[] outputShape(int[] s) {
        if (s.length != 3 || s[0] != in) {
            throw new IllegalArgumentException(describe() + ": input shape " + Arrays.toString(s) + " is not [" + in + ", H, W]");
        }
        return new int[] {out, Convolution.windowCount(s[1], kh, stride, pad), Convolution.windowCount(s[2], kw, stride, pad)};
    }

    @Override
    public Var forward(Var[] p, Var x) {
        return F.conv2d(x, p[0], bias ? p[1] : null, stride, pad);
    }

    @Override
    public String describe() {
        return "conv " + in + "→" + out + " " + kh + "x" + kw + (stride != 1 ? " stride " + stride : "") + (pad != 0 ? " pad " + pad : "");
    }
}
