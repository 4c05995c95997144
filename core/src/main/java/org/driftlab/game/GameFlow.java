package org.driftlab.game;

import org.driftlab.flow.FlowIntegrator;
import org.driftlab.flow.Trajectory;
import org.driftlab.flow.VectorField;

/**
 * A continuous-time reference for a game, integrated accurately by {@link FlowIntegrator} (adaptive
 * Dormand–Prince 8(5,3)): ż = (α f̃, λ g̃) where (f̃, g̃) = −(∇_φL̃_φ, ∇_θL̃_θ) for a regulariser (none: the original flow;
 * the drift's modified losses: the modified flow). One Euler iteration with step h corresponds to time h, so
 * φ moves by αh·f per iteration, as in the discrete updates.
 */
public final class GameFlow implements VectorField {
    private final GameField field;
    private final double alpha;
    private final double lambda;
    private final Regulariser reg;
    private final double tolerance;

    /**
     * @param tolerance absolute and relative tolerance of the integrator (1e-12 is near float64 accuracy)
     */
    public GameFlow(GameField field, double alpha, double lambda, Regulariser reg, double tolerance) {
        this.field = field;
        this.alpha = alpha;
        this.lambda = lambda;
        this.reg = reg;
        this.tolerance = tolerance;
    }

    /** The original flow φ̇ = αf, θ̇ = λg at tolerance 1e-12. */
    public static GameFlow original(GameField field, double alpha, double lambda) {
        return new GameFlow(field, alpha, lambda, Regulariser.none(), 1e-12);
    }

    /** The modified flow of the given drift (its full modified losses) at tolerance 1e-12. */
    public static GameFlow modified(GameField field, double alpha, double lambda, DriftCoefficients drift) {
        return new GameFlow(field, alpha, lambda, drift.modifiedLoss(), 1e-12);
    }

    /** The flow's vector field at z. */
    public double[] velocity(double[] z) {
        double[] f = field.field(z, reg);
        for (int i = 0; i < f.length; i++) {
            f[i] *= i < field.dimPhi() ? alpha : lambda;
        }
        return f;
    }

    /** z(time) from z(0) = z. */
    public double[] advance(double[] z, double time) {
        if (time == 0) {
            return z.clone();
        }
        return trajectory(z, time, 1)[1];
    }

    /**
     * z at times 0, dt, 2dt, …, steps·dt (row t is z(t·dt)): one adaptive integration over the whole interval by
     * {@link FlowIntegrator} (Dormand–Prince 8(5,3) at this flow's tolerance), sampled from its dense output.
     *
     * @throws org.driftlab.DriftlabException when the integration cannot reach the end (the state left the finite
     *         numbers, or the interval steps·dt needs more integrator steps than allowed): a consequence of the h and
     *         steps asked for, which the message names (issue 17: it was a Java error)
     */
    public double[][] trajectory(double[] z0, double dt, int steps) {
        Trajectory t = FlowIntegrator.dormandPrince().withMethod(FlowIntegrator.Method.DORMAND_PRINCE_853)
                .withTolerances(tolerance, tolerance).integrate(this, z0, dt, steps);
        if (!t.complete()) {
            throw new org.driftlab.DriftlabException(name() + " over " + steps + " steps of " + dt + ": "
                    + t.stopReason() + "; a smaller h or fewer steps keeps the flow within reach");
        }
        double[][] out = new double[steps + 1][];
        for (int n = 0; n <= steps; n++) {
            out[n] = t.real(n);
        }
        return out;
    }

    @Override
    public int dim() {
        return field.dim();
    }

    @Override
    public double[] derivative(double[] state) {
        return velocity(state);
    }

    @Override
    public String name() {
        return "game flow";
    }
}
