package org.driftlab.sweep;

/**
 * How an engine should run a sweep.
 *
 * @param parallel members at once; 0 lets the engine choose from the cores and memberThreads
 * @param memberThreads the largest thread count of a member (an engine gives each member that many cores)
 * @param master the Spark master URL ({@code local[2]}, {@code spark://host:7077}, {@code yarn}, {@code k8s://…}),
 *     or null for the engine's default; ignored by the local engine
 */
public record EngineOptions(int parallel, int memberThreads, String master) {
    /** Checked values. */
    public EngineOptions {
        if (parallel < 0) {
            throw new org.driftlab.DriftlabException("--parallel: " + parallel + " must be >= 1");
        }
        if (memberThreads < 1) {
            throw new IllegalArgumentException("memberThreads must be >= 1, got " + memberThreads);
        }
    }
}
