package org.driftlab.autodiff;

import java.util.Arrays;
import org.driftlab.tensor.Convolution;
import org.driftlab.tensor.Elementwise;
import org.driftlab.tensor.Layout;
import org.driftlab.tensor.MatMul;
import org.driftlab.tensor.Reductions;
import org.driftlab.tensor.Elementwise.Binary;
import org.driftlab.tensor.Elementwise.Unary;
import org.driftlab.tensor.Tensor;

/**
 * The differentiable primitives. Each method computes its value with a kernel of one of the {@code tensor}
 * families ({@link Elementwise}, {@link Reductions}, {@link Layout}, {@link MatMul}, {@link Convolution}) and
 * records one derivative rule, itself written with primitives from this class, so that gradients are differentiable again
 * (Hessian-vector products, gradient penalties, game Jacobians). Composite functions (mean, softmax, mse, ...)
 * are built from primitives and need no rule of their own.
 *
 * <p>Shape errors throw {@link IllegalArgumentException} naming the op and both shapes. NaN propagates through
 * values and derivatives; no rule turns it into zero.
 */
public final class F {
    private F() {}

    /** Records a node when recording is on and some input requires a gradient; otherwise a constant. */
    static Var node(String op, Tensor value, Var.Rule rule, Var... inputs) {
        if (GradMode.isEnabled()) {
            for (Var in : inputs) {
                if (in.requiresGrad) {
                    return new Var(value, inputs, rule, op, true);
                }
            }
        }
        return new Var(value, null, null, op, false);
    }

    private static Var[] grads(Var... g) {
        return g;
    }

    // ------------------------------------------------------------------ arithmetic with broadcasting

    public static Var add(Var a, Var b) {
        return node("add", Elementwise.binary(Binary.ADD, a.value, b.value), (g, out, need) -> grads(
                need[0] ? sumTo(g, a.value.shape()) : null,
                need[1] ? sumTo(g, b.value.shape()) : null), a, b);
    }

    public static Var sub(Var a, Var b) {
        return node("sub", Elementwise.binary(Binary.SUB, a.value, b.value), (g, out, need) -> grads(
                need[0] ? sumTo(g, a.value.shape()) : null,
                need[1] ? sumTo(neg(g), b.value.shape()) : null), a, b);
    }

    public static Var mul(Var a, Var b) {
        return node("mul", Elementwise.binary(Binary.MUL, a.value, b.value), (g, out, need) -> grads(
                need[0] ? sumTo(mul(g, b), a.value.shape()) : null,
                need[1] ? sumTo(mul(g, a), b.value.shape()) : null), a, b);
    }

    public static Var div(Var a, Var b) {
        return node("div", Elementwise.binary(Binary.DIV, a.value, b.value), (g, out, need) -> grads(
                need[0] ? sumTo(div(g, b), a.value.shape()) : null,
                need[1] ? sumTo(neg(mul(g, div(out, b))), b.value.shape()) : null), a, b);
    }

