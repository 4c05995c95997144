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

    /** The columns of a run with k eigenvalues: the base, the probes' columns, then {@link #STEP_LOSS}. */
    public static List<String> of(int k) {
        List<String> c = new ArrayList<>(BASE);
        c.addAll(List.of("train_loss", "train_accuracy", "grad_norm", "sharpness"));
        for (int i = 1; i <= k; i++) {
            c.add("eig_" + i);
        }
        c.addAll(List.of("test_loss", "test_accuracy", "distance", "batch_cosine", "trace_H", "trace_H_stderr",
                "trace_K", "lambda_K", "drift_norm", "dal_lr", "trace_F", "n_eff"));
        c.add(STEP_LOSS);
        return c;
    }

    /** An empty table for a run with k eigenvalues. */
    public static Metrics table(int k) {
        return new Metrics(of(k), FORMATS);
    }
}
