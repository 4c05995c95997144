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
}
