package org.driftlab.sweep;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where the members of a sweep, or plain work items (the points of a landscape), run: in this JVM
 * ({@link LocalEngine}), as Spark tasks (the {@code spark} module), or anywhere else an {@link EngineProvider}
 * reaches. An engine decides placement and concurrency only; the result of a member is whatever {@link MemberJob}
 * returns, and the values of an item whatever {@link WorkJob} computes, identical on every engine.
 */
public interface SweepEngine extends AutoCloseable {
    /**
     * Runs every task with job, calling done with each result as soon as that member finishes (from any thread, never
     * two calls at once); returns when all have finished. A member whose job throws (on Spark: a task that failed all
     * its attempts) is reported as {@link MemberResult#FAILED}, never by an exception out of this method.
     */
    void run(List<MemberTask> tasks, MemberJob job, Consumer<MemberResult> done);

    /**
     * Evaluates job at every one of indices, calling done with each item's values as soon as this side has them
     * (from any thread, never two calls at once, in no particular order); returns when all have been delivered. An
     * item has no failed state of its own, unlike a member: the first exception of the job (on Spark: of a task that
     * failed all its attempts) or of done stops the work and is thrown out of this method, and the items done has
     * heard of by then are all that was delivered (a caller that records them as they come resumes from there).
     */
    void evaluate(int[] indices, WorkJob job, WorkJob.Sink done);

    /** Members (or work items) evaluated at once. */
    int parallelism();

    /**
     * One line for the log and the provenance, naming what runs, e.g. "local, 2 members at a time" for
     * {@code item} "member".
     */
    String describe(String item);

    /** Releases the engine's resources (a Spark context); the default has none. */
    @Override
    default void close() {}
}
