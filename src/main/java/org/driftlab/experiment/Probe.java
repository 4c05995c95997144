package org.driftlab.experiment;

import java.util.Map;
import java.util.Optional;
import org.driftlab.objective.Objective;

/**
 * A measurement attached to a run at its own frequency: every {@link #every()} steps, and always at step 0 and
 * at the last step. A probe writes named cells into the metrics row; its values must be deterministic
 * functions of the run state (and of its own {@link #state()}, which is checkpointed), so resumed runs match.
 */
public interface Probe {
    /** The probe's period in steps (≥ 1). */
    int every();

    /** Measures at the given context and puts cells into row. */
    void measure(Context context, Map<String, Object> row);

    /** State carried between measurements (e.g. a Lanczos warm start); empty for stateless probes. */
    default double[] state() {
        return new double[0];
    }

    /** Restores {@link #state()}. */
    default void restore(double[] state) {
        // stateless by default
    }

    /**
     * What a probe sees at step t.
     *
     * @param batchCosine cosine between the last two mini-batch gradients (NaN before two steps)
     */
    record Context(long step, double[] theta, double[] theta0, Objective train, Optional<Objective> test,
                   double batchCosine) {}
}
