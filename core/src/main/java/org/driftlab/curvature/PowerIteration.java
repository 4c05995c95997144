package org.driftlab.curvature;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.linalg.Vectors;

/**
 * Deflated power iteration as in PyHessian's {@code eigenvalues(maxIter=100, tol=1e-3, top_n=1)}, kept for
 * comparison with published numbers. Each eigenpair starts from a Gaussian vector; at every iteration the
 * iterate is Gram–Schmidt-orthogonalised against the eigenvectors already found; iteration stops when the
 * Rayleigh quotient changes by |Δλ|/(|λ| + 1e-6) &lt; tol.
 *
 * <p><b>It finds the largest |λ|, not the largest λ</b>: with a negative eigenvalue of larger magnitude than
 * λ_max it returns that negative value. Use {@link Lanczos} with LARGEST_ALGEBRAIC for sharpness.
 *
 * <p>Differences from PyHessian, all below its tolerance: vectors are normalised exactly (PyHessian divides by
 * ‖v‖ + 1e-6, biasing the Rayleigh quotient by a relative ~2e-6), and the returned value is the latest Rayleigh
 * quotient (PyHessian returns the one before the last).
 */
public final class PowerIteration {
    private PowerIteration() {}

    /** Rayleigh quotients (in the order found), unit vectors, and per-eigenpair iteration counts. */
    public static final class Result {
        private final double[] eigenvalues;
        private final double[][] eigenvectors;
        private final int[] iterations;
        private final boolean[] converged;

        Result(double[] eigenvalues, double[][] eigenvectors, int[] iterations, boolean[] converged) {
            this.eigenvalues = eigenvalues;
            this.eigenvectors = eigenvectors;
            this.iterations = iterations;
            this.converged = converged;
        }

        /** Rayleigh quotients λ_i = u_iᵀAu_i, in order of decreasing |λ| (as found). */
        public double[] eigenvalues() {
            return eigenvalues.clone();
        }

        public double[] eigenvector(int i) {
            return eigenvectors[i].clone();
        }

        /** Matvecs (= iterations) spent on each eigenpair. */
        public int[] iterations() {
            return iterations.clone();
        }

        /** Total operator applications. */
        public int matvecs() {
            return Arrays.stream(iterations).sum();
        }

        /** Whether each eigenpair met the relative-change test before maxIterations. */
        public boolean converged(int i) {
            return converged[i];
        }

        @Override
        public String toString() {
            return "PowerIteration.Result[λ=" + Arrays.toString(eigenvalues) + ", iterations=" + Arrays.toString(iterations) + "]";
        }
    }

    /** PyHessian defaults: topN = 1, maxIterations = 100, tol = 1e-3. */
    public static Result run(LinearOperator op, long seed) {
        return run(op, 1, 100, 1e-3, seed);
    }

    /** Finds topN eigenpairs of largest |λ| by deflated power iteration. */
    public static Result run(LinearOperator op, int topN, int maxIterations, double tolerance, long seed) {
        int dim = Probes.dimension(op);
        if (topN < 1 || topN > dim || maxIterations < 1 || !(tolerance > 0)) {
            throw new IllegalArgumentException("power iteration: need 1 <= topN <= dim, maxIterations >= 1, tol > 0");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] values = new double[topN];
        double[][] vectors = new double[topN][];
        int[] iterations = new int[topN];
        boolean[] converged = new boolean[topN];
        for (int n = 0; n < topN; n++) {
            double[] v = unit(Probes.gaussian(rng, dim));
            double lambda = Double.NaN;
            int it = 0;
            boolean done = false;
            while (it < maxIterations && !done) {
                for (int f = 0; f < n; f++) {
                    Vectors.axpy(-Vectors.dot(v, vectors[f]), vectors[f], v);
                }
                v = unit(v);
                double[] av = Probes.apply(op, v);
                it++;
                double rayleigh = Vectors.dot(av, v);
                done = !Double.isNaN(lambda) && Math.abs(lambda - rayleigh) / (Math.abs(lambda) + 1e-6) < tolerance;
                lambda = rayleigh;
                v = unit(av);
            }
            values[n] = lambda;
            vectors[n] = v;
            iterations[n] = it;
            converged[n] = done;
        }
        return new Result(values, vectors, iterations, converged);
    }

    private static double[] unit(double[] v) {
        double norm = Vectors.norm(v);
        // A zero vector (A v = 0 exactly) has no direction left; keep it zero, so λ = 0.
        return norm == 0 ? v : Vectors.scale(1.0 / norm, v);
    }
}
