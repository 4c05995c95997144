package org.driftlab.curvature;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.linalg.SymmetricEigen;
import org.driftlab.linalg.Vectors;

/**
 * Extreme eigenpairs (λ, u) of a symmetric operator A (a Hessian, a Gauss–Newton matrix) by the Lanczos method
 * with full reorthogonalisation. This is the default eigensolver for sharpness λ_max tracking: unlike power
 * iteration it orders eigenvalues <em>algebraically</em> (a large negative λ never masquerades as the
 * sharpness), converges faster, and reports residuals and the number of operator applications.
 *
 * <p>Stopping rule: after step m the Ritz pairs (θ_i, u_i = V_m s_i) satisfy ‖A u_i − θ_i u_i‖ = |β_m·s_{m,i}|
 * (in exact arithmetic; full reorthogonalisation keeps this accurate). The iteration stops once every wanted pair
 * has |β_m·s_{m,i}| &lt; tol·max(1, |θ_i|), or after {@code maxIterations} steps, or when the Krylov space is the
 * whole space.
 *
 * <p>Invariant subspaces: when β_m ≈ 0 the Ritz pairs are exact but the basis may miss further copies of a
 * repeated λ (common in networks with symmetric units). The method then restarts from a random vector orthogonal
 * to the basis and accepts convergence only after a restarted block leaves the wanted λ unchanged. Without a
 * breakdown, a single-vector Krylov method can still report a repeated λ fewer times than its multiplicity.
 */
public final class Lanczos {
    private Lanczos() {}

    /** Which end of the spectrum is wanted. Largest-magnitude ordering is deliberately absent (see §6 of the anchors). */
    public enum Which {
        /** The k largest λ, reported descending (λ_max first). */
        LARGEST_ALGEBRAIC,
        /** The k smallest λ, reported ascending (most negative first). */
        SMALLEST_ALGEBRAIC
    }

    /** How {@link Result#residuals()} are obtained. */
    public enum ResidualMode {
        /** True ‖Au − θu‖ from one extra matvec per returned pair (counted in {@link Result#matvecs()}). */
        TRUE,
        /** The Ritz estimate |β_m·s_{m,i}| from the tridiagonal problem; free but only as good as V's orthogonality. */
        RITZ_ESTIMATE
    }

    /** Immutable configuration; build with {@link #builder()}. */
    public static final class Config {
        private final int k;
        private final Which which;
        private final int maxIterations;
        private final double tolerance;
        private final long seed;
        private final List<double[]> warmStart;
        private final double warmStartNoise;
        private final ResidualMode residualMode;

        private Config(Builder b) {
            this.k = b.k;
            this.which = b.which;
            this.maxIterations = b.maxIterations;
            this.tolerance = b.tolerance;
            this.seed = b.seed;
            this.warmStart = List.copyOf(b.warmStart);
            this.warmStartNoise = b.warmStartNoise;
            this.residualMode = b.residualMode;
        }

        /** Defaults: k = 1, LARGEST_ALGEBRAIC, maxIterations = 300 (capped at D), tol = 1e-6, seed 0, TRUE residuals. */
        public static Builder builder() {
            return new Builder();
        }

        public Builder toBuilder() {
            Builder b = new Builder().k(k).which(which).maxIterations(maxIterations).tolerance(tolerance).seed(seed)
                    .warmStartNoise(warmStartNoise).residualMode(residualMode);
            b.warmStart.addAll(warmStart);
            return b;
        }

        public int k() {
            return k;
        }

        public Which which() {
            return which;
        }

        public int maxIterations() {
            return maxIterations;
        }

        public double tolerance() {
            return tolerance;
        }

        public long seed() {
            return seed;
        }

        /** The warm-start vectors (copies). */
        public List<double[]> warmStart() {
            List<double[]> copy = new ArrayList<>();
            for (double[] v : warmStart) {
                copy.add(v.clone());
            }
            return copy;
        }

        public double warmStartNoise() {
            return warmStartNoise;
        }

        public ResidualMode residualMode() {
            return residualMode;
        }

        @Override
        public String toString() {
            return "Lanczos.Config[k=" + k + ", which=" + which + ", maxIterations=" + maxIterations + ", tol=" + tolerance
                    + ", seed=" + seed + ", warmStart=" + warmStart.size() + ", warmStartNoise=" + warmStartNoise
                    + ", residuals=" + residualMode + "]";
        }
    }

