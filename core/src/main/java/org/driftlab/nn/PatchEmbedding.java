package org.driftlab.nn;

import java.util.Arrays;
import java.util.List;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;

/**
 * A ViT's patch embedding with a learned position embedding (timm's PatchEmbed plus pos_embed, no class token):
 * images [N, C, H, W] cut into T = (H/P)·(W/P) non-overlapping P×P patches, in row-major patch order, each mapped
 * to D values by a P×P convolution with stride P, then the position embedding [1, T, D] added: tokens [N, T, D].
 * Parameters, in order: pos_embed [1, T, D], patch_embed.proj.weight [D, C, P, P], patch_embed.proj.bias [D]
 * (a layer named "" in its network, so these are the full names, as the PyTorch twin's parameters directly on the
 * model come first). Groups: pos_embed and patch_embed.
 */
public final class PatchEmbedding implements Layer {
    private final int channels;
    private final int height;
    private final int width;
    private final int patch;
    private final int dim;
    private final int tokens;

    public PatchEmbedding(int channels, int height, int width, int patch, int dim) {
        if (channels <= 0 || patch <= 0 || dim <= 0 || height % patch != 0 || width % patch != 0) {
            throw new IllegalArgumentException("patch embedding: patch " + patch + " must divide the image " + height + "x"
                    + width + " and the sizes must be positive");
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.patch = patch;
        this.dim = dim;
        this.tokens = (height / patch) * (width / patch);
    }

    /** Number of tokens T. */
    public int tokens() {
        return tokens;
    }

    @Override
    public List<Param> params() {
        int fanIn = channels * patch * patch;
        return List.of(new Param("pos_embed", new int[] {1, tokens, dim}, dim, Param.Kind.EMBEDDING),
                new Param("patch_embed.proj.weight", new int[] {dim, channels, patch, patch}, fanIn),
                new Param("patch_embed.proj.bias", new int[] {dim}, fanIn));
    }

    @Override
    public List<Group> groups() {
        return List.of(new Group("pos_embed", "position embedding", new int[] {0}),
                new Group("patch_embed", "patch embedding", new int[] {1, 2}));
    }

    @Override
    public int[] outputShape(int[] s) {
        if (!Arrays.equals(s, new int[] {channels, height, width})) {
            throw new IllegalArgumentException(describe() + ": input shape " + Arrays.toString(s) + " is not ["
                    + channels + ", " + height + ", " + width + "]");
        }
        return new int[] {tokens, dim};
    }

    @Override
    public Var forward(Var[] p, Var x) {
        int n = x.shape()[0];
        int k = channels * patch * patch;
        // Patches [N, H/P, W/P, C·P·P] in row-major patch order, columns (c, i, j) as the flattened conv weight:
        // the stride-P convolution as one GEMM.
        Var cols = F.reshape(F.unfold(x, patch, patch, patch, 0), n * tokens, k);
        Var embedded = F.linear(cols, F.reshape(p[1], dim, k), p[2]);
        return F.add(F.reshape(embedded, n, tokens, dim), p[0]);
    }

    @Override
    public String describe() {
        return "patch embedding " + patch + "x" + patch + " → " + tokens + " tokens of " + dim;
    }
}
