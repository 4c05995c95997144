package org.driftlab.curvature;

import java.util.function.Supplier;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.linalg.SymmetricEigen;
import org.driftlab.linalg.Tridiagonal;
import org.driftlab.linalg.Vectors;

/**
 * The Lanczos recurrence with full reorthogonalisation, shared by {@link Lanczos} and {@link SpectralDensity}.
 * Mutable and single-use: the basis V, the tridiagonal coefficients α, β and the matvec count grow with each
 * {@link #step()}.
 */
final class LanczosProcess {
    /** β below this fraction of the ‖A‖ estimate means the Krylov space is (numerically) invariant. */
    private static final double BREAKDOWN = 1e-10;

    private final LinearOperator op;
    private final int dim;
    private final double[][] basis;
    private final double[] alpha;
    private final double[] beta;
    private final Supplier<double[]> restartVectors;
    private double[] residual;
    private int size;
    private int matvecs;
    private int restarts;
    private double normEstimate;
    private boolean exhausted;

    /**
     * @param start unit start vector v_0
     * @param capacity maximal number of basis vectors
     * @param restartVectors fresh random vectors used after a breakdown
     */
    LanczosProcess(LinearOperator op, double[] start, int capacity, Supplier<double[]> restartVectors) {
        this.op = op;
        this.dim = start.length;
        this.basis = new double[capacity][];
        this.alpha = new double[capacity];
        this.beta = new double[capacity];
        this.restartVectors = restartVectors;
        basis[0] = start;
        size = 1;
    }

    /**
     * Applies A to the newest basis vector v_j and orthogonalises the result against all of V twice (classical
     * Gram–Schmidt twice is as stable as modified Gram–Schmidt and keeps V orthonormal to rounding, which the
     * three-term recurrence alone does not). Sets α_j and β_j = ‖r_j‖.
     */
    void step() {
        int j = size - 1;
        double[] w = Probes.apply(op, basis[j]);
        matvecs++;
        double[] coefficients = new double[size];
        double[] pass = new double[size];
        for (int round = 0; round < 2; round++) {
            // Classical GS: all projections first, then subtract; the second round removes what rounding left.
            for (int i = 0; i < size; i++) {
                pass[i] = Vectors.dot(w, basis[i]);
            }
            for (int i = 0; i < size; i++) {
                Vectors.axpy(-pass[i], basis[i], w);
                coefficients[i] += pass[i];
            }
        }
        alpha[j] = coefficients[j];
        beta[j] = Vectors.norm(w);
        residual = w;
        normEstimate = Math.max(normEstimate, Math.abs(alpha[j]) + beta[j] + (j > 0 ? beta[j - 1] : 0));
    }

    /**
     * Appends v_{j+1} = r_j/β_j. After a breakdown (β_j ≈ 0: span V is invariant) β_j is set to 0, which splits
     * T into blocks, and the process restarts from a fresh random vector orthogonal to V. Returns false when no
     * new direction exists (V spans the whole space) or the capacity is reached.
     */
    boolean advance() {
        int j = size - 1;
        if (size >= dim) {
            exhausted = true;
            return false;
        }
        if (size >= basis.length) {
            return false;
        }
        double[] next;
        if (!breakdown()) {
            next = Vectors.scale(1.0 / beta[j], residual);
        } else {
            beta[j] = 0;
            next = freshDirection();
            if (next == null) {
                exhausted = true;
                return false;
            }
            restarts++;
        }
        basis[size++] = next;
        residual = null;
        return true;
    }

    private double[] freshDirection() {
        for (int attempt = 0; attempt < 3; attempt++) {
            double[] v = restartVectors.get();
            double before = Vectors.norm(v);
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < size; i++) {
                    Vectors.axpy(-Vectors.dot(v, basis[i]), basis[i], v);
                }
            }
            double after = Vectors.norm(v);
            // Nearly all of v lay in span V: the complement is (numerically) empty or we were unlucky; retry.
            if (after > 1e-8 * before) {
                return Vectors.scale(1.0 / after, v);
            }
        }
        return null;
    }

    /** Eigenpairs of the current m×m tridiagonal T_m (Ritz values θ ascending, vectors s). */
    SymmetricEigen.Decomposition ritz() {
        return Tridiagonal.eigen(alpha, beta, size);
    }

    /** Ritz vector V·s for a vector s of T's eigenvector coefficients. */
    double[] combine(double[] s) {
        double[] u = new double[dim];
        for (int l = 0; l < s.length; l++) {
            Vectors.axpy(s[l], basis[l], u);
        }
        return u;
    }

    /** Whether the latest step found an invariant subspace (β_j ≈ 0 relative to the ‖A‖ estimate). */
    boolean breakdown() {
        double b = beta[size - 1];
        return !(b > BREAKDOWN * normEstimate && b > 0);
    }

    int size() {
        return size;
    }

    /** β_j of the latest {@link #step()}, valid until {@link #advance()}: the residual scale of every Ritz pair. */
    double lastBeta() {
        return beta[size - 1];
    }

    int matvecs() {
        return matvecs;
    }

    int restarts() {
        return restarts;
    }

    boolean exhausted() {
        return exhausted;
    }
}
