package org.driftlab.experiment;

/**
 * How a sub-run ended.
 *
 * @param outcome completed (step cap), loss_threshold, accuracy_threshold or diverged
 * @param step the last step reached (for diverged: the first step whose loss was non-finite or above the bound)
 * @param finalLoss the last measured training loss
 */
public record Outcome(String run, double lr, long seed, String outcome, long step, double finalLoss) {
    /** Outcome names. */
    public static final String COMPLETED = "completed";
    /** Stopped because the loss fell below stop.loss_below. */
    public static final String LOSS_THRESHOLD = "loss_threshold";
    /** Stopped because the accuracy rose above stop.accuracy_above. */
    public static final String ACCURACY_THRESHOLD = "accuracy_threshold";
    /** The loss became non-finite or exceeded the divergence bound. */
    public static final String DIVERGED = "diverged";
}
