package org.driftlab.autodiff;

import java.util.concurrent.atomic.AtomicLong;
import org.driftlab.tensor.Tensor;

/**
 * A node of the computation graph: a tensor value, and (when it depends on a variable that requires a
 * gradient) the primitive that made it, its inputs and the primitive's derivative rule.
 *
 * <p>Nodes are numbered in creation order, so reverse creation order is a topological order of the graph: that
 * numbering is driftlab's tape. Graphs are immutable and never freed explicitly, so a gradient graph can be
 * differentiated again, or reused for many vector-Jacobian products (Hessian-vector products at a fixed θ).
 */
public final class Var {
    private static final AtomicLong COUNTER = new AtomicLong();

    final long id;
    final Tensor value;
    final Var[] inputs;
    final Rule rule;
    final String op;
    final boolean requiresGrad;

    /**
     * The vector-Jacobian product of one primitive: given the cotangent g of its output, the cotangents of its
     * inputs (entries may be null where {@code need[i]} is false or the derivative is zero). Rules are written in
     * differentiable primitives of {@link F}, which is what makes higher derivatives work.
     */
    @FunctionalInterface
    public interface Rule {
        Var[] backward(Var g, Var out, boolean[] need);
    }

    Var(Tensor value, Var[] inputs, Rule rule, String op, boolean requiresGrad) {
        this.id = COUNTER.incrementAndGet();
        this.value = value;
        this.inputs = inputs;
        this.rule = rule;
        this.op = op;
        this.requiresGrad = requiresGrad;
    }

    /** A leaf that requires its gradient (a parameter or any input we differentiate with respect to). */
    public static Var param(Tensor value) {
        return new Var(value, null, null, "param", true);
    }

    /** A leaf treated as constant (data, targets). */
    public static Var constant(Tensor value) {
        return new Var(value, null, null, "const", false);
    }

    public static Var constant(double v) {
        return constant(Tensor.scalar(v));
    }

    /** The same value cut off from the graph (stop-gradient, "sg" in the papers). */
    public Var detach() {
        return constant(value);
    }

    public Tensor value() {
        return value;
    }

    public int[] shape() {
        return value.shape();
    }

    public int size() {
        return value.size();
    }

    /** The single value of a one-element variable. */
    public double item() {
        return value.item();
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Name of the primitive that produced this node ("param" or "const" for leaves). */
    public String op() {
        return op;
    }

    @Override
    public String toString() {
        return "Var(" + op + ", " + value.shapeString() + ")";
    }

    // Fluent forms of the most common primitives, for readable model code.
    public Var add(Var o) { return F.add(this, o); }
    public Var sub(Var o) { return F.sub(this, o); }
    public Var mul(Var o) { return F.mul(this, o); }
    public Var div(Var o) { return F.div(this, o); }
    public Var mul(double c) { return F.scale(this, c); }
    public Var add(double c) { return F.addScalar(this, c); }
    public Var neg() { return F.neg(this); }
    public Var matmul(Var o) { return F.matmul(this, o); }
    public Var sum() { return F.sum(this); }
    public Var mean() { return F.mean(this); }
    public Var square() { return F.square(this); }
    public Var reshape(int... shape) { return F.reshape(this, shape); }
    public Var t() { return F.transpose(this); }
}
