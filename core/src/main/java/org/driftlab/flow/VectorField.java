package org.driftlab.flow;

/**
 * An autonomous vector field θ̇ = f(θ) on parameters θ ∈ R^D, or on C^D for fields whose coefficients are complex
 * (the Principal Flow past hλ = 1). A complex state is stored as 2D reals, {@code [Re θ, Im θ]}, so any real ODE
 * integrator applies.
 *
 * <p>Implementations are immutable configurations (an objective and a learning rate h); they hold no state
 * between evaluations, so one field can be integrated from several starting points.
 */
public interface VectorField {
    /** D, the number of parameters. */
    int dim();

    /** True when the state lives in C^D (stored as {@code [Re θ, Im θ]}, length 2D). */
    default boolean isComplex() {
        return false;
    }

    /** Length of the state vector: D, or 2D for a complex field. */
    default int stateDim() {
        return isComplex() ? 2 * dim() : dim();
    }

    /** f(state), a new array of length {@link #stateDim()}. */
    double[] derivative(double[] state);

    /** A short name for tables and figures, e.g. {@code ngf}, {@code igr}, {@code pf}. */
    String name();

    /** Checks a state's length. */
    default void checkState(double[] state) {
        if (state.length != stateDim()) {
            throw new IllegalArgumentException(name() + ": state of length " + state.length + ", expected "
                    + stateDim());
        }
    }
}
