package org.driftlab.nn;

import java.util.List;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;

/** Average pooling over k×k windows of [N, C, H, W] inputs (PyTorch's AvgPool2d: no padding, partial windows dropped). */
public final class AvgPool2d implements Layer {
    private final int k;
    private final int stride;

    /** k×k windows with stride k, as AvgPool2d(k). */
    public AvgPool2d(int k) {
        this(k, k);
    }

    public AvgPool2d(int k, int stride) {
        this.k = MaxPool2d.checkWindow(k, stride);
        this.stride = stride;
    }

    @Override
    public List<Param> params() {
        return List.of();
    }

    @Override
    public int[] outputShape(int[] s) {
        return MaxPool2d.pooledShape(describe(), s, k, stride);
    }

    @Override
    public Var forward(Var[] p, Var x) {
        return F.avgPool2d(x, k, k, stride);
    }

    @Override
    public String describe() {
        return "avgpool " + k + "x" + k + (stride != k ? " stride " + stride : "");
    }
}
