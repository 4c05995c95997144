package org.driftlab.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The columns of a training run's metrics: the identifying ones (sub-run, h, seed, step, time t = Σh, the step's
 * h), then what the probes measure, then the loss each update computed.
 */
public final class RunColumns {
    private RunColumns() {}

    /** How the identifying columns are written (all others are real numbers). */
    public static final Map<String, Metrics.Format> FORMATS = Map.of("run", Metrics.Format.TAG,
            "seed", Metrics.Format.INTEGER, "step", Metrics.Format.INTEGER);

    /** The identifying columns every row has. */
    public static final List<String> BASE = List.of("run", "lr", "seed", "step", "time", "h");

    /**
     * The loss the update from this row's θ_t computed (the full-batch E for GD, the mini-batch loss for SGD, the
     * penalised loss with a regulariser): empty in a row that no update leaves, such as the last.
     */
    public static final String STEP_LOSS = "step_loss";

    /** The columns of a run: the base, every probe's columns (registry order), then {@link #STEP_LOSS}. */
    public static List<String> of(Probes.Settings probes) {
        List<String> c = new ArrayList<>(BASE);
        c.addAll(probes.columns());
        c.add(STEP_LOSS);
        return c;
    }

    /** An empty table for a run. */
    public static Metrics table(Probes.Settings probes) {
        return new Metrics(of(probes), FORMATS);
    }
}
