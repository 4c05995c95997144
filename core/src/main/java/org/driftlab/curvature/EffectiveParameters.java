package org.driftlab.curvature;

import org.driftlab.DriftlabException;

/**
 * MacKay's effective number of parameters N_eff = Σ_i λ_i/(λ_i + α) = Tr((H + αI)⁻¹H), with α the prior precision
 * (weight decay). Directions with λ_i ≫ α count as one parameter each, flat ones (λ_i ≪ α) as none.
 */
public final class EffectiveParameters {
    private EffectiveParameters() {}

    /** Relative distance |λ + α|/max(1, |α|) below which λ/(λ + α) is treated as a pole. */
    private static final double POLE = 1e-12;

    /** N_eff from an explicit spectrum (e.g. a dense Hessian's eigenvalues). */
    public static double nEff(double[] eigenvalues, double alpha) {
        checkAlpha(alpha);
        double s = 0;
        for (double lambda : eigenvalues) {
            s += term(lambda, alpha);
        }
        return s;
    }

    /**
     * N_eff ≈ Tr f(H) with f(λ) = λ/(λ + α) by stochastic Lanczos quadrature: (D/n_v)·Σ_runs Σ_k w_k f(θ_k). The
     * same pole guard applies to the Ritz values θ_k.
     */
    public static double nEff(SpectralDensity.Result slq, double alpha) {
        checkAlpha(alpha);
        return slq.traceOf(lambda -> term(lambda, alpha));
    }

    private static double term(double lambda, double alpha) {
        double denominator = lambda + alpha;
        if (Math.abs(denominator) <= POLE * Math.max(1.0, Math.abs(alpha))) {
            throw new DriftlabException("N_eff undefined: eigenvalue " + lambda + " is (numerically) equal to -alpha = " + (-alpha)
                    + "; λ/(λ+α) has a pole there (a negative-curvature direction cancelling the prior precision)");
        }
        return lambda / denominator;
    }

    private static void checkAlpha(double alpha) {
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite, got " + alpha);
        }
    }
}
