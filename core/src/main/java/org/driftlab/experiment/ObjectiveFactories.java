package org.driftlab.experiment;

/** Where the runner gets its {@link ObjectiveFactory}. */
public final class ObjectiveFactories {
    /** The factory used by the CLI: networks from nn, data from data. */
    public static final ObjectiveFactory DEFAULT = new NetProblemFactory();

    private ObjectiveFactories() {}
}
