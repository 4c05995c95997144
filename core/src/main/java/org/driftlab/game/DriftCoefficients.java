package org.driftlab.game;

import org.driftlab.DriftlabException;

/**
 * The discretisation-drift coefficients of Rosca et al. (ICML 2021) in gradient form: player φ with learning
 * rate h₁ = αh descends
 * <pre>  ∇_φL_φ + selfPhi·∇²_φL_φ ∇_φL_φ + interPhi·∇_φ∇_θL_φ ∇_θL_θ</pre>
 * and player θ with h₂ = λh descends
 * <pre>  ∇_θL_θ + selfTheta·∇²_θL_θ ∇_θL_θ + interTheta·∇_θ∇_φL_θ ∇_φL_φ,</pre>
 * i.e. the gradients of the modified losses L̃_φ = L_φ + (selfPhi/2)‖∇_φL_φ‖² + interPhi·∇_θL_φ·sg(∇_θL_θ) and
 * likewise for θ.
 *
 * <p>Simultaneous (m = k = 1 only): selfPhi = interPhi = h₁/2, selfTheta = interTheta = h₂/2.
 * Alternating, φ first, m φ-steps of h₁/m then k θ-steps of h₂/k: selfPhi = h₁/(2m), interPhi = h₁/2,
 * selfTheta = h₂/(2k), interTheta = −(h₂/2)(2h₁/h₂ − 1) = h₂/2 − h₁.
 *
 * <p>With h₁ = h₂ these give the modified flow of the Euler iterates to O(h³) per step (backward error analysis
 * in common time h per iteration). With h₁ ≠ h₂ they are Rosca et al.'s per-player formulas;
 * a common-time expansion puts the other player's rate on the interaction terms instead ({@link #commonTime}),
 * and only that one is O(h³) per step when h₁ ≠ h₂ (measured in the tests).
 */
public record DriftCoefficients(double selfPhi, double interPhi, double selfTheta, double interTheta) {
    /** The drift of the given update scheme with per-player learning rates h₁, h₂ and update counts m, k. */
    public static DriftCoefficients of(Scheme scheme, double h1, double h2, int m, int k) {
        if (!(h1 > 0) || !(h2 > 0)) {
            throw new DriftlabException("learning rates must be positive: h1 = " + h1 + ", h2 = " + h2);
        }
        if (m < 1 || k < 1) {
            throw new DriftlabException("numbers of updates must be at least 1: m = " + m + ", k = " + k);
        }
        if (scheme == Scheme.SIMULTANEOUS) {
            if (m != 1 || k != 1) {
                throw new DriftlabException("simultaneous updates take one step per player: m = " + m + ", k = " + k
                        + " (use alternating updates for several)");
            }
            return new DriftCoefficients(h1 / 2, h1 / 2, h2 / 2, h2 / 2);
        }
        return new DriftCoefficients(h1 / (2.0 * m), h1 / 2, h2 / (2.0 * k), -(h2 / 2) * (2 * h1 / h2 - 1));
    }

    /**
     * The drift from backward error analysis in common time h per iteration, exact to O(h³) per step for any
     * α, λ: the interaction terms carry the other player's rate. Simultaneous: (h₁/2, h₂/2, h₂/2, h₁/2);
     * alternating, φ first: (h₁/(2m), h₂/2, h₂/(2k), −h₁/2). Equal to {@link #of} when h₁ = h₂.
     */
    public static DriftCoefficients commonTime(Scheme scheme, double h1, double h2, int m, int k) {
        DriftCoefficients paper = of(scheme, h1, h2, m, k); // validates the arguments
        if (scheme == Scheme.SIMULTANEOUS) {
            return new DriftCoefficients(paper.selfPhi, h2 / 2, paper.selfTheta, h1 / 2);
        }
        return new DriftCoefficients(paper.selfPhi, h2 / 2, paper.selfTheta, -h1 / 2);
    }

    /** The full modified losses L̃ as a regulariser: the terms the Euler iterates follow implicitly. */
    public Regulariser modifiedLoss() {
        return explicit(1, 1, 1, 1);
    }

    /**
     * The drift terms times per-term multipliers, as explicit regularisers: −1 cancels a term (the iterates then
     * follow the original flow in that term), +1 doubles it, 0 leaves it.
     */
    public Regulariser explicit(double selfPhiMult, double interPhiMult, double selfThetaMult, double interThetaMult) {
        return new Regulariser(selfPhiMult * selfPhi / 2, interPhiMult * interPhi, 0,
                selfThetaMult * selfTheta / 2, interThetaMult * interTheta, 0);
    }

    /** The coefficients plus an explicit regulariser's self and interaction terms (other-norm terms ignored). */
    public DriftCoefficients plus(Regulariser r) {
        return new DriftCoefficients(selfPhi + 2 * r.selfPhi(), interPhi + r.interPhi(),
                selfTheta + 2 * r.selfTheta(), interTheta + r.interTheta());
    }
}
