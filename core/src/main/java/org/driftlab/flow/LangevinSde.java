package org.driftlab.flow;

import java.util.Objects;
import java.util.random.RandomGenerator;
import org.driftlab.objective.Objective;

/**
 * The Langevin (stochastic modified) model of SGD in time units t = n·h:
 * dθ = −P∇E dt + √h·P·Σ^{1/2} dW, i.e. diffusion matrix h·PΣP, with Σ the covariance of the gradient noise
 * (full, diagonal or isotropic σ²I) and P an optional diagonal preconditioner (per-parameter learning rates
 * h_i = h·p_i; P = I is plain SGD).
 *
 * <p><b>Link to SGD.</b> Euler–Maruyama with dt = h is exactly SGD with Gaussian gradient noise:
 * θ' = θ − hP(∇E + Σ^{1/2}ξ). Smaller dt approaches the continuous process.
 *
 * <p><b>Stationary law</b> (E = Σ_i ½a_iθ_i², Σ = diag(σ_i²), P = diag(p_i)): the continuous process has
 * Var θ_i = h p_i σ_i²/(2a_i), the Gibbs law p(θ) ∝ exp(−E_i(θ_i)/(α h p_i σ_i²)) per coordinate with α = ½
 * (Fokker–Planck: drift −p_i a_i θ, diffusion coefficient ½h p_i² σ_i²). SGD (dt = h) has the exact discrete
 * variance h p_i σ_i²/(a_i(2 − h p_i a_i)). One temperature ½hp_iσ_i² for every coordinate needs p_i ∝ 1/σ_i².
 */
public final class LangevinSde {
    /** The gradient-noise covariance Σ, given through a square root L with LLᵀ = Σ. */
    public static final class Noise {
        private final String kind;
        private final double[] diagonalStd; // isotropic and diagonal
        private final double[][] cholesky; // full

        private Noise(String kind, double[] diagonalStd, double[][] cholesky) {
            this.kind = kind;
            this.diagonalStd = diagonalStd;
            this.cholesky = cholesky;
        }

        /** Σ = σ²I on D parameters. */
        public static Noise isotropic(int dim, double variance) {
            if (!(variance >= 0)) {
                throw new IllegalArgumentException("noise variance must be >= 0, got " + variance);
            }
            double[] s = new double[dim];
            java.util.Arrays.fill(s, Math.sqrt(variance));
            return new Noise("isotropic", s, null);
        }

        /** Σ = diag(σ_i²). */
        public static Noise diagonal(double[] variances) {
            double[] s = new double[variances.length];
            for (int i = 0; i < s.length; i++) {
                if (!(variances[i] >= 0)) {
                    throw new IllegalArgumentException("noise variance " + i + " must be >= 0, got " + variances[i]);
                }
                s[i] = Math.sqrt(variances[i]);
            }
            return new Noise("diagonal", s, null);
        }

        /** A full symmetric positive semi-definite Σ (row-major D×D), factored once by Cholesky. */
        public static Noise full(double[] sigma, int dim) {
            if (sigma.length != dim * dim) {
                throw new IllegalArgumentException("Σ has " + sigma.length + " entries, not " + dim + "x" + dim);
            }
            double scale = 0;
            for (int i = 0; i < dim; i++) {
                scale = Math.max(scale, Math.abs(sigma[i * dim + i]));
            }
            double[][] l = new double[dim][dim];
            for (int j = 0; j < dim; j++) {
                double d = sigma[j * dim + j];
                for (int k = 0; k < j; k++) {
                    d -= l[j][k] * l[j][k];
                }
                if (d < -1e-12 * Math.max(scale, 1e-300)) {
                    throw new IllegalArgumentException("Σ is not positive semi-definite (pivot " + j + " = " + d + ")");
                }
                // A zero pivot (semi-definite Σ) leaves the column at zero: no noise along that direction.
                double ljj = d > 1e-14 * scale ? Math.sqrt(d) : 0;
                l[j][j] = ljj;
                for (int i = j + 1; i < dim; i++) {
                    double s = sigma[i * dim + j];
                    for (int k = 0; k < j; k++) {
                        s -= l[i][k] * l[j][k];
                    }
                    l[i][j] = ljj == 0 ? 0 : s / ljj;
                }
            }
            return new Noise("full", null, l);
        }

        /** D. */
        public int dim() {
            return diagonalStd != null ? diagonalStd.length : cholesky.length;
        }

        /** "isotropic", "diagonal" or "full". */
        public String kind() {
            return kind;
        }

        /** L·ξ for a standard normal ξ drawn from rng: a sample of N(0, Σ). */
        public double[] sample(RandomGenerator rng) {
            int d = dim();
            double[] xi = new double[d];
            for (int i = 0; i < d; i++) {
                xi[i] = rng.nextGaussian();
            }
            if (diagonalStd != null) {
                for (int i = 0; i < d; i++) {
                    xi[i] *= diagonalStd[i];
                }
                return xi;
            }
            double[] out = new double[d];
            for (int i = 0; i < d; i++) {
                double s = 0;
                for (int k = 0; k <= i; k++) {
                    s += cholesky[i][k] * xi[k];
                }
                out[i] = s;
            }
            return out;
        }
    }

    private final Objective objective;
    private final double h;
    private final Noise noise;
    private final double[] preconditioner; // null: identity

    /** dθ = −∇E dt + √(hΣ) dW. */
    public LangevinSde(Objective objective, double h, Noise noise) {
        this(objective, h, noise, null);
    }

    private LangevinSde(Objective objective, double h, Noise noise, double[] preconditioner) {
        this.objective = Objects.requireNonNull(objective, "objective");
        this.h = Checks.learningRate(h);
        this.noise = Objects.requireNonNull(noise, "noise");
        if (noise.dim() != objective.dim()) {
            throw new IllegalArgumentException("noise of dimension " + noise.dim() + " for D = " + objective.dim());
        }
        if (preconditioner != null && preconditioner.length != objective.dim()) {
            throw new IllegalArgumentException("preconditioner of length " + preconditioner.length + " for D = "
                    + objective.dim());
        }
        this.preconditioner = preconditioner == null ? null : preconditioner.clone();
    }

    /** The same SDE with per-parameter rates: drift −P∇E, diffusion h·PΣP, P = diag(p). */
    public LangevinSde withPreconditioner(double[] p) {
        for (double v : p) {
            Checks.positive("preconditioner entry", v);
        }
        return new LangevinSde(objective, h, noise, p);
    }

    /** D. */
    public int dim() {
        return objective.dim();
    }

    /** The learning rate h that scales the diffusion. */
    public double h() {
        return h;
    }

    /** The objective E. */
    public Objective objective() {
        return objective;
    }

    /** Drift −P∇E(θ). */
    public double[] drift(double[] theta) {
        double[] g = objective.gradient(theta);
        double[] out = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = -(preconditioner == null ? 1 : preconditioner[i]) * g[i];
        }
        return out;
    }

    /** A diffusion increment √(h·dt)·P·L·ξ over a time step dt. */
    public double[] diffusion(double dt, RandomGenerator rng) {
        double[] s = noise.sample(rng);
        double c = Math.sqrt(h * dt);
        for (int i = 0; i < s.length; i++) {
            s[i] *= c * (preconditioner == null ? 1 : preconditioner[i]);
        }
        return s;
    }
}
