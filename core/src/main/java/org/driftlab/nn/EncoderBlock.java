package org.driftlab.nn;

import java.util.List;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;

/**
 * A pre-LN transformer encoder block on tokens [N, T, D] (timm's ViT Block): x ← x + attn(norm1(x)), then
 * x ← x + mlp(norm2(x)) with an exact-GELU MLP. Parameters, in order: norm1.weight, norm1.bias,
 * attn.qkv.weight, attn.qkv.bias, attn.proj.weight, attn.proj.bias, norm2.weight, norm2.bias, mlp.fc1.weight,
 * mlp.fc1.bias, mlp.fc2.weight, mlp.fc2.bias. Groups for per-layer curvature: norm1, attn, norm2, mlp.
 */
public final class EncoderBlock extends CompositeLayer {
    private final int dim;
    private final int heads;
    private final int hidden;

    public EncoderBlock(int dim, int heads, int hidden) {
        super(List.of(new Part("norm1", "norm1", new LayerNorm(dim)),
                new Part("attn", "attention", new MultiHeadAttention(dim, heads)),
                new Part("norm2", "norm2", new LayerNorm(dim)),
                new Part("mlp", "MLP", new Mlp(dim, hidden, Activation.GELU))));
        this.dim = dim;
        this.heads = heads;
        this.hidden = hidden;
    }

    @Override
    public int[] outputShape(int[] s) {
        return partShape(1, partShape(0, s));
    }

    @Override
    public Var forward(Var[] p, Var x) {
        Var h = F.add(x, part(1, p, part(0, p, x)));
        return F.add(h, part(3, p, part(2, p, h)));
    }

    @Override
    public String describe() {
        return "encoder block " + dim + " (" + heads + " heads, mlp " + hidden + ")";
    }
}