    /** Builder for {@link Config}. */
    public static final class Builder {
        private int k = 1;
        private Which which = Which.LARGEST_ALGEBRAIC;
        private int maxIterations = 300;
        private double tolerance = 1e-6;
        private long seed = 0;
        private final List<double[]> warmStart = new ArrayList<>();
        private double warmStartNoise = 1e-3;
        private ResidualMode residualMode = ResidualMode.TRUE;

        private Builder() {}

        /** Number of eigenpairs wanted (≥ 1). */
        public Builder k(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("k must be >= 1, got " + k);
            }
            this.k = k;
            return this;
        }

        public Builder which(Which which) {
            this.which = java.util.Objects.requireNonNull(which);
            return this;
        }

        /** Maximal number of Lanczos steps (= matvecs before the residual check); capped at the dimension D. */
        public Builder maxIterations(int maxIterations) {
            if (maxIterations < 1) {
                throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
            }
            this.maxIterations = maxIterations;
            return this;
        }

        /** Relative residual tolerance: stop when |β_m s_{m,i}| &lt; tol·max(1, |θ_i|) for all wanted pairs. */
        public Builder tolerance(double tolerance) {
            if (!(tolerance > 0)) {
                throw new IllegalArgumentException("tolerance must be > 0, got " + tolerance);
            }
            this.tolerance = tolerance;
            return this;
        }

        /** Seed of the Gaussian start vector and of restart vectors. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Adds a warm-start vector, typically the previous top eigenvector when λ_max is tracked along training.
         * Several vectors are orthonormalised and summed into one start vector.
         */
        public Builder warmStart(double[] vector) {
            warmStart.add(vector.clone());
            return this;
        }

        /** Replaces the warm-start vectors (null or empty clears them). */
        public Builder warmStart(List<double[]> vectors) {
            warmStart.clear();
            if (vectors != null) {
                for (double[] v : vectors) {
                    warmStart(v);
                }
            }
            return this;
        }

        /**
         * Relative size of the random component mixed into a warm start (default 1e-3). It must be positive:
         * if the warm vector were exactly an eigenvector of a non-extreme λ, the Krylov space would be invariant
         * and the wanted eigenvector would never be seen.
         */
        public Builder warmStartNoise(double noise) {
            if (!(noise > 0) || !Double.isFinite(noise)) {
                throw new IllegalArgumentException("warmStartNoise must be positive and finite, got " + noise);
            }
            this.warmStartNoise = noise;
            return this;
        }

        public Builder residualMode(ResidualMode mode) {
            this.residualMode = java.util.Objects.requireNonNull(mode);
            return this;
        }

