package org.driftlab.experiment;

import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.objective.Objective;
import org.driftlab.tensor.Tensor;

/**
 * E(θ) = ½ θᵀAθ with a diagonal A = diag(λ_1..λ_D): the analytic test bed of stability (GD converges iff
 * h &lt; 2/λ_max). Gradient and Hessian products are exact closed forms.
 */
public final class QuadraticObjective implements Objective {
    private final double[] eigenvalues;

    /** The quadratic with the given diagonal. */
    public QuadraticObjective(double[] eigenvalues) {
        if (eigenvalues.length == 0) {
            throw new IllegalArgumentException("quadratic needs at least one eigenvalue");
        }
        this.eigenvalues = eigenvalues.clone();
    }

    /** Parses {@code quadratic:eigs=λ1,λ2,...}. */
    public static QuadraticObjective parse(String model) {
        String rest = model.substring("quadratic".length());
        if (!rest.startsWith(":eigs=")) {
            throw new org.driftlab.DriftlabException("model: '" + model + "' should look like quadratic:eigs=1,10,100");
        }
        String[] parts = rest.substring(":eigs=".length()).split(",");
        double[] eigs = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                eigs[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new org.driftlab.DriftlabException("model: eigenvalue '" + parts[i] + "' in '" + model + "' is not a number");
            }
        }
        return new QuadraticObjective(eigs);
    }

    /** θ_0 ~ N(0, I), seeded. */
    public double[] initial(long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        double[] theta0 = new double[eigenvalues.length];
        for (int i = 0; i < theta0.length; i++) {
            theta0[i] = org.driftlab.nn.Init.gaussian(rng);
        }
        return theta0;
    }

    /** The diagonal of A. */
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    @Override
    public int dim() {
        return eigenvalues.length;
    }

    @Override
    public Var loss(Var theta) {
        return F.scale(F.sum(F.mul(Var.constant(Tensor.vector(eigenvalues.clone())), F.square(theta))), 0.5);
    }

    @Override
    public double value(double[] theta) {
        checkDim(theta);
        double s = 0;
        for (int i = 0; i < theta.length; i++) {
            s += eigenvalues[i] * theta[i] * theta[i];
        }
        return 0.5 * s;
    }

    @Override
    public org.driftlab.autodiff.Autodiff.ValueAndGrad valueAndGradient(double[] theta) {
        return new org.driftlab.autodiff.Autodiff.ValueAndGrad(value(theta), hvp(theta, theta));
    }

    @Override
    public double[] hvp(double[] theta, double[] v) {
        checkDim(v);
        double[] y = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            y[i] = eigenvalues[i] * v[i];
        }
        return y;
    }

    @Override
    public LinearOperator hessian(double[] theta) {
        checkDim(theta);
        return LinearOperator.of(dim(), v -> hvp(theta, v));
    }
}
