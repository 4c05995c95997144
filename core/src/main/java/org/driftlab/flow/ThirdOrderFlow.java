package org.driftlab.flow;

import java.util.Objects;
import org.driftlab.autodiff.Autodiff;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.objective.Objective;
import org.driftlab.tensor.Tensor;

/**
 * The third-order modified flow of gradient descent (backward error analysis to O(h²); DeepMind
 * discretisation_drift colab {@code third_order_modified_vector_field}):
 * θ̇ = −[g + (h/2)Hg + h²((1/3)H²g + (1/12)∇³E[g,g])] with g = ∇E, H = ∇²E. GD follows it with a one-step local
 * error O(h⁴).
 *
 * <p>The third-derivative term is ∇_θ(sg(g)ᵀ H(θ) sg(g)), g held fixed: one more level of reverse mode through
 * the recorded Hessian-vector product, which driftlab's autodiff supports because every derivative rule is
 * itself differentiable. Cost per evaluation: one forward pass and four backward passes of increasing order.
 */
public final class ThirdOrderFlow implements VectorField {
    private final Objective objective;
    private final double h;

    /** The third-order flow of E for learning rate h ≥ 0. */
    public ThirdOrderFlow(Objective objective, double h) {
        this.objective = Objects.requireNonNull(objective, "objective");
        this.h = Checks.learningRate(h);
    }

    /** The learning rate h. */
    public double h() {
        return h;
    }

    @Override
    public int dim() {
        return objective.dim();
    }

    /** The four terms at θ: {g, Hg, H²g, ∇³E[g,g]}, each of length D (exposed for tests and diagnostics). */
    public double[][] terms(double[] theta) {
        objective.checkDim(theta);
        Var x = Var.param(Tensor.vector(theta.clone()));
        Var e = objective.loss(x);
        Var grad = Autodiff.grad(e, x, true);
        double[] g = grad.value().data().clone();
        if (!grad.requiresGrad()) {
            // ∇E does not depend on θ (E linear): every higher term vanishes.
            return new double[][] {g, new double[g.length], new double[g.length], new double[g.length]};
        }
        Var gConst = Var.constant(Tensor.vector(g.clone()));
        // Hg as a differentiable expression of θ (the graph is kept for the third-order term).
        Var hgVar = Autodiff.vjp(new Var[] {grad}, new Var[] {gConst}, new Var[] {x}, true)[0];
        double[] hg = hgVar.value().data().clone();
        double[] h2g = Autodiff.vjp(new Var[] {grad}, new Var[] {Var.constant(Tensor.vector(hg.clone()))},
                new Var[] {x}, false)[0].value().data().clone();
        double[] third;
        if (hgVar.requiresGrad()) {
            Var quad = F.dot(hgVar, gConst); // sg(g)ᵀ H(θ) sg(g)
            third = Autodiff.grad(quad, x, false).value().data().clone();
        } else {
            third = new double[g.length]; // H constant: ∇³E = 0
        }
        return new double[][] {g, hg, h2g, third};
    }

    @Override
    public double[] derivative(double[] state) {
        checkState(state);
        double[][] t = terms(state);
        double[] out = new double[state.length];
        double h2 = h * h;
        for (int i = 0; i < out.length; i++) {
            out[i] = -(t[0][i] + 0.5 * h * t[1][i] + h2 * (t[2][i] / 3 + t[3][i] / 12));
        }
        return out;
    }

    @Override
    public String name() {
        return "third-order";
    }
}
