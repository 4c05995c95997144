package org.driftlab.experiment;

import org.driftlab.linalg.LinearOperator;

/**
 * Top eigenvalues of a symmetric operator (a Hessian), the seam for sharpness probes. The default is
 * {@link SimpleLanczos}; the integrator swaps in {@code org.driftlab.curvature.Lanczos} through
 * {@link #DEFAULT} or the runner's options.
 */
@FunctionalInterface
public interface EigenSolver {
    /** The solver used when a run does not name one. INTEGRATOR: point this at curvature.Lanczos. */
    EigenSolver DEFAULT = new SimpleLanczos();

    /**
     * The k largest (algebraic) eigenvalues λ_1 ≥ … ≥ λ_k of op and the eigenvector of λ_1.
     *
     * @param iterations a budget of operator products
     * @param warmStart a start vector (the previous top eigenvector) or null for a fixed seeded one
     */
    Result top(LinearOperator op, int k, int iterations, double[] warmStart);

    /** Eigenvalues in descending order and the top eigenvector (unit norm). */
    record Result(double[] values, double[] topVector) {}
}
