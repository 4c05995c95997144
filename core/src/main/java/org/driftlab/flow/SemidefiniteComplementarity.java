package org.driftlab.flow;

import org.driftlab.linalg.SymmetricEigen;
import org.driftlab.linalg.Vectors;

/**
 * The small semidefinite complementarity problem (SDCP) of the central flow with several eigenvalues at the edge of
 * stability (Cohen, Damian et al. 2024, §4): given a symmetric k×k matrix α and a positive semidefinite linear map B
 * on symmetric k×k matrices, find X with
 * <pre>
 *   X ⪰ 0,   Z = α + B[X] ⪰ 0,   ⟨X, Z⟩ = 0.
 * </pre>
 * Because B is positive semidefinite these are exactly the optimality conditions of the convex problem
 * min_{X ⪰ 0} ½⟨X, B[X]⟩ + ⟨α, X⟩, which is how it is solved (the public implementations hand the same problem to
 * CVXPY). k is the number of eigenvalues near 2/h, a handful, so a dense first-order method is cheap; no
 * conic-solver library exists on the JVM that would be worth the dependency for matrices this small.
 *
 * <p><b>Method.</b> Exact answers first: X = 0 when α ⪰ 0; X = −B⁺α when that is positive semidefinite (then
 * Z = 0: every constraint active); the closed form for k = 1. Otherwise accelerated projected gradient
 * (FISTA with O'Donoghue–Candès restarts; the projection onto the PSD cone clips the eigenvalues of a k×k matrix)
 * from the projection of the unconstrained solution, until an iteration moves X by less than 1e-14 of its scale.
 *
 * <p><b>Singular B.</b> Where B vanishes (for instance ∇λ = 0 on a quadratic), no multiplier can move the
 * constraint: the part of α outside the range of B is dropped, so such directions get no multiplier (B = 0 gives
 * X = 0, i.e. gradient flow, which is where GD diverges and no central flow exists).
 *
 * <p>Matrices are row-major: α and X are k×k, B is k²×k² acting as B[X]_ij = Σ_lm B[(ik + j)k² + lk + m]·X_lm; B must
 * have the symmetries of a map between symmetric matrices (B_(ij)(lm) = B_(ji)(lm) = B_(lm)(ij)).
 */
public final class SemidefiniteComplementarity {
    /** Iteration cap of the projected-gradient phase (each iteration is one k×k eigendecomposition). */
    static final int MAX_ITERATIONS = 200_000;
    /** Stop when an iteration moves X by less than this fraction of its scale. */
    static final double TOLERANCE = 1e-14;

    private SemidefiniteComplementarity() {}

    /**
     * A solution.
     *
     * @param x the k×k multiplier X (row-major, symmetric, positive semidefinite)
     * @param iterations projected-gradient iterations used (0 for an exact case)
     */
    public record Solution(double[] x, int iterations) {}

    /** Solves SDCP(α, B) for a k×k α and a k²×k² B (see the class comment). */
    public static Solution solve(double[] alpha, double[] b, int k) {
        if (k < 0 || alpha.length != k * k || b.length != k * k * k * k) {
            throw new IllegalArgumentException("SDCP: α of length " + alpha.length + " and B of length " + b.length
                    + " for k = " + k);
        }
        if (k == 0) {
            return new Solution(new double[0], 0);
        }
        int m = k * (k + 1) / 2;
        // Work in the orthonormal coordinates of symmetric matrices (x_p = X_ii, or √2·X_ij for i < j), where the
        // Frobenius product is the dot product and B is an m×m positive semidefinite matrix.
        double[] bv = new double[m * m];
        int[][] pairs = pairs(k);
        for (int p = 0; p < m; p++) {
            for (int q = 0; q < m; q++) {
                int i = pairs[p][0];
                int j = pairs[p][1];
                int l = pairs[q][0];
                int n = pairs[q][1];
                bv[p * m + q] = scale(i, j) * scale(l, n) * b[(i * k + j) * k * k + l * k + n];
            }
        }
        symmetrise(bv, m);
        if (minEigenvalue(alpha, k) >= 0) {
            return new Solution(new double[k * k], 0); // no constraint is violated: X = 0
        }
        SymmetricEigen.Decomposition be = SymmetricEigen.of(bv, m);
        double lmax = be.value(m - 1);
        if (!(lmax > 0)) {
            return new Solution(new double[k * k], 0); // B = 0: nothing can move the constraint
        }
        double cut = 1e-12 * lmax;
        double[] a = vech(alpha, k, pairs);
        // Unconstrained minimiser on the range of B (pseudo-inverse), and α with its part outside that range dropped.
        double[] xFree = new double[m];
        double[] aRange = new double[m];
        for (int r = 0; r < m; r++) {
            double lam = be.value(r);
            double[] v = be.vector(r);
            if (lam <= cut) {
                continue;
            }
            double c = Vectors.dot(v, a);
            for (int p = 0; p < m; p++) {
                xFree[p] -= c / lam * v[p];
                aRange[p] += c * v[p];
            }
        }
        double[] free = unvech(xFree, k, pairs);
        if (k == 1) {
            return new Solution(new double[] {Math.max(0, free[0])}, 0);
        }
        if (minEigenvalue(free, k) >= 0) {
            return new Solution(free, 0);
        }
        return fista(unvech(aRange, k, pairs), bv, m, lmax, k, pairs, projectPsd(free, k));
    }

