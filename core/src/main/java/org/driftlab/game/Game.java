package org.driftlab.game;

import org.driftlab.autodiff.Var;

/**
 * A differentiable two-player game: player φ (dimension {@link #dimPhi()}) minimises L_φ, player θ (dimension
 * {@link #dimTheta()}) minimises L_θ, each over its own flat parameter vector. The continuous dynamics are
 * φ̇ = f = −∇_φL_φ and θ̇ = g = −∇_θL_θ (Rosca et al., ICML 2021).
 *
 * <p>A zero-sum game with value E has L_φ = −E and L_θ = E (φ maximises E, e.g. the discriminator; θ minimises
 * it, e.g. the generator); see {@link ZeroSumGame}. Losses are differentiable expressions, so the field, its
 * Jacobian-vector products and the drift regularisers (gradients of gradient norms) are exact.
 */
public interface Game {
    /** Number of parameters of player φ (updated first by alternating updates). */
    int dimPhi();

    /** Number of parameters of player θ. */
    int dimTheta();

    /** L_φ(φ, θ), a scalar expression; φ has shape [dimPhi], θ has shape [dimTheta]. */
    Var lossPhi(Var phi, Var theta);

    /** L_θ(φ, θ), a scalar expression. */
    Var lossTheta(Var phi, Var theta);

    /** A short name for tables and reports. */
    String name();

    /**
     * Called once before every iteration t of a discrete update (both players' sub-steps of one iteration see
     * the same call). Stochastic games (mini-batches, latent samples) draw their batch here, deterministically
     * from their seed and t; deterministic games ignore it.
     */
    default void onIteration(long t) {}
}
