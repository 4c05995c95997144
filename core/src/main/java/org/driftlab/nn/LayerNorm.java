package org.driftlab.nn;

import java.util.Arrays;
import java.util.List;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;

/**
 * Layer normalisation over the last axis with a learned gain and shift (PyTorch's LayerNorm(dim), eps 1e-5):
 * y = (x − μ)/√(σ² + ε)·weight + bias, μ and σ² the mean and biased variance of each row of the last axis.
 * Parameters weight [dim] (ones at initialisation), then bias [dim] (zeros).
 *
 * <p>It normalises each example by itself, so E(θ) stays one deterministic function of θ. This is why driftlab has
 * no BatchNorm: its training mode normalises by the statistics of the current batch (E of one example depends on
 * the others in its batch and on the chunking) and its evaluation mode by running averages that the training loop
 * updates, so the loss being differentiated would not be the loss being measured.
 *
 * <p>The normalisation is one primitive ({@link F#normalizeRows}, one pass per row) whose derivative rule is written
 * in primitives, so LayerNorm is differentiable to any order.
 */
public final class LayerNorm implements Layer {
    /** PyTorch's default ε. */
    public static final double EPS = 1e-5;

    private final int dim;

    public LayerNorm(int dim) {
        if (dim <= 0) {
            throw new IllegalArgumentException("layernorm: size must be positive, got " + dim);
        }
        this.dim = dim;
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("weight", new int[] {dim}, dim, Param.Kind.SCALE),
                new Param("bias", new int[] {dim}, dim, Param.Kind.SHIFT));
    }

    @Override
    public int[] outputShape(int[] s) {
        if (s.length == 0 || s[s.length - 1] != dim) {
            throw new IllegalArgumentException(describe() + ": input shape " + Arrays.toString(s) + " does not end in " + dim);
        }
        return s.clone();
    }

    @Override
    public Var forward(Var[] p, Var x) {
        return apply(x, p[0], p[1]);
    }

    /** LayerNorm of x over its last axis with gain w and shift b (both [size of the last axis]). */
    public static Var apply(Var x, Var w, Var b) {
        return F.add(F.mul(F.normalizeRows(x, EPS), w), b);
    }

    @Override
    public String describe() {
        return "layernorm " + dim;
    }
}