    /** FISTA with gradient restarts for min_{X ⪰ 0} ½⟨X, B[X]⟩ + ⟨α, X⟩ (step 1/λ_max(B)). */
    private static Solution fista(double[] alpha, double[] bv, int m, double lmax, int k, int[][] pairs, double[] start) {
        double[] a = vech(alpha, k, pairs);
        double[] x = vech(start, k, pairs);
        double[] y = x.clone();
        double t = 1;
        double scale = Vectors.norm(a) / lmax; // the natural size of X
        int it = 0;
        while (it < MAX_ITERATIONS) {
            it++;
            double[] step = new double[m];
            for (int p = 0; p < m; p++) {
                double grad = a[p];
                for (int q = 0; q < m; q++) {
                    grad += bv[p * m + q] * y[q];
                }
                step[p] = y[p] - grad / lmax;
            }
            double[] xNew = vech(projectPsd(unvech(step, k, pairs), k), k, pairs);
            double move = 0;
            double restart = 0;
            for (int p = 0; p < m; p++) {
                double d = xNew[p] - x[p];
                move += d * d;
                restart += (y[p] - xNew[p]) * d;
            }
            double tNew = restart > 0 ? 1 : (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            double beta = restart > 0 ? 0 : (t - 1) / tNew;
            for (int p = 0; p < m; p++) {
                y[p] = xNew[p] + beta * (xNew[p] - x[p]);
            }
            x = xNew;
            t = tNew;
            if (Math.sqrt(move) <= TOLERANCE * Math.max(Vectors.norm(x), scale)) {
                break;
            }
        }
        return new Solution(projectPsd(unvech(x, k, pairs), k), it);
    }

    /** The nearest positive semidefinite matrix in Frobenius norm: negative eigenvalues clipped to 0. */
    static double[] projectPsd(double[] x, int k) {
        SymmetricEigen.Decomposition e = SymmetricEigen.of(x, k);
        if (e.value(0) >= 0) {
            return x.clone();
        }
        return e.reconstruct(v -> Math.max(0, v));
    }

    private static double minEigenvalue(double[] x, int k) {
        return k == 1 ? x[0] : SymmetricEigen.of(x, k).value(0);
    }

    private static int[][] pairs(int k) {
        int[][] out = new int[k * (k + 1) / 2][];
        int p = 0;
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                out[p++] = new int[] {i, j};
            }
        }
        return out;
    }

    private static double scale(int i, int j) {
        return i == j ? 1 : Math.sqrt(2);
    }

    private static double[] vech(double[] x, int k, int[][] pairs) {
        double[] v = new double[pairs.length];
        for (int p = 0; p < pairs.length; p++) {
            int i = pairs[p][0];
            int j = pairs[p][1];
            v[p] = i == j ? x[i * k + j] : Math.sqrt(2) * 0.5 * (x[i * k + j] + x[j * k + i]);
        }
        return v;
    }

    private static double[] unvech(double[] v, int k, int[][] pairs) {
        double[] x = new double[k * k];
        for (int p = 0; p < pairs.length; p++) {
            int i = pairs[p][0];
            int j = pairs[p][1];
            double val = i == j ? v[p] : v[p] / Math.sqrt(2);
            x[i * k + j] = val;
            x[j * k + i] = val;
        }
        return x;
    }

    private static void symmetrise(double[] a, int m) {
        for (int p = 0; p < m; p++) {
            for (int q = p + 1; q < m; q++) {
                double s = 0.5 * (a[p * m + q] + a[q * m + p]);
                a[p * m + q] = s;
                a[q * m + p] = s;
            }
        }
    }
}
