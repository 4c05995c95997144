package org.driftlab.experiment;

/** Where the runner gets its {@link ObjectiveFactory}: one place to swap the toy stand-in for the real one. */
public final class ObjectiveFactories {
    /** The factory used by the CLI. INTEGRATOR: replace with the nn/data-backed factory. */
    public static final ObjectiveFactory DEFAULT = new ToyObjectiveFactory();

    private ObjectiveFactories() {}
}
