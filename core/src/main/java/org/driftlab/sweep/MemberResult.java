package org.driftlab.sweep;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a member ended and what it measured: one row of {@code sweep.csv}.
 *
 * @param index the member's position in the sweep
 * @param id the member's ID
 * @param outcome the run's outcome ({@code completed}, {@code loss_threshold}, {@code accuracy_threshold},
 *     {@code diverged}) or {@link #FAILED}
 * @param message for a failed member the error's message (one line), else empty
 * @param wallSeconds wall-clock seconds of the attempt that finished the member (a resumed member counts only
 *     its last attempt); the one column of sweep.csv that differs between identical sweeps
 * @param summary final and summary metrics by name (NaN: measured as not a number; a key absent: not measured)
 */
public record MemberResult(int index, String id, String outcome, String message, double wallSeconds,
                           Map<String, Double> summary) implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The outcome of a member that threw. */
    public static final String FAILED = "failed";

    /** Immutable copy keeping the order of the metrics. */
    public MemberResult {
        summary = Collections.unmodifiableMap(new LinkedHashMap<>(summary));
        message = message == null ? "" : message;
    }

    /** A failed member with the error's message. */
    public static MemberResult failed(MemberTask task, Throwable error, double wallSeconds) {
        return new MemberResult(task.index(), task.id(), FAILED, describe(error), wallSeconds, Map.of());
    }

    /** The error as one line: its class when it is not a user error, its message, no stack trace. */
    static String describe(Throwable t) {
        String msg = t.getMessage() == null ? "" : t.getMessage();
        String line = t instanceof org.driftlab.DriftlabException ? msg
                : t.getClass().getSimpleName() + (msg.isEmpty() ? "" : ": " + msg);
        return line.lines().findFirst().orElse(line).strip();
    }
}
