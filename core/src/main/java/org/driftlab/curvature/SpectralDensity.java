package org.driftlab.curvature;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.driftlab.linalg.LinearOperator;
import org.driftlab.linalg.SymmetricEigen;

/**
 * Spectral density of a symmetric operator by stochastic Lanczos quadrature (SLQ; Ghorbani et al. 2019,
 * PyHessian). Each of n_v runs does m Lanczos steps with full reorthogonalisation from a normalised Rademacher
 * vector v; the quadrature nodes are the Ritz values θ_k = eig(T_m) and the weights w_k = (e₁ᵀs_k)², so that
 * vᵀf(A)v ≈ Σ_k w_k f(θ_k), exactly when m ≥ D.
 *
 * <p>Broadening (the PyHessian / google spectral-density {@code density_generate} convention): grid of
 * {@code gridPoints} = 10000 equally spaced points on [mean_runs(min θ) − 0.01, mean_runs(max θ) + 0.01],
 * Gaussian kernels of <em>variance</em> σ² = 1e-5·max(1, grid width), density averaged over runs and
 * renormalised so that its <em>rectangle-rule</em> integral Σ_i ρ(t_i)·Δt is 1. The convention string is part of
 * every result ({@link Result#convention()}); reports must quote it.
 */
public final class SpectralDensity {
    private SpectralDensity() {}

    /** Immutable SLQ configuration; defaults follow PyHessian ({@code iter=100, n_v=1}) and its broadening. */
    public static final class Config {
        private final int runs;
        private final int steps;
        private final long seed;
        private final int gridPoints;
        private final double overhead;
        private final double sigmaSquaredFactor;

        private Config(int runs, int steps, long seed, int gridPoints, double overhead, double sigmaSquaredFactor) {
            if (runs < 1 || steps < 1 || gridPoints < 2 || !(overhead >= 0) || !(sigmaSquaredFactor > 0)) {
                throw new IllegalArgumentException("SLQ config: need runs >= 1, steps >= 1, gridPoints >= 2, overhead >= 0, σ² factor > 0");
            }
            this.runs = runs;
            this.steps = steps;
            this.seed = seed;
            this.gridPoints = gridPoints;
            this.overhead = overhead;
            this.sigmaSquaredFactor = sigmaSquaredFactor;
        }

        /** runs n_v = 1, steps m = 100, seed 0, 10000 grid points, overhead 0.01, σ² = 1e-5·max(1, width). */
        public static Config defaults() {
            return new Config(1, 100, 0, 10000, 0.01, 1e-5);
        }

        /** Number of independent Rademacher starts n_v. */
        public Config withRuns(int runs) {
            return new Config(runs, steps, seed, gridPoints, overhead, sigmaSquaredFactor);
        }

        /** Lanczos steps m per run (capped at D; m ≥ D gives exact quadrature). */
        public Config withSteps(int steps) {
            return new Config(runs, steps, seed, gridPoints, overhead, sigmaSquaredFactor);
        }

        public Config withSeed(long seed) {
            return new Config(runs, steps, seed, gridPoints, overhead, sigmaSquaredFactor);
        }

        public Config withGridPoints(int gridPoints) {
            return new Config(runs, steps, seed, gridPoints, overhead, sigmaSquaredFactor);
        }

        /** Padding added on both sides of the node range (PyHessian {@code overhead}, google {@code grid_expand}). */
        public Config withOverhead(double overhead) {
            return new Config(runs, steps, seed, gridPoints, overhead, sigmaSquaredFactor);
        }

        /** The factor c in σ² = c·max(1, width); google's README suggests trying c in [1e-5, 1e-1]. */
        public Config withSigmaSquaredFactor(double factor) {
            return new Config(runs, steps, seed, gridPoints, overhead, factor);
        }

        public int runs() {
            return runs;
        }

        public int steps() {
            return steps;
        }

        public long seed() {
            return seed;
        }

        public int gridPoints() {
            return gridPoints;
        }

        public double overhead() {
            return overhead;
        }

        public double sigmaSquaredFactor() {
            return sigmaSquaredFactor;
        }

        @Override
        public String toString() {
            return "SpectralDensity.Config[runs=" + runs + ", steps=" + steps + ", seed=" + seed + ", gridPoints=" + gridPoints
                    + ", overhead=" + overhead + ", sigmaSquaredFactor=" + sigmaSquaredFactor + "]";
        }
    }

    /** Quadrature nodes/weights per run and the broadened density. Immutable; accessors return copies. */
    public static final class Result {
        private final int dim;
        private final double[][] nodes;
        private final double[][] weights;
        private final double[] grid;
        private final double[] density;
        private final double sigmaSquared;
        private final int matvecs;
        private final String convention;

        Result(int dim, double[][] nodes, double[][] weights, double[] grid, double[] density, double sigmaSquared,
                int matvecs, String convention) {
            this.dim = dim;
            this.nodes = nodes;
            this.weights = weights;
            this.grid = grid;
            this.density = density;
            this.sigmaSquared = sigmaSquared;
            this.matvecs = matvecs;
            this.convention = convention;
        }

        /** Dimension D of the operator. */
        public int dim() {
            return dim;
        }

        public int runs() {
            return nodes.length;
        }

        /** Ritz values θ_k of run r (ascending). */
        public double[] nodes(int run) {
            return nodes[run].clone();
        }

        /** Weights w_k = (e₁ᵀs_k)² of run r; they sum to 1. */
        public double[] weights(int run) {
            return weights[run].clone();
        }

