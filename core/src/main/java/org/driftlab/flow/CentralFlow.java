package org.driftlab.flow;

import org.driftlab.objective.Objective;
import org.driftlab.linalg.Vectors;

/**
 * The central flow of gradient descent (Cohen, Damian et al. 2024, "Understanding optimization in deep learning
 * with central flows") in its one-eigenvalue form: a model of GD's time-averaged trajectory at the edge of
 * stability. GD's oscillation along the top eigenvector u₁ with variance σ² adds ½σ²∇S to the gradient
 * (S = λ₁(∇²E), ∇S = ∇_θ(u₁ᵀ∇²E(θ)u₁) with u₁ held fixed), and σ² is whatever keeps S from exceeding 2/h:
 * θ̇ = −∇E − ½σ²∇S with σ² ≥ 0 and σ²·(2/h − S) = 0. On the edge this is gradient flow projected onto the
 * tangent space of {S = 2/h}.
 *
 * <p><b>What is implemented.</b> The constraint is enforced softly so the field stays continuous for an adaptive
 * integrator: σ² = max(0, 2(−∇S·∇E + κ(S − 2/h))/‖∇S‖²), which makes dS/dt = −κ(S − 2/h) whenever σ² &gt; 0, with
 * κ = {@code stiffness}/h. Below the edge σ² = 0 and the field is the NGF unless gradient flow would raise S faster
 * than κ(2/h − S) (a soft-constraint artefact that vanishes as the stiffness grows).
 * Only one eigenvalue at the edge is modelled (the paper's semidefinite complementarity problem over several
 * eigenvalues reduces to this when one is critical). The predicted time-averaged loss of GD is E + ½σ²S.
 */
public final class CentralFlow extends ObjectiveField {
    private final double kappa;

    /** Default stiffness κ·h: large enough that below the edge the sharpening rate is rarely limited. */
    public static final double DEFAULT_STIFFNESS = 10;

    /** The central flow for learning rate h > 0, with stiffness κ·h = {@link #DEFAULT_STIFFNESS}. */
    public CentralFlow(Objective objective, double h) {
        this(objective, h, DEFAULT_STIFFNESS);
    }

    /** The central flow with a given stiffness: S relaxes to 2/h at rate stiffness/h while on the edge. */
    public CentralFlow(Objective objective, double h, double stiffness) {
        super(objective, Checks.positive("learning rate h", h));
        this.kappa = Checks.positive("stiffness", stiffness) / h;
    }

    /**
     * The flow's quantities at θ.
     *
     * @param sharpness S = λ₁(∇²E(θ))
     * @param sigma2 σ², GD's predicted oscillation variance along u₁ (0 off the edge)
     * @param loss E(θ)
     * @param derivative θ̇
     */
    public record Point(double sharpness, double sigma2, double loss, double[] derivative) {
        /** GD's predicted time-averaged loss E + ½σ²S. */
        public double averagedLoss() {
            return loss + 0.5 * sigma2 * sharpness;
        }
    }

    /** The top eigenpair of ∇²E(θ): {λ₁, u₁} (as {@link Comparison#topEigenpairs}). */
    static double[][] top(Objective objective, double[] theta) {
        return Comparison.topEigenpairs(objective, theta, 1);
    }

    /** ∇_θ(vᵀ∇²E(θ)v) for a fixed v, i.e. ∇³E[v, v]; with v = u₁ it is the gradient of the sharpness. */
    public static double[] curvatureGradient(Objective objective, double[] theta, double[] v) {
        return ThirdOrderGraph.at(objective, theta).contraction(v, v);
    }

    /** Sharpness, σ², loss and θ̇ at θ. */
    public Point at(double[] theta) {
        Objective objective = objective();
        double h = h();
        Objective.SecondOrder local = objective.secondOrder(theta); // ∇E and the Hessian from one graph
        double[] g = local.gradient();
        double[][] top = Comparison.topEigenpairs(local.hessian(), 1);
        double s = top[0][0];
        double[] gs = curvatureGradient(objective, theta, top[1]);
        double gsNorm2 = Vectors.dot(gs, gs);
        double sigma2 = 0;
        if (gsNorm2 > 0) {
            sigma2 = Math.max(0, 2 * (-Vectors.dot(gs, g) + kappa * (s - 2 / h)) / gsNorm2);
        }
        return new Point(s, sigma2, local.value(), descent(g, 0.5 * sigma2, gs));
    }

    @Override
    protected double[] evaluate(double[] state) {
        return at(state).derivative();
    }

    @Override
    public String name() {
        return "central";
    }
}
