package org.driftlab.autodiff;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.driftlab.tensor.Tensor;
import org.driftlab.tensor.Workspace;

/**
 * Reverse-mode differentiation over the recorded graph, and the transforms built from it: grad, vjp, jvp and
 * exact Hessian-vector products. No finite differences anywhere.
 *
 * <p>With {@code createGraph} the backward pass itself is recorded, so its results can be differentiated
 * again: hvp is the vjp of the gradient, jvp is the vjp of a vjp (linear in its cotangent), and a penalty such
 * as ‖∇E‖² is an ordinary differentiable function.
 */
public final class Autodiff {
    private Autodiff() {}

    /** E and ∇E at one point. */
    public record ValueAndGrad(double value, double[] gradient) {}

    /**
     * Cotangents of {@code wrt} for the given output cotangents: Σ_j cotangent_j · ∂output_j/∂wrt.
     * Variables not reached get a zero tensor. With createGraph the result is differentiable.
     */
    public static Var[] vjp(Var[] outputs, Var[] cotangents, Var[] wrt, boolean createGraph) {
        if (outputs.length != cotangents.length) {
            throw new IllegalArgumentException("vjp: " + outputs.length + " outputs but " + cotangents.length + " cotangents");
        }
        for (int i = 0; i < outputs.length; i++) {
            if (!outputs[i].value.sameShape(cotangents[i].value)) {
                throw new IllegalArgumentException("vjp: output shape " + outputs[i].value.shapeString()
                        + " and cotangent shape " + cotangents[i].value.shapeString() + " differ");
            }
        }
        return GradMode.with(createGraph, () -> backward(outputs, cotangents, wrt));
    }

    private static Var[] backward(Var[] outputs, Var[] cotangents, Var[] wrt) {
        Set<Var> targets = Collections.newSetFromMap(new IdentityHashMap<>());
        targets.addAll(Arrays.asList(wrt));

        // Collect the nodes that require a gradient, reachable from the outputs.
        List<Var> nodes = new ArrayList<>();
        Set<Var> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Var> stack = new ArrayDeque<>();
        for (Var o : outputs) {
            if (o.requiresGrad && seen.add(o)) {
                stack.push(o);
            }
        }
        while (!stack.isEmpty()) {
            Var v = stack.pop();
            nodes.add(v);
            if (v.inputs != null) {
                for (Var in : v.inputs) {
                    if (in.requiresGrad && seen.add(in)) {
                        stack.push(in);
                    }
                }
            }
        }
        // Creation order is a topological order: inputs always have smaller ids.
        nodes.sort((p, q) -> Long.compare(p.id, q.id));

        // A node is relevant when some target depends on it, i.e. it is a target or an input of it is relevant.
        Set<Var> relevant = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Var v : nodes) {
            boolean r = targets.contains(v);
            if (!r && v.inputs != null) {
                for (Var in : v.inputs) {
                    if (relevant.contains(in)) {
                        r = true;
                        break;
                    }
                }
            }
            if (r) {
                relevant.add(v);
            }
        }

