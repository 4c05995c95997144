package org.driftlab.curvature;

import org.driftlab.DriftlabException;

/**
 * MacKay's effective number of parameters N_eff = Σ_i λ_i/(λ_i + α) = Tr((H + αI)⁻¹H), with α the prior precision
 * (weight decay). Directions with λ_i ≫ α count as one parameter each, flat ones (λ_i ≪ α) as none.
 *
 * <p>The count assumes H ⪰ 0 (a minimum, or the Gauss–Newton matrix). Away from a minimum the Hessian of a network is
 * indefinite, and then a negative λ in (−α, 0) subtracts from N_eff, one below −α adds more than 1, and one near −α
 * makes it blow up: N_eff is then no count of well-determined directions. {@link #summary} therefore states how many
 * eigenvalues are negative and gives N_eff over the positive part of the spectrum beside the full sum.
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

    /** N_eff over the positive eigenvalues only, Σ_{λ_i > 0} λ_i/(λ_i + α), from an explicit spectrum. */
    public static double nEffPositive(double[] eigenvalues, double alpha) {
        checkAlpha(alpha);
        double s = 0;
        for (double lambda : eigenvalues) {
            s += lambda > 0 ? term(lambda, alpha) : 0;
        }
        return s;
    }

    /** N_eff over the positive part of the SLQ spectrum. */
    public static double nEffPositive(SpectralDensity.Result slq, double alpha) {
        checkAlpha(alpha);
        return slq.traceOf(lambda -> lambda > 0 ? term(lambda, alpha) : 0);
    }

    /**
     * N_eff with what a reader needs to interpret it.
     *
     * @param nEff                 Σ λ/(λ + α) over the whole spectrum
     * @param nEffPositive         the same sum over λ > 0 only
     * @param negativeEigenvalues  how many λ &lt; 0 (an SLQ estimate, D·(mass below 0), unless exact)
     * @param exact                whether from the exact spectrum
     * @param note                 one sentence saying what N_eff means for this spectrum
     */
    public record Summary(double nEff, double nEffPositive, double negativeEigenvalues, boolean exact, String note) {}

    /** N_eff of an exact spectrum (a dense Hessian's), with the count of its negative eigenvalues. */
    public static Summary summary(double[] eigenvalues, double alpha) {
        int negative = 0;
        for (double lambda : eigenvalues) {
            if (lambda < 0) {
                negative++;
            }
        }
        return summary(nEff(eigenvalues, alpha), nEffPositive(eigenvalues, alpha), negative, true, eigenvalues.length, alpha);
    }

    /** N_eff of an SLQ density, with its estimate of the number of negative eigenvalues. */
    public static Summary summary(SpectralDensity.Result slq, double alpha) {
        double negative = slq.dim() * slq.massBelow(0);
        return summary(nEff(slq, alpha), nEffPositive(slq, alpha), negative, false, slq.dim(), alpha);
    }

    private static Summary summary(double nEff, double positive, double negative, boolean exact, int dim, double alpha) {
        String note;
        if (negative < 0.5) {
            note = "H has no negative eigenvalues" + (exact ? "" : " (SLQ)") + ": N_eff = Σ λ/(λ+α) counts the directions with λ ≫ α = "
                    + alpha;
        } else {
            note = String.format(java.util.Locale.ROOT, "H is indefinite: %s%.0f of %d eigenvalues are negative%s; each λ in (−α, 0) "
                    + "subtracts from N_eff and each λ < −α adds more than 1, so N_eff is not a count of well-determined "
                    + "directions here; n_eff_positive = Σ_{λ>0} λ/(λ+α) = %.4g is", exact ? "" : "about ", negative, dim,
                    exact ? "" : " (SLQ estimate)", positive) + " that count for the positive-curvature directions";
        }
        return new Summary(nEff, positive, negative, exact, note);
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