        public Config build() {
            return new Config(this);
        }
    }

    /** The wanted Ritz pairs and the cost of finding them. Immutable; accessors return copies. */
    public static final class Result {
        private final double[] eigenvalues;
        private final double[][] eigenvectors;
        private final double[] residuals;
        private final ResidualMode residualMode;
        private final int matvecs;
        private final int iterations;
        private final int restarts;
        private final boolean converged;
        private final Which which;

        Result(double[] eigenvalues, double[][] eigenvectors, double[] residuals, ResidualMode residualMode, int matvecs,
                int iterations, int restarts, boolean converged, Which which) {
            this.eigenvalues = eigenvalues;
            this.eigenvectors = eigenvectors;
            this.residuals = residuals;
            this.residualMode = residualMode;
            this.matvecs = matvecs;
            this.iterations = iterations;
            this.restarts = restarts;
            this.converged = converged;
            this.which = which;
        }

        /** λ_1..λ_k: descending for LARGEST_ALGEBRAIC, ascending for SMALLEST_ALGEBRAIC. */
        public double[] eigenvalues() {
            return eigenvalues.clone();
        }

        public double eigenvalue(int i) {
            return eigenvalues[i];
        }

        /** Unit Ritz vectors, {@code eigenvectors()[i]} belongs to {@code eigenvalues()[i]}. Sign is arbitrary. */
        public double[][] eigenvectors() {
            double[][] copy = new double[eigenvectors.length][];
            for (int i = 0; i < eigenvectors.length; i++) {
                copy[i] = eigenvectors[i].clone();
            }
            return copy;
        }

        public double[] eigenvector(int i) {
            return eigenvectors[i].clone();
        }

        /** ‖A u_i − λ_i u_i‖, computed as stated by {@link #residualMode()}. */
        public double[] residuals() {
            return residuals.clone();
        }

        public ResidualMode residualMode() {
            return residualMode;
        }

        /** Total operator applications, including the k extra ones of {@link ResidualMode#TRUE}. */
        public int matvecs() {
            return matvecs;
        }

        /** Lanczos steps taken (size of the final tridiagonal matrix). */
        public int iterations() {
            return iterations;
        }

        /** Restarts after an invariant subspace was found (β ≈ 0). */
        public int restarts() {
            return restarts;
        }

        /** Whether the Ritz residual estimates met the tolerance (true also when the whole space was spanned). */
        public boolean converged() {
            return converged;
        }

        public Which which() {
            return which;
        }

        public int k() {
            return eigenvalues.length;
        }

        @Override
        public String toString() {
            return "Lanczos.Result[" + which + " λ=" + Arrays.toString(eigenvalues) + ", residuals(" + residualMode + ")="
                    + Arrays.toString(residuals) + ", matvecs=" + matvecs + ", iterations=" + iterations + ", converged="
                    + converged + "]";
        }
    }

    /** λ_max with the default configuration (k = 1, tol 1e-6, seed 0). */
    public static double sharpness(LinearOperator op) {
        return run(op, Config.builder().build()).eigenvalue(0);
    }

    /**
     * λ_max and its eigenvector, warm-started from {@code previousTop} (may be null) — the call to make every few
     * training steps, passing the previous result's {@code eigenvector(0)}.
     */
    public static Result trackSharpness(LinearOperator op, double[] previousTop, double tolerance) {
        Builder b = Config.builder().k(1).which(Which.LARGEST_ALGEBRAIC).tolerance(tolerance);
        if (previousTop != null) {
            b.warmStart(previousTop);
        }
        return run(op, b.build());
    }

    /** Runs Lanczos on a symmetric operator of known dimension D = {@code op.dim()}. */
    public static Result run(LinearOperator op, Config config) {
        int dim = Probes.dimension(op);
        int k = config.k;
        if (k > dim) {
            throw new IllegalArgumentException("k = " + k + " eigenpairs requested from an operator of dimension " + dim);
        }
        int maxIterations = Math.min(config.maxIterations, dim);
        if (maxIterations < k) {
            throw new IllegalArgumentException("maxIterations = " + maxIterations + " < k = " + k);
        }
        SplittableRandom rng = new SplittableRandom(config.seed);
        double[] start = startVector(config, dim, rng);
        LanczosProcess lanczos = new LanczosProcess(op, start, maxIterations, () -> Probes.gaussian(rng, dim));

        SymmetricEigen.Decomposition ritz = null;
        double[] estimates = null;
        double[] wantedAtLastBreakdown = null;
        boolean converged = false;
        int lastCheck = 0;
        while (true) {
            lanczos.step();
            int m = lanczos.size();
            boolean last = m >= maxIterations || m >= dim;
            if (lanczos.breakdown() && !last) {
                // span V is invariant, so its Ritz pairs are exact, but copies of a repeated λ (and anything the
                // start vector missed) lie outside it. Accept only once a restarted block leaves the wanted
                // values unchanged.
                ritz = lanczos.ritz();
                lastCheck = m;
                estimates = estimates(ritz, lanczos.lastBeta(), k, config.which);
                double[] wanted = wanted(ritz, k, config.which);
                if (wantedAtLastBreakdown != null && sameValues(wanted, wantedAtLastBreakdown, config.tolerance)) {
                    converged = allBelow(estimates, ritz, k, config);
                    if (converged) {
                        break;
                    }
                }
                wantedAtLastBreakdown = wanted;
            } else {
                // T_m's eigenproblem costs O(m³) with vectors: negligible against HVPs for moderate m; checking
                // every ~m/32 steps keeps it so for long runs (at most ~3% extra matvecs).
                boolean due = m >= k && (m - lastCheck >= Math.max(1, m / 32) || last);
                if (due) {
                    lastCheck = m;
                    ritz = lanczos.ritz();
                    estimates = estimates(ritz, lanczos.lastBeta(), k, config.which);
                    converged = allBelow(estimates, ritz, k, config);
                    if (converged) {
                        break;
                    }
                }
            }
            if (last || !lanczos.advance()) {
                break;
            }
        }
        if (ritz == null || lastCheck != lanczos.size()) {
            ritz = lanczos.ritz();
            estimates = estimates(ritz, lanczos.lastBeta(), k, config.which);
            converged = allBelow(estimates, ritz, k, config);
        }
        // A fully spanned space (m = D, or no direction left) makes the Ritz pairs exact.
        converged = converged || (lanczos.exhausted() && ritz.size() >= k) || lanczos.size() >= dim;
        int kk = Math.min(k, ritz.size());
        double[] values = new double[kk];
        double[][] vectors = new double[kk][];
        double[] residuals = new double[kk];
        int matvecs = lanczos.matvecs();
        for (int i = 0; i < kk; i++) {
            int idx = index(ritz.size(), i, config.which);
            values[i] = ritz.value(idx);
            double[] u = lanczos.combine(ritz.vector(idx));
            double norm = Vectors.norm(u);
            vectors[i] = Vectors.scale(1.0 / norm, u);
            if (config.residualMode == ResidualMode.TRUE) {
                double[] au = Probes.apply(op, vectors[i]);
                matvecs++;
                Vectors.axpy(-values[i], vectors[i], au);
                residuals[i] = Vectors.norm(au);
            } else {
                residuals[i] = estimates[i];
            }
        }
        return new Result(values, vectors, residuals, config.residualMode, matvecs, lanczos.size(), lanczos.restarts(),
                converged, config.which);
    }

    private static double[] startVector(Config config, int dim, SplittableRandom rng) {
        double[] noise = Probes.gaussian(rng, dim);
        normalise(noise);
        if (config.warmStart.isEmpty()) {
            return noise;
        }
        // Orthonormalise the warm vectors first so that e.g. u and −u cannot cancel in the sum.
        List<double[]> ortho = new ArrayList<>();
        for (double[] w : config.warmStart) {
            if (w.length != dim) {
                throw new IllegalArgumentException("warm-start vector of length " + w.length + " for dimension " + dim);
            }
            double[] v = w.clone();
            double before = Vectors.norm(v);
            for (int pass = 0; pass < 2; pass++) {
                for (double[] q : ortho) {
                    Vectors.axpy(-Vectors.dot(v, q), q, v);
                }
            }
            double after = Vectors.norm(v);
            if (Double.isFinite(after) && after > 1e-8 * before) {
                ortho.add(Vectors.scale(1.0 / after, v));
            }
        }
        double[] start = new double[dim];
        for (double[] q : ortho) {
            Vectors.axpy(1.0, q, start);
        }
        double norm = Vectors.norm(start);
        if (norm == 0) {
            return noise;
        }
        Vectors.axpy(config.warmStartNoise * norm, noise, start);
        normalise(start);
        return start;
    }

    private static void normalise(double[] v) {
        double n = Vectors.norm(v);
        for (int i = 0; i < v.length; i++) {
            v[i] /= n;
        }
    }

    /** Position in T's ascending eigenvalue list of the i-th wanted Ritz pair. */
    private static int index(int m, int i, Which which) {
        return which == Which.LARGEST_ALGEBRAIC ? m - 1 - i : i;
    }

    private static double[] wanted(SymmetricEigen.Decomposition ritz, int k, Which which) {
        int kk = Math.min(k, ritz.size());
        double[] w = new double[kk];
        for (int i = 0; i < kk; i++) {
            w[i] = ritz.value(index(ritz.size(), i, which));
        }
        return w;
    }

    private static boolean sameValues(double[] a, double[] b, double tol) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - b[i]) <= tol * Math.max(1.0, Math.abs(a[i])))) {
                return false;
            }
        }
        return true;
    }

    private static double[] estimates(SymmetricEigen.Decomposition ritz, double beta, int k, Which which) {
        int m = ritz.size();
        int kk = Math.min(k, m);
        double[] r = new double[kk];
        for (int i = 0; i < kk; i++) {
            double[] s = ritz.vector(index(m, i, which));
            r[i] = Math.abs(beta * s[m - 1]);
        }
        return r;
    }

    private static boolean allBelow(double[] estimates, SymmetricEigen.Decomposition ritz, int k, Config config) {
        if (estimates.length < k) {
            return false;
        }
        for (int i = 0; i < k; i++) {
            double theta = ritz.value(index(ritz.size(), i, config.which));
            if (!(estimates[i] < config.tolerance * Math.max(1.0, Math.abs(theta)))) {
                return false;
            }
        }
        return true;
    }
}
