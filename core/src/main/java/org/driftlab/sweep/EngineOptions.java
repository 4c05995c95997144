package org.driftlab.sweep;

/**
 * How an engine should run a sweep.
 *
 * @param parallel members (or work items) at once; 0 lets the engine choose ({@link #PARALLEL_ZERO})
 * @param memberThreads the largest thread count of a member (an engine gives each member that many cores)
 * @param master the Spark master URL ({@code local[2]}, {@code spark://host:7077}, {@code yarn}, {@code k8s://…}),
 *     or null for the engine's default; ignored by the local engine
 */
public record EngineOptions(int parallel, int memberThreads, String master) {
    /** What a parallel count of 0 means ("0: " + this), on every engine and for every command (help texts say it with these words). */
    public static final String PARALLEL_ZERO = "the engine chooses: the cores (local) or the master's default "
            + "parallelism (spark) over the threads each member or point needs";

    /**
     * The largest parallel count: each slot is a thread of this JVM (the member's, or the driver thread waiting for
     * its Spark job), and a landscape's count is also its kernels' thread count, bounded as DRIFTLAB_THREADS is.
     */
    public static final int MAX_PARALLEL = org.driftlab.Environment.MAX_THREADS;

    /** Checked values. */
    public EngineOptions {
        checkParallel("--parallel", parallel);
        if (memberThreads < 1) {
            throw new IllegalArgumentException("memberThreads must be >= 1, got " + memberThreads);
        }
    }

    /**
     * The one check of a parallel count (0: the engine chooses, see {@link #PARALLEL_ZERO}), for the command line
     * and for the files that record one (a landscape's {@code threads}).
     *
     * @param key   the option or key the count was given as, for the message
     * @param count the count
     */
    public static void checkParallel(String key, int count) {
        org.driftlab.experiment.Params.check(count >= 0 && count <= MAX_PARALLEL, key, count + " must be from 0 (the "
                + "engine chooses) to " + MAX_PARALLEL);
    }
}
