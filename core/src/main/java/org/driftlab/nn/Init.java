package org.driftlab.nn;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.driftlab.linalg.Gaussian;

/**
 * Parameter initialisers. Each fills one parameter block; biases (rank-1 blocks) follow the same scheme's bias
 * rule. Seeded through the caller's {@link SplittableRandom}, so the same seed gives the same θ.
 */
public enum Init {
    /** PyTorch's default for Linear/Conv: Kaiming-uniform with a=√5, i.e. U(±1/√fan_in), bias U(±1/√fan_in). */
    PYTORCH,
    /** Xavier/Glorot uniform U(±√(6/(fan_in+fan_out))), bias zero. */
    XAVIER,
    /** LeCun normal N(0, 1/fan_in), bias zero. */
    LECUN,
    /** All zeros. */
    ZEROS;

    /**
     * Fills block p of theta starting at offset. Weights and biases follow the scheme; normalisation gains and
     * shifts are ones and zeros and embeddings N(0, 0.02²) under every scheme but {@link #ZEROS}, as PyTorch's
     * LayerNorm and timm's position embedding initialise themselves.
     */
    public void fill(Layer.Param p, double[] theta, int offset, SplittableRandom rng) {
        int n = p.size();
        if (this != ZEROS && p.kind() == Layer.Param.Kind.SCALE) {
            java.util.Arrays.fill(theta, offset, offset + n, 1.0);
            return;
        }
        if (p.kind() == Layer.Param.Kind.SHIFT || this == ZEROS) {
            java.util.Arrays.fill(theta, offset, offset + n, 0.0);
            return;
        }
        if (p.kind() == Layer.Param.Kind.EMBEDDING) {
            for (int i = 0; i < n; i++) {
                theta[offset + i] = EMBEDDING_STD * Gaussian.draw(rng);
            }
            return;
        }
        boolean bias = p.kind() == Layer.Param.Kind.BIAS;
        int fanIn = p.fanIn();
        int fanOut = bias ? n : p.shape()[0] * receptive(p);
        switch (this) {
            case PYTORCH: {
                double a = 1.0 / Math.sqrt(fanIn);
                for (int i = 0; i < n; i++) {
                    theta[offset + i] = rng.nextDouble(-a, a);
                }
                break;
            }
            case XAVIER: {
                if (bias) {
                    Arrays.fill(theta, offset, offset + n, 0.0);
                    break;
                }
                double a = Math.sqrt(6.0 / (fanIn + fanOut));
                for (int i = 0; i < n; i++) {
                    theta[offset + i] = rng.nextDouble(-a, a);
                }
                break;
            }
            case LECUN: {
                if (bias) {
                    Arrays.fill(theta, offset, offset + n, 0.0);
                    break;
                }
                double s = 1.0 / Math.sqrt(fanIn);
                for (int i = 0; i < n; i++) {
                    theta[offset + i] = s * Gaussian.draw(rng);
                }
                break;
            }
            default: // ZEROS
                Arrays.fill(theta, offset, offset + n, 0.0);
                break;
        }
    }

    /** Standard deviation of a learned embedding's initial entries (timm's ViT position embedding). */
    static final double EMBEDDING_STD = 0.02;

    /** Receptive field size of a weight block [out, in, kh, kw] (1 for dense weights). */
    private static int receptive(Layer.Param p) {
        int r = 1;
        for (int i = 2; i < p.shape().length; i++) {
            r *= p.shape()[i];
        }
        return r;
    }

    /** Parses "pytorch", "xavier", "lecun", "zeros". */
    public static Init parse(String s) {
        for (Init i : values()) {
            if (i.name().equalsIgnoreCase(s)) {
                return i;
            }
        }
        throw new org.driftlab.DriftlabException("unknown initialiser '" + s + "'; allowed: pytorch, xavier, lecun, zeros");
    }
}
