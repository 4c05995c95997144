package org.driftlab.game;

import org.driftlab.DriftlabException;

/**
 * Discrete updates of a game: one {@link #step} is one iteration of simultaneous or alternating Euler updates
 * with learning rates h₁ = αh for φ and h₂ = λh for θ, each player descending its own (optionally explicitly
 * regularised) loss.
 *
 * <p>Alternating updates take m φ-steps of h₁/m, then k θ-steps of h₂/k at the new φ, so each player moves by
 * h₁f (h₂g) per iteration to first order whatever m, k; this is the reading under which the drift
 * coefficients h₁/(4m), h₂/(4k) of Rosca et al. hold. Simultaneous updates need m = k = 1.
 *
 * <p>{@link #rk4} gives the ODE-GAN comparison (Qin et al. 2020): one classical Runge–Kutta step of time h on
 * ż = (α f̃, λ g̃), with fifth-order local drift.
 */
public final class GameStepper {
    private final GameField field;
    private final Scheme scheme;
    private final double h;
    private final double alpha;
    private final double lambda;
    private final int m;
    private final int k;
    private final Regulariser reg;
    private final boolean rk4;
    private final boolean previousIterate;
    private double[] anchor;

    private GameStepper(GameField field, Scheme scheme, double h, double alpha, double lambda, int m, int k,
                        Regulariser reg, boolean rk4, boolean previousIterate) {
        if (!(h > 0) || !(alpha > 0) || !(lambda > 0)) {
            throw new DriftlabException("h, alpha and lambda must be positive: h = " + h + ", alpha = " + alpha
                    + ", lambda = " + lambda);
        }
        if (m < 1 || k < 1) {
            throw new DriftlabException("numbers of updates must be at least 1: m = " + m + ", k = " + k);
        }
        if (scheme == Scheme.SIMULTANEOUS && (m != 1 || k != 1)) {
            throw new DriftlabException("simultaneous updates take one step per player: m = " + m + ", k = " + k);
        }
        this.field = field;
        this.scheme = scheme;
        this.h = h;
        this.alpha = alpha;
        this.lambda = lambda;
        this.m = m;
        this.k = k;
        this.reg = reg;
        this.rk4 = rk4;
        this.previousIterate = previousIterate;
    }

    /** Euler updates of the given scheme with h₁ = αh, h₂ = λh and m, k updates per player. */
    public static GameStepper euler(GameField field, Scheme scheme, double h, double alpha, double lambda, int m, int k,
                                    Regulariser reg) {
        return new GameStepper(field, scheme, h, alpha, lambda, m, k, reg, false, false);
    }

    /** Simultaneous Euler updates with h₁ = h₂ = h and no regulariser. */
    public static GameStepper simultaneous(GameField field, double h) {
        return euler(field, Scheme.SIMULTANEOUS, h, 1, 1, 1, 1, Regulariser.none());
    }

    /** Alternating Euler updates (φ first, m = k = 1) with h₁ = h₂ = h and no regulariser. */
    public static GameStepper alternating(GameField field, double h) {
        return euler(field, Scheme.ALTERNATING, h, 1, 1, 1, 1, Regulariser.none());
    }

    /** One RK4 step of time h per iteration on ż = (α f̃, λ g̃) (ODE-GAN). */
    public static GameStepper rk4(GameField field, double h, double alpha, double lambda, Regulariser reg) {
        return new GameStepper(field, Scheme.SIMULTANEOUS, h, alpha, lambda, 1, 1, reg, true, false);
    }

    /**
     * Simultaneous Euler updates whose interaction terms take the other player's gradient at the previous iterate
     * (φ_{t−1}, θ_{t−1}), the general-sum form of Rosca and Deisenroth (2023) (see {@link Regulariser#generalSum});
     * the first iteration uses the current one. The stepper keeps the last iterate's gradients between calls to
     * {@link #step}, so use one stepper per trajectory.
     */
    public static GameStepper previousIterate(GameField field, double h, double alpha, double lambda, Regulariser reg) {
        return new GameStepper(field, Scheme.SIMULTANEOUS, h, alpha, lambda, 1, 1, reg, false, true);
    }

    /** h₁ = αh. */
    public double h1() {
        return alpha * h;
    }

    /** h₂ = λh. */
    public double h2() {
        return lambda * h;
    }

    /** The update scheme. */
    public Scheme scheme() {
        return scheme;
    }

    /** The implicit drift coefficients of these updates (Rosca et al.). */
    public DriftCoefficients drift() {
        return DriftCoefficients.of(scheme, h1(), h2(), m, k);
    }

    /** One iteration t from z; returns the new z (z is not modified). */
    public double[] step(double[] z, long t) {
        field.game().onIteration(t);
        if (rk4) {
            return rk4Step(z);
        }
        int n = field.dimPhi();
        int d = field.dim();
        if (scheme == Scheme.SIMULTANEOUS) {
            double[] a = previousIterate ? anchor : null;
            if (previousIterate) {
                anchor = field.gradients(z, Regulariser.none(), null);
            }
            double[] g = field.gradients(z, reg, a);
            double[] out = z.clone();
            for (int i = 0; i < d; i++) {
                out[i] -= (i < n ? h1() : h2()) * g[i];
            }
            return out;
        }
        double[] out = z.clone();
        for (int s = 0; s < m; s++) {
            double[] g = field.gradients(out, reg, null);
            for (int i = 0; i < n; i++) {
                out[i] -= h1() / m * g[i];
            }
        }
        for (int s = 0; s < k; s++) {
            double[] g = field.gradients(out, reg, null);
            for (int i = n; i < d; i++) {
                out[i] -= h2() / k * g[i];
            }
        }
        return out;
    }

    /**
     * Iterates {@code steps} times from z0; row t of the result is z_t (row 0 is z0). A previous-iterate stepper
     * starts afresh (no anchor from an earlier run).
     */
    public double[][] run(double[] z0, int steps) {
        anchor = null;
        double[][] out = new double[steps + 1][];
        out[0] = z0.clone();
        for (int t = 0; t < steps; t++) {
            out[t + 1] = step(out[t], t);
        }
        return out;
    }

    private double[] rk4Step(double[] z) {
        double[] k1 = scaled(z);
        double[] k2 = scaled(axpy(z, h / 2, k1));
        double[] k3 = scaled(axpy(z, h / 2, k2));
        double[] k4 = scaled(axpy(z, h, k3));
        double[] out = z.clone();
        for (int i = 0; i < z.length; i++) {
            out[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
        return out;
    }

    private double[] scaled(double[] z) {
        double[] f = field.field(z, reg);
        for (int i = 0; i < f.length; i++) {
            f[i] *= i < field.dimPhi() ? alpha : lambda;
        }
        return f;
    }

    private static double[] axpy(double[] z, double a, double[] v) {
        double[] out = z.clone();
        for (int i = 0; i < z.length; i++) {
            out[i] += a * v[i];
        }
        return out;
    }
}
