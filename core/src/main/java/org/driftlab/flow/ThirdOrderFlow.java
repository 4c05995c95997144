package org.driftlab.flow;

import org.driftlab.objective.Objective;

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
public final class ThirdOrderFlow extends ObjectiveField {
    /** The third-order flow of E for learning rate h ≥ 0. */
    public ThirdOrderFlow(Objective objective, double h) {
        super(objective, Checks.learningRate(h));
    }

    /** The four terms at θ: {g, Hg, H²g, ∇³E[g,g]}, each of length D (exposed for tests and diagnostics). */
    public double[][] terms(double[] theta) {
        ThirdOrderGraph graph = ThirdOrderGraph.at(objective(), theta);
        double[] g = graph.gradient();
        // Hg as a differentiable expression of θ (kept for the third-order term); H constant makes it vanish.
        ThirdOrderGraph.Product hgProduct = graph.times(g);
        double[] hg = hgProduct.value();
        double[] h2g = graph.hvp(hg);
        double[] third = hgProduct.contract(g); // ∇_θ(sg(g)ᵀ H(θ) sg(g))
        return new double[][] {g, hg, h2g, third};
    }

    @Override
    protected double[] evaluate(double[] state) {
        double[][] t = terms(state);
        double[] out = new double[state.length];
        double h = h();
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
