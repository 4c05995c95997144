package org.driftlab.game;

/**
 * Explicit gradient-norm regularisers added to each player's loss, with loss-level coefficients:
 * <pre>
 *   L̃_φ = L_φ + selfPhi·‖∇_φL_φ‖² + interPhi·∇_θL_φ·sg(∇_θL_θ) + otherPhi·‖∇_θL_θ‖²
 *   L̃_θ = L_θ + selfTheta·‖∇_θL_θ‖² + interTheta·∇_φL_θ·sg(∇_φL_φ) + otherTheta·‖∇_φL_φ‖²
 * </pre>
 * sg is the stop-gradient: a player's interaction term is differentiated only through its own loss. The other
 * player's gradient norm is differentiated in full (its φ-gradient is what SGA and consensus optimisation use).
 * Every drift term and comparison method of Rosca et al. (2021), Table 1, is one setting of these six numbers.
 */
public record Regulariser(double selfPhi, double interPhi, double otherPhi,
                          double selfTheta, double interTheta, double otherTheta) {
    /** No regulariser: each player descends its own loss. */
    public static Regulariser none() {
        return new Regulariser(0, 0, 0, 0, 0, 0);
    }

    /**
     * Consensus optimisation (Mescheder et al. 2017): both players add η·½‖ξ‖² with ξ = (∇_φL_φ, ∇_θL_θ), i.e.
     * self norm plus other norm, each with coefficient η/2.
     */
    public static Regulariser consensus(double eta) {
        return new Regulariser(eta / 2, 0, eta / 2, eta / 2, 0, eta / 2);
    }

    /**
     * Symplectic gradient adjustment without alignment (Balduzzi et al. 2018), as in Rosca et al.'s Table 1 and
     * drift_utils: each player adds η·½‖∇ of the other player‖² (other norm only).
     */
    public static Regulariser sga(double eta) {
        return new Regulariser(0, 0, eta / 2, 0, 0, eta / 2);
    }

    /**
     * The locally stable GAN penalty (Nagarajan and Kolter 2017): only the second player θ (the generator) adds
     * η‖∇_φL_φ‖², the norm of the first player's (the discriminator's) gradient.
     */
    public static Regulariser locallyStable(double eta) {
        return new Regulariser(0, 0, 0, 0, 0, eta);
    }

    /**
     * The general-sum drift terms of Rosca and Deisenroth (2023) as the seed deck writes them, times per-term
     * multipliers: Ẽ_φ,t = E_φ + h(½‖∇_φE_φ‖² + ½∇_θE_φ·∇_θE_θ(φ_{t−1}, θ_{t−1})) and likewise for θ, i.e. loss-level
     * self and interaction coefficients h/2 for both players. The other player's gradient at the previous iterate
     * is supplied by {@link GameStepper#previousIterate}; multipliers −1 cancel a term, +1 double it, 0 leave it.
     */
    public static Regulariser generalSum(double h, double selfMult, double interMult) {
        return new Regulariser(selfMult * h / 2, interMult * h / 2, 0, selfMult * h / 2, interMult * h / 2, 0);
    }

    /** The sum of two regularisers (coefficients add). */
    public Regulariser plus(Regulariser o) {
        return new Regulariser(selfPhi + o.selfPhi, interPhi + o.interPhi, otherPhi + o.otherPhi,
                selfTheta + o.selfTheta, interTheta + o.interTheta, otherTheta + o.otherTheta);
    }

    /** Whether every coefficient is zero (then no second-order graph is needed). */
    public boolean isZero() {
        return selfPhi == 0 && interPhi == 0 && otherPhi == 0 && selfTheta == 0 && interTheta == 0 && otherTheta == 0;
    }
}
