package org.driftlab.sweep;

/**
 * A sweep engine that lives outside the core, found with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/org.driftlab.sweep.EngineProvider} entry in its jar), so that the core never names it:
 * the {@code spark} module provides {@code spark}.
 */
public interface EngineProvider {
    /** The name given to {@code --engine}. */
    String name();

    /** A new engine. */
    SweepEngine create(EngineOptions options);

    /**
     * Refuses options this engine cannot run with (a {@link org.driftlab.DriftlabException} naming the option),
     * allocating nothing: commands call it before they write or compute anything, and start the engine last.
     */
    default void check(EngineOptions options) {}
}
