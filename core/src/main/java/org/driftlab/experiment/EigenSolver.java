package org.driftlab.experiment;

import org.driftlab.curvature.Lanczos;
import org.driftlab.linalg.LinearOperator;

/**
 * Top eigenvalues of a symmetric operator (a Hessian), the seam for sharpness probes. The default is
 * {@link Lanczos} with full reorthogonalisation, largest-algebraic ordering, warm-started from the previous
 * top eigenvector when the probe tracks sharpness along training.
 */
@FunctionalInterface
public interface EigenSolver {
    /** Lanczos with at most {@code iterations} products, stopping early once the k Ritz residuals are tiny. */
    EigenSolver DEFAULT = (op, k, iterations, warmStart) -> {
        Lanczos.Builder b = Lanczos.Config.builder().k(k).which(Lanczos.Which.LARGEST_ALGEBRAIC)
                .maxIterations(Math.max(iterations, k + 1)).tolerance(1e-8).seed(12345)
                .residualMode(Lanczos.ResidualMode.RITZ_ESTIMATE);
        if (warmStart != null) {
            b.warmStart(warmStart);
        }
        Lanczos.Result r = Lanczos.run(op, b.build());
        return new Result(r.eigenvalues(), r.eigenvector(0));
    };

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