        public double[] grid() {
            return grid.clone();
        }

        /** ρ on {@link #grid()}, with Σ ρ_i·Δt = 1 (rectangle rule). */
        public double[] density() {
            return density.clone();
        }

        /** Kernel variance σ² actually used. */
        public double sigmaSquared() {
            return sigmaSquared;
        }

        public int matvecs() {
            return matvecs;
        }

        /** A one-line description of the quadrature and broadening, to be quoted in reports. */
        public String convention() {
            return convention;
        }

        /** Tr f(A) ≈ (D/n_v)·Σ_runs Σ_k w_k f(θ_k). */
        public double traceOf(DoubleUnaryOperator f) {
            double s = 0;
            for (int r = 0; r < nodes.length; r++) {
                for (int k = 0; k < nodes[r].length; k++) {
                    s += weights[r][k] * f.applyAsDouble(nodes[r][k]);
                }
            }
            return dim * s / nodes.length;
        }

        /** Fraction of the spectral mass strictly below t, from the quadrature (e.g. t = 0: negative-eigenvalue mass). */
        public double massBelow(double t) {
            return traceOf(x -> x < t ? 1.0 : 0.0) / dim;
        }

        /** ∫ t·ρ(t) dt on the grid with the same rectangle rule. */
        public double firstMoment() {
            double dt = grid[1] - grid[0];
            double s = 0;
            for (int i = 0; i < grid.length; i++) {
                s += grid[i] * density[i];
            }
            return s * dt;
        }
    }

    /** SLQ with {@link Config#defaults()}. */
    public static Result estimate(LinearOperator op) {
        return estimate(op, Config.defaults());
    }

    public static Result estimate(LinearOperator op, Config config) {
        int dim = Probes.dimension(op);
        int steps = Math.min(config.steps, dim);
        SplittableRandom rng = new SplittableRandom(config.seed);
        double scale = 1.0 / Math.sqrt(dim);
        double[][] nodes = new double[config.runs][];
        double[][] weights = new double[config.runs][];
        int matvecs = 0;
        for (int r = 0; r < config.runs; r++) {
            double[] start = Probes.rademacher(rng, dim, scale);
            LanczosProcess lanczos = new LanczosProcess(op, start, steps, () -> Probes.rademacher(rng, dim, scale));
            lanczos.step();
            while (lanczos.size() < steps && lanczos.advance()) {
                lanczos.step();
            }
            matvecs += lanczos.matvecs();
            SymmetricEigen.Decomposition t = lanczos.ritz();
            nodes[r] = t.values();
            weights[r] = new double[t.size()];
            for (int k = 0; k < t.size(); k++) {
                double first = t.vector(k)[0];
                weights[r][k] = first * first;
            }
        }
        return broaden(dim, nodes, weights, matvecs, config);
    }

    private static Result broaden(int dim, double[][] nodes, double[][] weights, int matvecs, Config config) {
        int runs = nodes.length;
        double lo = 0;
        double hi = 0;
        for (int r = 0; r < runs; r++) {
            lo += Arrays.stream(nodes[r]).min().orElseThrow() / runs;
            hi += Arrays.stream(nodes[r]).max().orElseThrow() / runs;
        }
        lo -= config.overhead;
        hi += config.overhead;
        if (!(hi > lo)) {
            // All nodes equal and no overhead: give the single atom a unit-width window.
            lo -= 0.5;
            hi += 0.5;
        }
        double sigma2 = config.sigmaSquaredFactor * Math.max(1.0, hi - lo);
        int n = config.gridPoints;
        double[] grid = new double[n];
        double dt = (hi - lo) / (n - 1);
        for (int i = 0; i < n; i++) {
            grid[i] = lo + i * dt;
        }
        grid[n - 1] = hi;
        double[] density = new double[n];
        double norm = 1.0 / Math.sqrt(2 * Math.PI * sigma2);
        // Beyond 12σ a kernel is below e^{-72} ≈ 5e-32 of its peak: skip it.
        double cutoff = 12 * Math.sqrt(sigma2);
        for (int r = 0; r < runs; r++) {
            for (int k = 0; k < nodes[r].length; k++) {
                double theta = nodes[r][k];
                double w = weights[r][k] / runs;
                int from = Math.max(0, (int) Math.floor((theta - cutoff - lo) / dt));
                int to = Math.min(n - 1, (int) Math.ceil((theta + cutoff - lo) / dt));
                for (int i = from; i <= to; i++) {
                    double d = grid[i] - theta;
                    density[i] += w * norm * Math.exp(-d * d / (2 * sigma2));
                }
            }
        }
        double mass = Arrays.stream(density).sum() * dt;
        if (mass > 0) {
            for (int i = 0; i < n; i++) {
                density[i] /= mass;
            }
        }
        String convention = String.format(java.util.Locale.ROOT,
                "SLQ: %d run(s) x %d Lanczos steps (full reorthogonalisation), normalised Rademacher starts, seed %d; "
                        + "nodes = Ritz values, weights = squared first components; Gaussian broadening with variance "
                        + "sigma^2 = %.3g*max(1, width) = %.6g (PyHessian/Ghorbani density_generate); grid of %d points on "
                        + "[mean min - %.3g, mean max + %.3g]; renormalised to unit rectangle-rule integral (sum*dt = 1)",
                runs, nodes[0].length, config.seed, config.sigmaSquaredFactor, sigma2, n, config.overhead, config.overhead);
        return new Result(dim, nodes, weights, grid, density, sigma2, matvecs, convention);
    }
}
