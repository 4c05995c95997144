package org.driftlab.nn;

import java.util.Arrays;
import java.util.List;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.tensor.Ops;

/** Max or average pooling over k×k windows of [N, C, H, W] inputs (no padding, floor of partial windows). */
public final class Pool2d implements Layer {
    /** Which reduction a window uses. */
    public enum Kind { MAX, AVG }

    private final Kind kind;
    private final int k;
    private final int stride;

    /** k×k windows with the given stride (PyTorch's MaxPool2d(k) / AvgPool2d(k) use stride = k). */
    public Pool2d(Kind kind, int k, int stride) {
        if (k <= 0 || stride <= 0) {
            throw new IllegalArgumentException("pool: kernel and stride must be positive, got " + k + ", " + stride);
        }
        this.kind = kind;
        this.k = k;
        this.stride = stride;
    }

    /** MaxPool2d(k) with stride k. */
    public static Pool2d max(int k) {
        return new Pool2d(Kind.MAX, k, k);
    }

    /** AvgPool2d(k) with stride k. */
    public static Pool2d avg(int k) {
        return new Pool2d(Kind.AVG, k, k);
    }

    @Override
    public List<Param> params() {
        return List.of();
    }

    @Override
    public int[] outputShape(int[] s) {
        if (s.length != 3) {
            throw new IllegalArgumentException(describe() + ": input shape " + Arrays.toString(s) + " is not [C, H, W]");
        }
        return new int[] {s[0], Ops.windowCount(s[1], k, stride, 0), Ops.windowCount(s[2], k, stride, 0)};
    }

    @Override
    public Var forward(Var[] p, Var x) {
        return kind == Kind.MAX ? F.maxPool2d(x, k, k, stride) : F.avgPool2d(x, k, k, stride);
    }

    @Override
    public String describe() {
        return (kind == Kind.MAX ? "maxpool " : "avgpool ") + k + "x" + k + (stride != k ? " stride " + stride : "");
    }
}