        // Cotangent contributions per node, summed once when the node is reached (one n-ary sum instead of a
        // chain of pairwise adds, e.g. the six parameter-block cotangents of a 2-hidden-layer net into θ).
        Map<Var, List<Var>> grads = new IdentityHashMap<>();
        // Inside a workspace, without createGraph, the arrays this pass makes are its own: a cotangent is dead once
        // its node has been processed, unless a contribution still waiting in grads holds it (a rule may pass its
        // cotangent on unchanged, e.g. add's). Counting the waiting holders of each array lets every dead array go
        // back to the workspace at once, so the pass's working set is a few [N, width] arrays instead of all of them
        // (at N = 20000 a Hessian-vector product of the 784-200-200-10 net made 20 arrays of 32 MB each).
        // Arrays lent before the pass (the forward values the rules read, the caller's cotangents) are never touched.
        Holders holders = !GradMode.isEnabled() ? Holders.open() : null;
        for (int i = 0; i < outputs.length; i++) {
            if (relevant.contains(outputs[i])) {
                accumulate(grads, outputs[i], cotangents[i], holders);
            }
        }
        for (int idx = nodes.size() - 1; idx >= 0; idx--) {
            Var v = nodes.get(idx);
            if (v.inputs == null || !relevant.contains(v)) {
                continue;
            }
            List<Var> parts = targets.contains(v) ? grads.get(v) : grads.remove(v);
            if (parts == null) {
                continue;
            }
            Var g = F.addN(parts);
            if (holders != null) {
                for (Var p : parts) {
                    holders.drop(p);
                }
            }
            if (targets.contains(v)) {
                // keep the summed form, so the result below does not sum again
                parts.clear();
                parts.add(g);
                if (holders != null) {
                    holders.hold(g);
                }
            }
            boolean[] need = new boolean[v.inputs.length];
            boolean any = false;
            for (int i = 0; i < need.length; i++) {
                need[i] = v.inputs[i].requiresGrad && relevant.contains(v.inputs[i]);
                any |= need[i];
            }
            if (!any) {
                if (holders != null) {
                    holders.releaseDead();
                }
                continue;
            }
            Var[] gin = v.rule.backward(g, v, need);
            for (int i = 0; i < need.length; i++) {
                if (need[i] && gin[i] != null) {
                    if (!gin[i].value.sameShape(v.inputs[i].value)) {
                        throw new IllegalStateException("rule of " + v.op + " returned a cotangent of shape "
                                + gin[i].value.shapeString() + " for an input of shape " + v.inputs[i].value.shapeString());
                    }
                    accumulate(grads, v.inputs[i], gin[i], holders);
                }
            }
            if (holders != null) {
                holders.releaseDead(); // g, the parts summed into it and the rule's temporaries, unless still held
            }
        }
        Var[] result = new Var[wrt.length];
        for (int i = 0; i < wrt.length; i++) {
            List<Var> parts = grads.get(wrt[i]);
            result[i] = parts != null ? F.addN(parts) : Var.constant(Tensor.zeros(wrt[i].value.shape()));
        }
        return result;
    }

    private static void accumulate(Map<Var, List<Var>> grads, Var v, Var g, Holders holders) {
        grads.computeIfAbsent(v, k -> new ArrayList<>(2)).add(g);
        if (holders != null) {
            holders.hold(g);
        }
    }

    /**
     * How many waiting cotangent contributions hold each array, for a backward pass that returns its dead arrays
     * to the open {@link Workspace} as it goes (see {@link #backward}).
     */
    private static final class Holders {
        private final int mark;
        private final IdentityHashMap<double[], Integer> count = new IdentityHashMap<>();

        private Holders(int mark) {
            this.mark = mark;
        }

        /** Counting starts here when a workspace is open; null (nothing to release) otherwise. */
        static Holders open() {
            int mark = Workspace.mark();
            return mark < 0 ? null : new Holders(mark);
        }

        void hold(Var v) {
            count.merge(v.value.data(), 1, Integer::sum);
        }

        void drop(Var v) {
            count.computeIfPresent(v.value.data(), (k, c) -> c == 1 ? null : c - 1);
        }

        /** Every array lent since the pass began that no waiting contribution holds goes back to the workspace. */
        void releaseDead() {
            Workspace.releaseDead(mark, count::containsKey);
        }
    }

    /** Gradients of a scalar y with respect to wrt. */
    public static Var[] grad(Var y, Var[] wrt, boolean createGraph) {
        if (y.size() != 1) {
            throw new IllegalArgumentException("grad: output must be a scalar, got shape " + y.value.shapeString());
        }
        return vjp(new Var[] {y}, new Var[] {Var.constant(Tensor.full(1.0, y.shape()))}, wrt, createGraph);
    }

    /** Gradient of a scalar y with respect to one variable. */
    public static Var grad(Var y, Var x, boolean createGraph) {
        return grad(y, new Var[] {x}, createGraph)[0];
    }

    /** E(θ) and ∇E(θ) for a scalar function of a flat θ. */
    public static ValueAndGrad valueAndGrad(UnaryOperator<Var> f, double[] theta) {
        Var x = Var.param(Tensor.vector(theta.clone()));
        Var y = f.apply(x);
        Var g = grad(y, x, false);
        return new ValueAndGrad(y.item(), g.value.data());
    }

    /** ∇²E(θ)·v, exact: the vjp of the recorded gradient with cotangent v (the Hessian is symmetric). */
    public static double[] hvp(UnaryOperator<Var> f, double[] theta, double[] v) {
        return hessianAt(f, theta).apply(v);
    }

    /**
     * The Hessian at a fixed θ as a reusable product: the forward pass and the gradient graph are recorded
     * once, and each product only runs the second backward pass through them.
     */
    public static HessianProduct hessianAt(UnaryOperator<Var> f, double[] theta) {
        Var x = Var.param(Tensor.vector(theta.clone()));
        Var y = f.apply(x);
        Var g = grad(y, x, true);
        return new HessianProduct(x, y, g);
    }

    /** A Hessian at a fixed point with its gradient graph kept for repeated products. */
    public static final class HessianProduct {
        private final Var x;
        private final Var y;
        private final Var g;

        HessianProduct(Var x, Var y, Var g) {
            this.x = x;
            this.y = y;
            this.g = g;
        }

        public double value() {
            return y.item();
        }

        public double[] gradient() {
            return g.value.data().clone();
        }

        public int dim() {
            return x.size();
        }

        /** H·v. */
        public double[] apply(double[] v) {
            if (v.length != x.size()) {
                throw new IllegalArgumentException("hvp: vector of length " + v.length + " for θ of length " + x.size());
            }
            if (!g.requiresGrad) {
                return new double[v.length]; // the gradient does not depend on θ: H = 0
            }
            Var hv = vjp(new Var[] {g}, new Var[] {Var.constant(Tensor.vector(v.clone()))}, new Var[] {x}, false)[0];
            return hv.value.data();
        }
    }

    /** uᵀ·J_f(θ) for a vector-valued f. */
    public static double[] vjp(UnaryOperator<Var> f, double[] theta, double[] u) {
        Var x = Var.param(Tensor.vector(theta.clone()));
        Var y = f.apply(x);
        if (y.size() != u.length) {
            throw new IllegalArgumentException("vjp: output of size " + y.size() + " but cotangent of length " + u.length);
        }
        Var r = vjp(new Var[] {y}, new Var[] {Var.constant(Tensor.of(u.clone(), y.shape()))}, new Var[] {x}, false)[0];
        return r.value.data();
    }

    /**
     * J_f(θ)·v for a vector-valued f, by the transpose trick: w ↦ wᵀJ is linear in w, so its own vjp with
     * cotangent v is J·v. Exact, and it needs nothing beyond reverse mode.
     */
    public static double[] jvp(UnaryOperator<Var> f, double[] theta, double[] v) {
        if (v.length != theta.length) {
            throw new IllegalArgumentException("jvp: tangent of length " + v.length + " for θ of length " + theta.length);
        }
        Var x = Var.param(Tensor.vector(theta.clone()));
        Var y = f.apply(x);
        Var w = Var.param(Tensor.zeros(y.shape()));
        Var wj = vjp(new Var[] {y}, new Var[] {w}, new Var[] {x}, true)[0];
        if (!wj.requiresGrad) {
            return new double[y.size()];
        }
        Var jv = vjp(new Var[] {wj}, new Var[] {Var.constant(Tensor.vector(v.clone()))}, new Var[] {w}, false)[0];
        return jv.value.data();
    }
}
