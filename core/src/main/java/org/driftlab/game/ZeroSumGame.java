package org.driftlab.game;

import java.util.function.BiFunction;
import org.driftlab.autodiff.F;
import org.driftlab.autodiff.Var;

/**
 * A zero-sum game min_θ max_φ E(φ, θ): L_φ = −E and L_θ = E, so f = ∇_φE and g = −∇_θE. (The slides write it
 * as min_θ min_φ with L_φ = −E.)
 */
public class ZeroSumGame implements Game {
    private final String name;
    private final int dimPhi;
    private final int dimTheta;
    private final BiFunction<Var, Var, Var> value;

    /**
     * @param value E(φ, θ) as a differentiable scalar expression
     */
    public ZeroSumGame(String name, int dimPhi, int dimTheta, BiFunction<Var, Var, Var> value) {
        if (dimPhi < 1 || dimTheta < 1) {
            throw new IllegalArgumentException("game dimensions must be positive: " + dimPhi + ", " + dimTheta);
        }
        this.name = name;
        this.dimPhi = dimPhi;
        this.dimTheta = dimTheta;
        this.value = value;
    }

    /** E(φ, θ). */
    public Var value(Var phi, Var theta) {
        return value.apply(phi, theta);
    }

    @Override
    public int dimPhi() {
        return dimPhi;
    }

    @Override
    public int dimTheta() {
        return dimTheta;
    }

    @Override
    public Var lossPhi(Var phi, Var theta) {
        return F.neg(value(phi, theta));
    }

    @Override
    public Var lossTheta(Var phi, Var theta) {
        return value(phi, theta);
    }

    @Override
    public String name() {
        return name;
    }
}
