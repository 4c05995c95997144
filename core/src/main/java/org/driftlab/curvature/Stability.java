package org.driftlab.curvature;

import org.hipparchus.complex.Complex;

/**
 * Stability coefficients of the Principal Flow (Rosca, Wu, Qin, Dherin, TMLR 2023). With H = Σ λ_i u_i u_iᵀ the
 * PF is θ̇ = Σ_i c(hλ_i)·(∇E·u_i)·u_i with c(hλ) = log(1 − hλ)/(hλ) on the principal branch of the log. On a
 * quadratic, the coordinate along u_i evolves as (1 − hλ_i)^{t/h}, so PF equals gradient descent with learning
 * rate h at t = nh.
 *
 * <ul>
 *   <li>hλ → 0: c → −1 (the negative gradient flow); a series is used for |hλ| &lt; 1e-4.</li>
 *   <li>hλ &lt; 1 (including λ &lt; 0): c is real.</li>
 *   <li>hλ = 1: c = −∞ (real). GD lands exactly on the minimum along u_i in one step, which no flow reaches in
 *       finite time; the public colab substitutes −100.</li>
 *   <li>hλ &gt; 1: log(1 − hλ) = ln(hλ − 1) + iπ, so c = (ln(hλ − 1) + iπ)/(hλ) is complex; the iπ is GD's sign flip
 *       per step (period-2 oscillation).</li>
 * </ul>
 * The growth rate along u_i is Re(c·λ) = ln|1 − hλ|/h: negative (stable) iff 0 &lt; hλ &lt; 2, the edge-of-stability
 * threshold λ = 2/h.
 */
public final class Stability {
    private Stability() {}

    private static final double SERIES_THRESHOLD = 1e-4;

    /** c(x) = log(1 − x)/x for x = hλ, principal branch. */
    public static Complex coefficient(double hLambda) {
        double x = hLambda;
        if (Double.isNaN(x)) {
            throw new IllegalArgumentException("hλ is NaN");
        }
        if (Math.abs(x) < SERIES_THRESHOLD) {
            // log(1−x)/x = −(1 + x/2 + x²/3 + x³/4 + …); the x⁴/5 term is below 2e-17 here.
            return new Complex(-(1 + x * (0.5 + x * (1.0 / 3 + x * 0.25))), 0);
        }
        if (x < 1) {
            return new Complex(Math.log1p(-x) / x, 0);
        }
        if (x == 1) {
            return new Complex(Double.NEGATIVE_INFINITY, 0);
        }
        return new Complex(Math.log(x - 1) / x, Math.PI / x);
    }

    /** c(hλ) for learning rate h ≥ 0 and eigenvalue λ; h = 0 gives −1. */
    public static Complex coefficient(double h, double lambda) {
        checkH(h);
        return coefficient(h * lambda);
    }

    /** c(hλ_i) for every eigenvalue. */
    public static Complex[] coefficients(double h, double[] lambdas) {
        checkH(h);
        Complex[] c = new Complex[lambdas.length];
        for (int i = 0; i < lambdas.length; i++) {
            c[i] = coefficient(h * lambdas[i]);
        }
        return c;
    }

    /**
     * c(hλ)·λ, the PF's per-direction rate: θ·u_i(t) = exp(c λ t)·θ·u_i(0). At h = 0 it is −λ (gradient flow).
     */
    public static Complex rate(double h, double lambda) {
        checkH(h);
        if (lambda == 0) {
            return Complex.ZERO;
        }
        return coefficient(h * lambda).multiply(lambda);
    }

    /**
     * Growth rate Re(c·λ) = ln|1 − hλ|/h per unit time along u_i: &lt; 0 (contracting) iff 0 &lt; hλ &lt; 2;
     * −∞ at hλ = 1; −λ at h = 0.
     */
    public static double growthRate(double h, double lambda) {
        checkH(h);
        double x = h * lambda;
        if (h == 0 || Math.abs(x) < SERIES_THRESHOLD) {
            return coefficient(x).getReal() * lambda;
        }
        if (x == 1) {
            return Double.NEGATIVE_INFINITY;
        }
        // log1p keeps accuracy for moderate x < 1; for x > 1, |1 − x| = x − 1 exactly.
        return (x < 1 ? Math.log1p(-x) : Math.log(x - 1)) / h;
    }

    /** GD's per-step multiplier 1 − hλ along u_i; |1 − hλ| &gt; 1 means divergence along u_i. */
    public static double stepMultiplier(double h, double lambda) {
        return 1 - h * lambda;
    }

    private static void checkH(double h) {
        if (!(h >= 0) || !Double.isFinite(h)) {
            throw new IllegalArgumentException("learning rate h must be finite and >= 0, got " + h);
        }
    }
}