    /**
     * The sum of same-shape tensors in list order, in one pass (Autodiff's cotangent accumulation). Equal bitwise
     * to the chain of pairwise {@link #add}s it replaces.
     */
    static Var addN(java.util.List<Var> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        Tensor[] ts = new Tensor[parts.size()];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = parts.get(i).value;
        }
        Var[] in = parts.toArray(new Var[0]);
        return node("addN", Elementwise.sumOf(ts), (g, out, need) -> {
            Var[] r = new Var[need.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = need[i] ? g : null;
            }
            return r;
        }, in);
    }

    public static Var neg(Var a) {
        return node("neg", Elementwise.unary(Unary.NEG, a.value), (g, out, need) -> grads(neg(g)), a);
    }

    /** c·a for a constant c. */
    public static Var scale(Var a, double c) {
        return node("scale", Elementwise.binary(Binary.MUL, a.value, Tensor.scalar(c)),
                (g, out, need) -> grads(scale(g, c)), a);
    }

    /** a + c for a constant c. */
    public static Var addScalar(Var a, double c) {
        return node("addScalar", Elementwise.binary(Binary.ADD, a.value, Tensor.scalar(c)),
                (g, out, need) -> grads(g), a);
    }

    /** a^p for a constant exponent p. */
    public static Var pow(Var a, double p) {
        return node("pow", Elementwise.binary(Binary.POW, a.value, Tensor.scalar(p)),
                (g, out, need) -> grads(mul(g, scale(pow(a, p - 1), p))), a);
    }

    // ------------------------------------------------------------------ broadcasting and reductions

    /** Sums over broadcast dimensions down to shape (the adjoint of {@link #broadcastTo}). */
    public static Var sumTo(Var a, int[] shape) {
        if (a.value.hasShape(shape)) {
            return a;
        }
        return node("sumTo", Reductions.sumToShape(a.value, shape),
                (g, out, need) -> grads(broadcastTo(g, a.value.shape())), a);
    }

    /** Repeats a to shape under NumPy broadcasting. */
    public static Var broadcastTo(Var a, int[] shape) {
        if (a.value.hasShape(shape)) {
            return a;
        }
        return node("broadcast", Elementwise.broadcastTo(a.value, shape),
                (g, out, need) -> grads(sumTo(g, a.value.shape())), a);
    }

    /** Sum of all elements (a scalar of shape []). */
    public static Var sum(Var a) {
        return node("sum", Tensor.scalar(Reductions.sumAll(a.value)),
                (g, out, need) -> grads(broadcastTo(g, a.value.shape())), a);
    }

    /** Sum along an axis; keepDims keeps it with size 1. */
    public static Var sum(Var a, int axis, boolean keepDims) {
        int[] s = a.value.shape();
        int ax = axis < 0 ? axis + s.length : axis;
        int[] kept = s.clone();
        if (ax >= 0 && ax < s.length) {
            kept[ax] = 1;
        }
        return node("sumAxis", Reductions.sumAxis(a.value, axis, keepDims),
                (g, out, need) -> grads(broadcastTo(reshape(g, kept), s)), a);
    }

    public static Var mean(Var a) {
        return scale(sum(a), 1.0 / a.size());
    }

    public static Var mean(Var a, int axis, boolean keepDims) {
        int n = a.value.dim(axis);
        return scale(sum(a, axis, keepDims), 1.0 / n);
    }

    // ------------------------------------------------------------------ linear algebra and layout

    public static Var matmul(Var a, Var b) {
        return matmul(a, false, b, false);
    }

    /** op(a)·op(b), where op transposes when the flag is set; one primitive so no transpose is materialised. */
    public static Var matmul(Var a, boolean ta, Var b, boolean tb) {
        Tensor v = MatMul.matmul(a.value, ta, b.value, tb);
        return node("matmul", v, (g, out, need) -> {
            Var ga = null;
            Var gb = null;
            if (!ta && !tb) { // C = A B
                ga = need[0] ? matmul(g, false, b, true) : null;
                gb = need[1] ? matmul(a, true, g, false) : null;
            } else if (ta && !tb) { // C = Aᵀ B
                ga = need[0] ? matmul(b, false, g, true) : null;
                gb = need[1] ? matmul(a, false, g, false) : null;
            } else if (!ta) { // C = A Bᵀ
                ga = need[0] ? matmul(g, false, b, false) : null;
                gb = need[1] ? matmul(g, true, a, false) : null;
            } else { // C = Aᵀ Bᵀ
                ga = need[0] ? matmul(b, true, g, true) : null;
                gb = need[1] ? matmul(g, true, a, true) : null;
            }
            return grads(ga, gb);
        }, a, b);
    }

    /**
     * op(a[i])·op(b[i]) over a batch (a [B, m, k], b [B, k, n], transposes by flag; the products of attention), one
     * primitive whose rule is made of batched products again, as {@link #matmul}'s.
     */
    public static Var bmm(Var a, boolean ta, Var b, boolean tb) {
        Tensor v = MatMul.batched(a.value, ta, b.value, tb);
        return node("bmm", v, (g, out, need) -> {
            Var ga = null;
            Var gb = null;
            if (!ta && !tb) { // C = A B
                ga = need[0] ? bmm(g, false, b, true) : null;
                gb = need[1] ? bmm(a, true, g, false) : null;
            } else if (ta && !tb) { // C = Aᵀ B
                ga = need[0] ? bmm(b, false, g, true) : null;
                gb = need[1] ? bmm(a, false, g, false) : null;
            } else if (!ta) { // C = A Bᵀ
                ga = need[0] ? bmm(g, false, b, false) : null;
                gb = need[1] ? bmm(g, true, a, false) : null;
            } else { // C = Aᵀ Bᵀ
                ga = need[0] ? bmm(b, true, g, true) : null;
                gb = need[1] ? bmm(g, true, a, true) : null;
            }
            return grads(ga, gb);
        }, a, b);
    }

    /**
     * x·wᵀ + b, a dense layer (x [N, in], w [out, in], b [out]) fused into one GEMM over a bias-filled output;
     * its rule is the one of matmul followed by a broadcast add, so higher derivatives work as for those.
     */
    public static Var linear(Var x, Var w, Var b) {
        return node("linear", MatMul.linear(x.value, w.value, b.value), (g, out, need) -> grads(
                need[0] ? matmul(g, false, w, false) : null,
                need[1] ? matmul(g, true, x, false) : null,
                need[2] ? sumTo(g, b.value.shape()) : null), x, w, b);
    }

    public static Var transpose(Var a) {
        return node("transpose", Layout.transpose(a.value), (g, out, need) -> grads(transpose(g)), a);
    }

    /** Axis permutation. */
    public static Var permute(Var a, int... perm) {
        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] >= 0 && perm[i] < perm.length) {
                inverse[perm[i]] = i;
            }
        }
        return node("permute", Layout.permute(a.value, perm), (g, out, need) -> grads(permute(g, inverse)), a);
    }

    public static Var reshape(Var a, int... shape) {
        if (a.value.hasShape(shape)) {
            return a;
        }
        int[] orig = a.value.shape();
        return node("reshape", a.value.reshape(shape), (g, out, need) -> grads(reshape(g, orig)), a);
    }

    /** Elements [from, to) along axis. */
    public static Var slice(Var a, int axis, int from, int to) {
        int[] full = a.value.shape();
        return node("slice", Layout.slice(a.value, axis, from, to),
                (g, out, need) -> grads(pad(g, axis, from, full)), a);
    }

    /** a placed at offset from along axis inside zeros of fullShape (the adjoint of slice). */
    public static Var pad(Var a, int axis, int from, int[] fullShape) {
        int len = a.value.dim(axis);
        return node("pad", Layout.pad(a.value, axis, from, fullShape),
                (g, out, need) -> grads(slice(g, axis, from, from + len)), a);
    }

    /** Concatenation along axis. */
    public static Var concat(int axis, Var... parts) {
        Tensor[] ts = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            ts[i] = parts[i].value;
        }
        Tensor v = Layout.concat(axis, ts);
        return node("concat", v, (g, out, need) -> {
            Var[] r = new Var[parts.length];
            int at = 0;
            for (int i = 0; i < parts.length; i++) {
                int len = parts[i].value.dim(axis);
                r[i] = need[i] ? slice(g, axis, at, at + len) : null;
                at += len;
            }
            return r;
        }, parts);
    }

    // ------------------------------------------------------------------ elementwise functions

    public static Var exp(Var a) {
        return node("exp", Elementwise.unary(Unary.EXP, a.value), (g, out, need) -> grads(mul(g, out)), a);
    }

    public static Var log(Var a) {
        return node("log", Elementwise.unary(Unary.LOG, a.value), (g, out, need) -> grads(div(g, a)), a);
    }

    public static Var tanh(Var a) {
        return node("tanh", Elementwise.unary(Unary.TANH, a.value), (g, out, need) -> grads(tanhBackward(out, g)), a);
    }

    /**
     * g·(1 − y²), the tanh derivative applied to a cotangent, as one fused primitive (it sits on the hot path
     * of every backward pass through a tanh layer). Its own rule makes tanh twice differentiable and more.
     */
    public static Var tanhBackward(Var y, Var g) {
        Tensor v = Elementwise.tanhBackward(y.value, g.value);
        return node("tanhBackward", v, (g2, out, need) -> grads(
                need[0] ? scale(mul(mul(g2, g), y), -2.0) : null,
                need[1] ? tanhBackward(y, g2) : null), y, g);
    }

    public static Var relu(Var a) {
        return node("relu", Elementwise.unary(Unary.RELU, a.value), (g, out, need) -> grads(mul(g, step(a))), a);
    }

    /** Heaviside step 1[a > 0] as a constant: its derivative is zero almost everywhere. NaN stays NaN. */
    public static Var step(Var a) {
        return Var.constant(Elementwise.unary(Unary.STEP, a.value));
    }

    /** sign(a) as a constant (derivative zero almost everywhere). */
    public static Var sign(Var a) {
        return Var.constant(Elementwise.unary(Unary.SIGN, a.value));
    }

    public static Var sigmoid(Var a) {
        return node("sigmoid", Elementwise.unary(Unary.SIGMOID, a.value),
                (g, out, need) -> grads(mul(g, mul(out, addScalar(neg(out), 1.0)))), a);
    }

    public static Var softplus(Var a) {
        return node("softplus", Elementwise.unary(Unary.SOFTPLUS, a.value), (g, out, need) -> grads(mul(g, sigmoid(a))), a);
    }

    /** ELU with α = 1: a for a > 0, exp(a) − 1 otherwise. */
    public static Var elu(Var a) {
        return node("elu", Elementwise.unary(Unary.ELU, a.value),
                (g, out, need) -> grads(mul(g, add(step(a), expNegativePart(a)))), a);
    }

    /** exp(a) where a ≤ 0 and 0 where a > 0: the smooth part of the ELU derivative, its own derivative. */
    static Var expNegativePart(Var a) {
        return node("expNeg", Elementwise.unary(Unary.EXP_NEG_PART, a.value), (g, out, need) -> grads(mul(g, out)), a);
    }

    /**
     * Exact GELU, a·Φ(a) with Φ the standard normal CDF: a composite, so the gradient reuses the Φ(a) of the forward
     * pass and adds one density evaluation, instead of a second erfc.
     */
    public static Var gelu(Var a) {
        return mul(a, normalCdf(a));
    }

    /** The standard normal CDF Φ(a); Φ'(a) = φ(a). */
    public static Var normalCdf(Var a) {
        return node("normalCdf", Elementwise.unary(Unary.NORMAL_CDF, a.value), (g, out, need) -> grads(mul(g, normalPdf(a))), a);
    }

    /** Standard normal density φ(a); φ'(a) = −a·φ(a). */
    public static Var normalPdf(Var a) {
        return node("normalPdf", Elementwise.unary(Unary.NORMAL_PDF, a.value),
                (g, out, need) -> grads(mul(g, mul(neg(a), out))), a);
    }

    public static Var square(Var a) {
        return node("square", Elementwise.unary(Unary.SQUARE, a.value), (g, out, need) -> grads(mul(g, scale(a, 2.0))), a);
    }

    public static Var sqrt(Var a) {
        return node("sqrt", Elementwise.unary(Unary.SQRT, a.value), (g, out, need) -> grads(div(scale(g, 0.5), out)), a);
    }

    public static Var abs(Var a) {
        return node("abs", Elementwise.unary(Unary.ABS, a.value), (g, out, need) -> grads(mul(g, sign(a))), a);
    }

    // ------------------------------------------------------------------ classification

    /** Log-softmax along the last axis: row-wise for [N, K] logits, per row of the last axis for any rank. */
    public static Var logSoftmax(Var a) {
        int[] s = a.value.shape();
        if (s.length == 2) {
            return node("logSoftmax", Reductions.logSoftmax(a.value),
                    (g, out, need) -> grads(sub(g, mul(exp(out), sum(g, 1, true)))), a);
        }
        if (s.length == 0) {
            throw new IllegalArgumentException("logSoftmax: expects at least one axis, got a scalar");
        }
        int last = s[s.length - 1];
        return reshape(logSoftmax(reshape(a, a.size() / Math.max(1, last), last)), s);
    }

    /**
     * Softmax along the last axis, any rank: one primitive (a row pass) whose rule y⊙(g − Σ_j g_j·y_j) is written in
     * primitives.
     */
    public static Var softmax(Var a) {
        if (a.value.rank() == 0) {
            throw new IllegalArgumentException("softmax: expects at least one axis, got a scalar");
        }
        int last = a.value.rank() - 1;
        return node("softmax", Reductions.softmax(a.value),
                (g, out, need) -> grads(mul(out, sub(g, sum(mul(g, out), last, true)))), a);
    }

    /**
     * Each row of the last axis centred and scaled to unit variance, (x − μ)/√(σ² + eps) with the biased σ²:
     * LayerNorm before its gain and shift, as one primitive. Rule: r·(g − mean(g) − y·mean(g⊙y)) with y the output
     * and r = {@link #rowInverseStd}(x), both primitives, so it is differentiable to any order.
     */
    public static Var normalizeRows(Var x, double eps) {
        if (x.value.rank() == 0) {
            throw new IllegalArgumentException("normalizeRows: expects at least one axis, got a scalar");
        }
        int last = x.value.rank() - 1;
        return node("normalizeRows", Reductions.normalizeRows(x.value, eps), (g, out, need) -> {
            Var centred = sub(sub(g, mean(g, last, true)), mul(out, mean(mul(g, out), last, true)));
            return grads(mul(rowInverseStd(x, eps), centred));
        }, x);
    }

    /**
     * r = 1/√(σ² + eps) of each row of the last axis ([..., 1]), the scale of {@link #normalizeRows}. Rule:
     * ∂r/∂x_j = −(r²/d)·y_j with y = normalizeRows(x), so g_x = −(g·r²/d)⊙y.
     */
    public static Var rowInverseStd(Var x, double eps) {
        int d = x.value.dim(-1);
        return node("rowInverseStd", Reductions.rowInverseStd(x.value, eps),
                (g, out, need) -> grads(mul(scale(mul(g, square(out)), -1.0 / d), normalizeRows(x, eps))), x);
    }

    /** out[i] = a[i, labels[i]]. */
    public static Var gatherByLabel(Var a, int[] labels) {
        int k = a.value.dim(1);
        return node("gatherByLabel", Layout.gatherByLabel(a.value, labels),
                (g, out, need) -> grads(scatterByLabel(g, labels, k)), a);
    }

    /** The adjoint of gatherByLabel: [N, k] with g[i] at (i, labels[i]). */
    public static Var scatterByLabel(Var g, int[] labels, int k) {
        return node("scatterByLabel", Layout.scatterByLabel(g.value, labels, k),
                (g2, out, need) -> grads(gatherByLabel(g2, labels)), g);
    }

    /**
     * Mean softmax cross-entropy (1/N)Σ_i [logsumexp(z_i) − z_{i,y_i}] of logits z [N, K], fused and stable;
     * its rule (softmax(z) − onehot(y))/N is composed from primitives, so it is differentiable again.
     */
    public static Var softmaxCrossEntropy(Var logits, int[] labels) {
        if (logits.value.rank() != 2) {
            throw new IllegalArgumentException("softmaxCrossEntropy: logits must be [N, K], got " + logits.value.shapeString());
        }
        int n = logits.value.dim(0);
        int k = logits.value.dim(1);
        Tensor logp = Reductions.logSoftmax(logits.value);
        double loss = -Reductions.sumAll(Layout.gatherByLabel(logp, labels)) / n;
        return node("softmaxCrossEntropy", Tensor.scalar(loss), (g, out, need) -> {
            Var residual = sub(softmax(logits), Var.constant(Layout.oneHot(labels, k)));
            return grads(mul(broadcastTo(g, new int[] {n, k}), scale(residual, 1.0 / n)));
        }, logits);
    }

    /** Inner product Σ a⊙b of two tensors of the same shape (composite). */
    public static Var dot(Var a, Var b) {
        if (!a.value.sameShape(b.value)) {
            throw new IllegalArgumentException("dot: shapes " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()) + " differ");
        }
        return sum(mul(a, b));
    }

    // ------------------------------------------------------------------ convolution and pooling (NCHW)

    /**
     * im2col: the k×k patches of x [N, C, H, W] as [N, OH, OW, C·kh·kw] (see {@link Convolution#unfold}). Linear, with
     * {@link #fold} as its adjoint rule and vice versa, so convolutions are differentiable to any order.
     */
    public static Var unfold(Var x, int kh, int kw, int stride, int pad) {
        int[] inShape = x.value.shape();
        return node("unfold", Convolution.unfold(x.value, kh, kw, stride, pad),
                (g, out, need) -> grads(fold(g, inShape, kh, kw, stride, pad)), x);
    }

    /** col2im: patches [N, OH, OW, C·kh·kw] summed into an image of shape inShape (the adjoint of unfold). */
    public static Var fold(Var cols, int[] inShape, int kh, int kw, int stride, int pad) {
        int[] shape = inShape.clone();
        return node("fold", Convolution.fold(cols.value, shape, kh, kw, stride, pad),
                (g, out, need) -> grads(unfold(g, kh, kw, stride, pad)), cols);
    }

    /**
     * 2-D cross-correlation (PyTorch's Conv2d) of x [N, C, H, W] with w [O, C, kh, kw] and optional bias b [O],
     * giving [N, O, OH, OW]. Composite: unfold, one GEMM with the flattened weight, a reshape and a permute.
     */
    public static Var conv2d(Var x, Var w, Var b, int stride, int pad) {
        if (x.value.rank() != 4 || w.value.rank() != 4 || x.value.dim(1) != w.value.dim(1)) {
            throw new IllegalArgumentException("conv2d: input " + x.value.shapeString() + " and weight "
                    + w.value.shapeString() + " must be [N, C, H, W] and [O, C, kh, kw]");
        }
        int o = w.value.dim(0);
        int kh = w.value.dim(2);
        int kw = w.value.dim(3);
        Var cols = unfold(x, kh, kw, stride, pad);
        int n = cols.value.dim(0);
        int oh = cols.value.dim(1);
        int ow = cols.value.dim(2);
        int k = cols.value.dim(3);
        Var y = matmul(reshape(cols, n * oh * ow, k), false, reshape(w, o, k), true);
        if (b != null) {
            y = add(y, b);
        }
        return permute(reshape(y, n, oh, ow, o), 0, 3, 1, 2);
    }

    /** out[i] = x.flat[idx[i]] with constant indices, shaped outShape; its adjoint is {@link #scatterAddFlat}. */
    public static Var gatherFlat(Var x, int[] idx, int[] outShape) {
        int[] inShape = x.value.shape();
        return node("gatherFlat", Layout.gatherFlat(x.value, idx, outShape),
                (g, out, need) -> grads(scatterAddFlat(g, idx, inShape)), x);
    }

    /** Zeros of inShape with g[i] added at flat index idx[i] (the adjoint of gatherFlat). */
    public static Var scatterAddFlat(Var g, int[] idx, int[] inShape) {
        int[] gShape = g.value.shape();
        return node("scatterAddFlat", Layout.scatterAddFlat(g.value, idx, inShape),
                (g2, out, need) -> grads(gatherFlat(g2, idx, gShape)), g);
    }

    /**
     * Max pooling of x [N, C, H, W] over kh×kw windows with the given stride (no padding): a gather at the argmax
     * indices, which are constants of the value (ties: first index), so the derivative is exact almost everywhere.
     */
    public static Var maxPool2d(Var x, int kh, int kw, int stride) {
        int[] idx = Convolution.maxPoolIndices(x.value, kh, kw, stride);
        int[] s = x.value.shape();
        int oh = Convolution.windowCount(s[2], kh, stride, 0);
        int ow = Convolution.windowCount(s[3], kw, stride, 0);
        return gatherFlat(x, idx, new int[] {s[0], s[1], oh, ow});
    }

    /** Average pooling over kh×kw windows (no padding); composite: per-channel unfold, then the mean of each patch. */
    public static Var avgPool2d(Var x, int kh, int kw, int stride) {
        if (x.value.rank() != 4) {
            throw new IllegalArgumentException("avgPool2d: expects [N, C, H, W], got " + x.value.shapeString());
        }
        int[] s = x.value.shape();
        Var cols = unfold(reshape(x, s[0] * s[1], 1, s[2], s[3]), kh, kw, stride, 0);
        int oh = cols.value.dim(1);
        int ow = cols.value.dim(2);
        return reshape(mean(cols, 3, false), s[0], s[1], oh, ow);
    }

    /**
     * Elementwise minimum with broadcasting. The derivative follows the selected argument (ties: a), through a
     * constant 0/1 mask, so it is exact away from the switching set a = b.
     */
    public static Var minimum(Var a, Var b) {
        Tensor mask = Elementwise.lessOrEqualMask(a.value, b.value);
        Var pickA = Var.constant(mask);
        Var pickB = Var.constant(Elementwise.binary(Binary.SUB, Tensor.scalar(1.0), mask));
        Tensor v = Elementwise.binary(Binary.MIN, a.value, b.value);
        return node("minimum", v, (g, out, need) -> grads(
                need[0] ? sumTo(mul(g, pickA), a.value.shape()) : null,
                need[1] ? sumTo(mul(g, pickB), b.value.shape()) : null), a, b);
    }
}
