package org.driftlab.curvature;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.driftlab.linalg.LinearOperator;

/**
 * Hutchinson's stochastic trace estimator Tr A ≈ (1/m) Σ_j z_jᵀ A z_j with Rademacher probes z_j ∈ {±1}^D
 * (unbiased; variance 2·Σ_{i≠j} A_ij²), and the matching diagonal estimator diag A ≈ (1/m) Σ_j z_j ⊙ A z_j.
 * Probes are drawn from a seeded {@link SplittableRandom}, so results are reproducible.
 */
public final class Hutchinson {
    private Hutchinson() {}

    /** A trace estimate with its standard error s/√m (s the sample standard deviation) and the m samples zᵀAz. */
    public static final class Result {
        private final double estimate;
        private final double standardError;
        private final double[] samples;

        Result(double estimate, double standardError, double[] samples) {
            this.estimate = estimate;
            this.standardError = standardError;
            this.samples = samples;
        }

        /** Sample mean of zᵀAz. */
        public double estimate() {
            return estimate;
        }

        /** Sample standard deviation (n−1 denominator) over √m; NaN when m = 1. */
        public double standardError() {
            return standardError;
        }

        /** The individual zᵀAz (PyHessian's {@code trace()} returns this list). */
        public double[] samples() {
            return samples.clone();
        }

        @Override
        public String toString() {
            return "Hutchinson.Result[trace=" + estimate + " ± " + standardError + " (m=" + samples.length + ")]";
        }
    }

    /** Estimates Tr A from m Rademacher probes (m matvecs). */
    public static Result trace(LinearOperator op, int m, long seed) {
        int dim = Probes.dimension(op);
        if (m < 1) {
            throw new IllegalArgumentException("Hutchinson needs m >= 1 probes, got " + m);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] samples = new double[m];
        for (int j = 0; j < m; j++) {
            double[] z = Probes.rademacher(rng, dim, 1.0);
            double[] az = Probes.apply(op, z);
            double s = 0;
            for (int i = 0; i < dim; i++) {
                s += z[i] * az[i];
            }
            samples[j] = s;
        }
        double mean = Arrays.stream(samples).sum() / m;
        double ss = 0;
        for (double s : samples) {
            ss += (s - mean) * (s - mean);
        }
        double se = m > 1 ? Math.sqrt(ss / (m - 1)) / Math.sqrt(m) : Double.NaN;
        return new Result(mean, se, samples);
    }

    /** Estimates diag A as the mean of z ⊙ Az over m Rademacher probes (m matvecs). */
    public static double[] diagonal(LinearOperator op, int m, long seed) {
        int dim = Probes.dimension(op);
        if (m < 1) {
            throw new IllegalArgumentException("Hutchinson needs m >= 1 probes, got " + m);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] diag = new double[dim];
        for (int j = 0; j < m; j++) {
            double[] z = Probes.rademacher(rng, dim, 1.0);
            double[] az = Probes.apply(op, z);
            for (int i = 0; i < dim; i++) {
                diag[i] += z[i] * az[i];
            }
        }
        for (int i = 0; i < dim; i++) {
            diag[i] /= m;
        }
        return diag;
    }
}
