package org.driftlab.curvature;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.driftlab.linalg.LinearOperator;

/**
 * Hutchinson's stochastic trace estimator Tr A ≈ (1/m) Σ_j z_jᵀ A z_j with Rademacher probes z_j ∈ {±1}^D
 * (unbiased; variance 2·Σ_{i≠j} A_ij²), and the matching diagonal estimator diag A ≈ (1/m) Σ_j z_j ⊙ A z_j.
 * Probes are drawn from a seeded {@link SplittableRandom}, so results are reproducible.
 *
 * <p>{@link #deflatedTrace} removes the top of the spectrum first, as Hutch++ does (Meyer et al. 2021) but with the
 * Lanczos eigenvectors a curvature report computes anyway: for an orthonormal Q, Tr A = Tr(QᵀAQ) + Tr(PAP) exactly,
 * P = I − QQᵀ, and only the second term is estimated, from probes Pz. A network Hessian's Frobenius norm, which sets
 * the variance, sits mostly in a few outliers, so deflating them cuts the standard error several-fold. Probes are
 * drawn until the standard error is below a target share of |Tr A| (or a cap is reached), and the result says how
 * close it came.
 */
public final class Hutchinson {
    private Hutchinson() {}

    /** A trace estimate with its standard error s/√m (s the sample standard deviation) and the m samples zᵀAz. */
    public static final class Result {
        private final double estimate;
        private final double standardError;
        private final double[] samples;
        private final int deflated;

        Result(double estimate, double standardError, double[] samples) {
            this(estimate, standardError, samples, 0);
        }

        Result(double estimate, double standardError, double[] samples, int deflated) {
            this.estimate = estimate;
            this.standardError = standardError;
            this.samples = samples;
            this.deflated = deflated;
        }

        /** Standard error over |estimate| (infinite for a zero estimate). */
        public double relativeStandardError() {
            return standardError / Math.abs(estimate);
        }

        /** Number of probes (HVPs) drawn. */
        public int probes() {
            return samples.length;
        }

        /** Rank of the deflated top of the spectrum (0 for plain Hutchinson). */
        public int deflated() {
            return deflated;
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

    /**
     * Tr A = Σ_i q_iᵀAq_i + Tr(PAP) for the orthonormal columns q_i of basis (P = I − QQᵀ), the second term by
     * Hutchinson on projected Rademacher probes Pz: at least minProbes and at most maxProbes of them, stopping once
     * the standard error is below relativeTarget·|Tr A|. The caller passes basisTrace = Σ_i q_iᵀAq_i: for Lanczos
     * Ritz vectors that is the sum of their Ritz values (VᵀAV = T in the Lanczos basis V). With an empty basis this
     * is adaptive plain Hutchinson. The standard error is the projected samples' (the deflated part is exact).
     */
    public static Result deflatedTrace(LinearOperator op, double[][] basis, double basisTrace, double relativeTarget,
                                       int minProbes, int maxProbes, long seed) {
        int dim = Probes.dimension(op);
        if (minProbes < 2 || maxProbes < minProbes || !(relativeTarget > 0)) {
            throw new IllegalArgumentException("deflated Hutchinson needs 2 <= minProbes <= maxProbes and a positive target, got "
                    + minProbes + ", " + maxProbes + ", " + relativeTarget);
        }
        for (double[] q : basis) {
            if (q.length != dim) {
                throw new IllegalArgumentException("deflation vector of length " + q.length + " for dimension " + dim);
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] samples = new double[maxProbes];
        int m = 0;
        double mean = 0;
        double squares = 0; // Welford: Σ (s − mean)², without the cancellation of Σs² − m·mean²
        double se = Double.NaN;
        while (m < maxProbes) {
            double[] z = Probes.rademacher(rng, dim, 1.0);
            for (double[] q : basis) {
                org.driftlab.linalg.Vectors.axpy(-org.driftlab.linalg.Vectors.dot(q, z), q, z);
            }
            double s = org.driftlab.linalg.Vectors.dot(z, Probes.apply(op, z));
            samples[m++] = s;
            double delta = s - mean;
            mean += delta / m;
            squares += delta * (s - mean);
            if (m >= 2) {
                se = Math.sqrt(squares / (m - 1) / m);
                if (m >= minProbes && se < relativeTarget * Math.abs(basisTrace + mean)) {
                    break;
                }
            }
        }
        return new Result(basisTrace + mean, se, Arrays.copyOf(samples, m), basis.length);
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
