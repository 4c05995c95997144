package org.driftlab.nn;

import java.util.Arrays;
import java.util.List;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.tensor.Convolution;

/**
 * Max pooling over k×k windows of [N, C, H, W] inputs (PyTorch's MaxPool2d: no padding, partial windows dropped).
 * The gradient goes to the first maximal entry of each window.
 */
public final class MaxPool2d implements Layer {
    private final int k;
    private final int stride;

    /** k×k windows with stride k, as MaxPool2d(k). */
    public MaxPool2d(int k) {
        this(k, k);
    }

    public MaxPool2d(int k, int stride) {
        this.k = checkWindow(k, stride);
        this.stride = stride;
    }

    static int checkWindow(int k, int stride) {
        if (k <= 0 || stride <= 0) {
            throw new IllegalArgumentException("pool: kernel and stride must be positive, got " + k + ", " + stride);
        }
        return k;
    }

    static int[] pooledShape(String what, int[] s, int k, int stride) {
        if (s.length != 3) {
            throw new IllegalArgumentException(what + ": input shape " + Arrays.toString(s) + " is not [C, H, W]");
        }
        return new int[] {s[0], Convolution.windowCount(s[1], k, stride, 0), Convolution.windowCount(s[2], k, stride, 0)};
    }

    @Override
    public List<Param> params() {
        return List.of();
    }

    @Override
    public int[] outputShape(int[] s) {
        return pooledShape(describe(), s, k, stride);
    }

    @Override
    public Var forward(Var[] p, Var x) {
        return F.maxPool2d(x, k, k, stride);
    }

    @Override
    public String describe() {
        return "maxpool " + k + "x" + k + (stride != k ? " stride " + stride : "");
    }
}
