package org.driftlab.flow;

import org.driftlab.autodiff.Autodiff;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.objective.Objective;
import org.driftlab.tensor.Tensor;

/**
 * E's gradient at one θ recorded so that it can be differentiated twice more: Hessian-vector products H(θ)v kept
 * as expressions of θ, and the third-derivative contractions ∇³E[u, v] = ∇_θ(uᵀ∇²E(θ)v) with u, v held fixed.
 * The central flows need ∇λᵢ = ∇³E[uᵢ, uᵢ] (and ∇³E[uᵢ, uⱼ] for several eigenvalues at the edge), the
 * third-order modified flow ∇³E[g, g]. Each contraction is one more reverse pass through a recorded
 * Hessian-vector product, which driftlab's autodiff allows because every derivative rule is written in
 * differentiable primitives. The graph is built on a flat θ through {@link Objective#loss}; one instance serves one
 * θ and one thread.
 */
final class ThirdOrderGraph {
    private final Var x;
    private final Var grad;

    private ThirdOrderGraph(Var x, Var grad) {
        this.x = x;
        this.grad = grad;
    }

    /** Records E and ∇E at θ (one forward and one graph-building backward pass). */
    static ThirdOrderGraph at(Objective objective, double[] theta) {
        objective.checkDim(theta);
        Var x = Var.param(Tensor.vector(theta.clone()));
        Var e = objective.loss(x);
        return new ThirdOrderGraph(x, Autodiff.grad(e, x, true));
    }

    /** True when ∇E does not depend on θ (E affine): every higher derivative vanishes. */
    boolean gradientIsConstant() {
        return !grad.requiresGrad();
    }

    /** ∇E(θ), a copy. */
    double[] gradient() {
        return grad.value().data().clone();
    }

    /** H(θ)v as a value only (no graph kept), a new array; zeros when ∇E is constant. */
    double[] hvp(double[] v) {
        if (gradientIsConstant()) {
            return new double[v.length];
        }
        return Autodiff.vjp(new Var[] {grad}, new Var[] {constant(v)}, new Var[] {x}, false)[0].value().data().clone();
    }

    /** H(θ)v kept as a differentiable expression of θ, for {@link Product#contract}. */
    Product times(double[] v) {
        if (gradientIsConstant()) {
            return new Product(null, new double[v.length]);
        }
        Var hv = Autodiff.vjp(new Var[] {grad}, new Var[] {constant(v)}, new Var[] {x}, true)[0];
        return new Product(hv, hv.value().data().clone());
    }

    /** ∇_θ(uᵀH(θ)v) = ∇³E[u, v] with u, v fixed, a new array. */
    double[] contraction(double[] u, double[] v) {
        return times(v).contract(u);
    }

    /** A recorded product H(θ)v. */
    final class Product {
        private final Var hv; // null when H vanishes identically
        private final double[] value;

        private Product(Var hv, double[] value) {
            this.hv = hv;
            this.value = value;
        }

        /** H(θ)v, a copy. */
        double[] value() {
            return value.clone();
        }

        /** ∇_θ(uᵀH(θ)v) with u fixed; zeros when H does not depend on θ. */
        double[] contract(double[] u) {
            if (hv == null || !hv.requiresGrad()) {
                return new double[u.length];
            }
            return Autodiff.grad(F.dot(hv, constant(u)), x, false).value().data().clone();
        }
    }

    private static Var constant(double[] v) {
        return Var.constant(Tensor.vector(v.clone()));
    }
}
