package org.driftlab.sweep;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where the members of a sweep run: in this JVM ({@link LocalEngine}), as Spark tasks (the {@code spark} module),
 * or anywhere else an {@link EngineProvider} reaches. An engine decides placement and concurrency only; the result of
 * a member is whatever {@link MemberJob} returns, identical on every engine.
 */
public interface SweepEngine extends AutoCloseable {
    /**
     * Runs every task with job, calling done with each result as soon as that member finishes (from any thread, never
     * two calls at once); returns when all have finished. A member whose job throws (on Spark: a task that failed all
     * its attempts) is reported as {@link MemberResult#FAILED}, never by an exception out of this method.
     */
    void run(List<MemberTask> tasks, MemberJob job, Consumer<MemberResult> done);

    /** Members run at once. */
    int parallelism();

    /** One line for the log and the provenance, e.g. "local, 2 members at a time". */
    String describe();

    /** Releases the engine's resources (a Spark context); the default has none. */
    @Override
    default void close() {}
}
