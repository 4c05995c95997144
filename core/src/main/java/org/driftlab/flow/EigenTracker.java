package org.driftlab.flow;

import java.util.ArrayList;
import java.util.List;
import org.driftlab.curvature.DenseHessian;
import org.driftlab.curvature.Lanczos;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.linalg.SymmetricEigen;

/**
 * The top Hessian eigenpairs along a path θ(t): every eigenvalue at or above a threshold (at least the top one, at
 * most {@code maxK}), the set growing and shrinking as eigenvalues cross it, as the public central-flow code tracks
 * the eigenvalues near the edge of stability (there: above 1.5/h). For D ≤ 64 a dense eigendecomposition is exact
 * and cheap; above, Lanczos (largest algebraic, {@link Comparison#lanczosTop}) warm-started from the eigenvectors
 * of the previous call, which along a trajectory are close to the new ones. The warm start only changes how fast
 * Lanczos converges, not what it converges to (to its tolerance).
 *
 * <p>Mutable (the warm start): one tracker per path and per thread.
 */
public final class EigenTracker {
    /** Dimension up to which eigenpairs come from a dense Hessian. */
    static final int DENSE_LIMIT = 64;

    private final double threshold;
    private final int maxK;
    private final double tolerance;
    private List<double[]> warm = List.of();
    private int lastCount = 1;

    /**
     * @param threshold eigenvalues at or above it are tracked
     * @param maxK the most eigenpairs tracked (≥ 1)
     * @param tolerance Lanczos relative residual tolerance
     */
    public EigenTracker(double threshold, int maxK, double tolerance) {
        if (maxK < 1) {
            throw new IllegalArgumentException("maxK must be >= 1, got " + maxK);
        }
        this.threshold = threshold;
        this.maxK = maxK;
        this.tolerance = Checks.positive("Lanczos tolerance", tolerance);
    }

    /**
     * The tracked eigenpairs, descending: {@code values[i]} with the unit vector {@code vectors[i]} (signed so that
     * its largest-magnitude component is positive).
     */
    public record Eigenpairs(double[] values, double[][] vectors) {
        /** The number of pairs k. */
        public int size() {
            return values.length;
        }
    }

    /** The eigenpairs of a Hessian at or above the threshold (at least one, at most maxK). */
    public Eigenpairs track(LinearOperator hessian) {
        int dim = hessian.dim();
        int cap = Math.min(maxK, dim);
        double[] values;
        double[][] vectors;
        if (dim <= DENSE_LIMIT) {
            SymmetricEigen.Decomposition eig = DenseHessian.of(hessian).eigen();
            int k = count(eig, cap);
            values = new double[k];
            vectors = new double[k][];
            for (int i = 0; i < k; i++) {
                values[i] = eig.value(dim - 1 - i);
                vectors[i] = Comparison.signed(eig.vector(dim - 1 - i));
            }
            lastCount = k;
            return new Eigenpairs(values, vectors);
        }
        // One pair more than last time shows whether another eigenvalue has crossed the threshold.
        int want = Math.min(cap, lastCount + 1);
        Lanczos.Result r;
        while (true) {
            r = Comparison.lanczosTop(hessian, want, tolerance, warm);
            int above = 0;
            while (above < want && r.eigenvalue(above) >= threshold) {
                above++;
            }
            if (above < want || want == cap) {
                break;
            }
            want++;
        }
        int k = 1;
        while (k < Math.min(want, cap) && r.eigenvalue(k) >= threshold) {
            k++;
        }
        values = new double[k];
        vectors = new double[k][];
        List<double[]> next = new ArrayList<>();
        for (int i = 0; i < r.k(); i++) {
            double[] u = Comparison.signed(r.eigenvector(i));
            next.add(u);
            if (i < k) {
                values[i] = r.eigenvalue(i);
                vectors[i] = u;
            }
        }
        warm = next;
        lastCount = k;
        return new Eigenpairs(values, vectors);
    }

    private int count(SymmetricEigen.Decomposition eig, int cap) {
        int n = eig.size();
        int k = 1;
        while (k < cap && eig.value(n - 1 - k) >= threshold) {
            k++;
        }
        return k;
    }
}
