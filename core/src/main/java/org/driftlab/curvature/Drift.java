package org.driftlab.curvature;

import org.driftlab.linalg.LinearOperator;
import org.driftlab.linalg.Vectors;
import org.driftlab.objective.Objective;
import org.hipparchus.complex.Complex;

/**
 * The discretisation drift of gradient descent at θ: the gradient g = ∇E, the drift direction ∇²E·∇E (gradient
 * descent with learning rate h follows E + (h/4)‖∇E‖², whose extra gradient is (h/2)∇²E∇E), ζ = ‖∇²E ĝ‖ with
 * ĝ = ∇E/‖∇E‖, and the drift-adaptive learning rate (DAL, DeepMind's {@code dal.py}) h = 2/ζ, or for DAL-p
 * h = min(2/ζ^p, h_max) with h_max = 5 by default (p = 0 is plain GD). One gradient and one Hessian-vector product.
 */
public final class Drift {
    /** DeepMind's default cap on the DAL learning rate ({@code max_lr_scale}). */
    public static final double DEFAULT_MAX_LEARNING_RATE = 5.0;

    private final double[] gradient;
    private final double[] hessianGradient;
    private final double gradNorm;
    private final double driftNorm;

    private Drift(double[] gradient, double[] hessianGradient) {
        this.gradient = gradient;
        this.hessianGradient = hessianGradient;
        this.gradNorm = Vectors.norm(gradient);
        this.driftNorm = Vectors.norm(hessianGradient);
    }

    /** Drift of E at θ with the objective's own Hessian. */
    public static Drift at(Objective objective, double[] theta) {
        Objective.SecondOrder local = objective.secondOrder(theta);
        return of(local.gradient(), local.hessian());
    }

    /** Drift from a gradient ∇E and the Hessian at the same θ (one product). */
    public static Drift of(double[] gradient, LinearOperator hessian) {
        return new Drift(gradient.clone(), hessian.apply(gradient));
    }

    /** ∇E (a copy). */
    public double[] gradient() {
        return gradient.clone();
    }

    /** ∇²E∇E (a copy). */
    public double[] hessianGradient() {
        return hessianGradient.clone();
    }

    /** ‖∇E‖. */
    public double gradNorm() {
        return gradNorm;
    }

    /** ‖∇²E∇E‖. */
    public double driftNorm() {
        return driftNorm;
    }

    /** ζ = ‖∇²E ĝ‖ = ‖∇²E∇E‖/‖∇E‖ (NaN at a stationary point). */
    public double normalizedDriftNorm() {
        return gradNorm == 0 ? Double.NaN : driftNorm / gradNorm;
    }

    /** The DAL learning rate 2/ζ, uncapped. */
    public double dalLearningRate() {
        return 2 / normalizedDriftNorm();
    }

    /** DAL-p: min(2/ζ^p, h_max), as dal.py's clipped gradient scale times its static learning rate. */
    public double dalLearningRate(double p, double maxLearningRate) {
        return Math.min(2 / Math.pow(normalizedDriftNorm(), p), maxLearningRate);
    }

    /** ∇E·u_i for each given (unit) eigenvector u_i. */
    public double[] projections(double[][] eigenvectors) {
        double[] out = new double[eigenvectors.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Vectors.dot(gradient, eigenvectors[i]);
        }
        return out;
    }

    /** The Principal Flow's stability coefficients c(hλ_i) ({@link Stability}) for learning rate h. */
    public static Complex[] stabilityCoefficients(double h, double[] eigenvalues) {
        return Stability.coefficients(h, eigenvalues);
    }
}
