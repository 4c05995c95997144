package org.driftlab.nn;

import java.util.Arrays;
import java.util.List;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;

/**
 * Multi-head self-attention on tokens x [N, T, D] (timm's ViT Attention with qkv_bias): the projection
 * [q, k, v] = x·W_qkvᵀ + b_qkv (computed as three products with the rows of W_qkv), split into H heads of size d = D/H, softmax(q·kᵀ/√d)·v per head, heads
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
        Var rows = F.reshape(x, n * t, dim);
        // q, k and v each from its own rows of W_qkv and b_qkv: the same numbers as one fused [N·T, 3D] product (each
        // output element is the same dot product), but the backward pass then pads the three small weight slices
        // instead of three [3, N, H, T, d] cotangents of the fused output, a fifth of a ViT's kept Hessian graph
        Var q = heads(rows, p, 0, n, t);
        Var k = heads(rows, p, 1, n, t);
        Var v = heads(rows, p, 2, n, t);
        int d = dim / heads;
        Var weights = F.softmax(F.scale(F.bmm(q, false, k, true), 1.0 / Math.sqrt(d)));
        Var mixed = F.bmm(weights, false, v, false);
        // [N, H, T, d] → [N, T, H, d] → [N·T, D]: the heads side by side, as timm's transpose(1, 2).reshape
        Var merged = F.reshape(F.permute(F.reshape(mixed, n, heads, t, d), 0, 2, 1, 3), n * t, dim);
        return F.reshape(F.linear(merged, p[2], p[3]), n, t, dim);
    }

    /** Projection which (0: q, 1: k, 2: v) of the rows [N·T, D], split into heads as [N·H, T, d]. */
    private Var heads(Var rows, Var[] p, int which, int n, int t) {
        int d = dim / heads;
        Var w = F.slice(p[0], 0, which * dim, (which + 1) * dim);
        Var b = F.slice(p[1], 0, which * dim, (which + 1) * dim);
        // [N·T, D] → [N, T, H, d] → [N, H, T, d]
        return F.reshape(F.permute(F.reshape(F.linear(rows, w, b), n, t, heads, d), 0, 2, 1, 3), n * heads, t, d);
    }

    @Override
    public String describe() {
        return "attention " + dim + " (" + heads + " heads)";
    }
}
