package org.driftlab.sweep;

import java.io.Serializable;

/**
 * Runs one member: (member spec, member directory) → outcome and summary. Engines only decide where this runs;
 * what it computes never depends on the engine. Must be idempotent: run again on a member directory it finished,
 * it returns the recorded result; on one it started, it resumes from the checkpoint (this is how a killed sweep
 * resumes and how Spark retries a lost task without running a member twice). Serialisable, because a Spark task
 * ships it to an executor.
 */
@FunctionalInterface
public interface MemberJob extends Serializable {
    /** Runs the member; a member that fails is a result with outcome {@link MemberResult#FAILED}, not an exception. */
    MemberResult run(MemberTask task);
}
