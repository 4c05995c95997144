package org.driftlab.nn;

import java.util.Arrays;
import java.util.List;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;

/**
 * Multi-head self-attention on tokens x [N, T, D] (timm's ViT Attention with qkv_bias): one projection
 * [q, k, v] = x·W_qkvᵀ + b_qkv, split into H heads of size d = D/H, softmax(q·kᵀ/√d)·v per head, heads
 * concatenated, then the output projection ·W_projᵀ + b_proj. Parameters qkv.weight [3D, D], qkv.bias [3D],
 * proj.weight [D, D], proj.bias [D], as timm's {@code attn.qkv} and {@code attn.proj}.
 *
 * <p>Composed of primitives (dense maps, a head-splitting permute, batched products, the softmax), hence
 * differentiable to any order.
 */
public final class MultiHeadAttention implements Layer {
    private final int dim;
    private final int heads;

    public MultiHeadAttention(int dim, int heads) {
        if (dim <= 0 || heads <= 0 || dim % heads != 0) {
            throw new IllegalArgumentException("attention: dim " + dim + " must be a positive multiple of heads " + heads);
        }
        this.dim = dim;
        this.heads = heads;
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("qkv.weight", new int[] {3 * dim, dim}, dim), new Param("qkv.bias", new int[] {3 * dim}, dim),
                new Param("proj.weight", new int[] {dim, dim}, dim), new Param("proj.bias", new int[] {dim}, dim));
    }

    @Override
    public int[] outputShape(int[] s) {
        if (s.length != 2 || s[1] != dim) {
            throw new IllegalArgumentException(describe() + ": input shape " + Arrays.toString(s) + " is not [T, " + dim + "]");
        }
        return s.clone();
    }

    @Override
    public Var forward(Var[] p, Var x) {
        int n = x.shape()[0];
        int t = x.shape()[1];
        int d = dim / heads;
        Var qkv = F.linear(F.reshape(x, n * t, dim), p[0], p[1]);
        // [N, T, 3, H, d] → [3, N, H, T, d]: q, k and v of every head contiguous
        Var split = F.permute(F.reshape(qkv, n, t, 3, heads, d), 2, 0, 3, 1, 4);
        Var q = F.reshape(F.slice(split, 0, 0, 1), n * heads, t, d);
        Var k = F.reshape(F.slice(split, 0, 1, 2), n * heads, t, d);
        Var v = F.reshape(F.slice(split, 0, 2, 3), n * heads, t, d);
        Var weights = F.softmax(F.scale(F.bmm(q, false, k, true), 1.0 / Math.sqrt(d)));
        Var mixed = F.bmm(weights, false, v, false);
        // [N, H, T, d] → [N, T, H, d] → [N·T, D]: the heads side by side, as timm's transpose(1, 2).reshape
        Var merged = F.reshape(F.permute(F.reshape(mixed, n, heads, t, d), 0, 2, 1, 3), n * t, dim);
        return F.reshape(F.linear(merged, p[2], p[3]), n, t, dim);
    }

    @Override
    public String describe() {
        return "attention " + dim + " (" + heads + " heads)";
    }
}
