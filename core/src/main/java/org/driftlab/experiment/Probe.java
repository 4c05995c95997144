package org.driftlab.experiment;

import java.util.Map;
import java.util.Optional;
import org.driftlab.linalg.LinearOperator;
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
    void measure(Context context, Map<String, Double> row);

    /** State carried between measurements (e.g. a Lanczos warm start); empty for stateless probes. */
    default double[] state() {
        return new double[0];
    }

    /** Restores {@link #state()}. */
    default void restore(double[] state) {
        // stateless by default
    }

    /**
     * What a probe sees at step t. The training Hessian at θ is built once per step and shared, so probes due at
     * the same step (sharpness, trace, N_eff) do not each rebuild the gradient graph.
     */
    final class Context {
        private final long step;
        private final double[] theta;
        private final double[] theta0;
        private final Objective train;
        private final Optional<Objective> test;
        private final double batchCosine;
        private LinearOperator hessian;

        /**
         * @param batchCosine cosine between the last two mini-batch gradients (NaN before two steps)
         */
        public Context(long step, double[] theta, double[] theta0, Objective train, Optional<Objective> test,
                       double batchCosine) {
            this.step = step;
            this.theta = theta;
            this.theta0 = theta0;
            this.train = train;
            this.test = test;
            this.batchCosine = batchCosine;
        }

        /** The step t. */
        public long step() {
            return step;
        }

        /** θ_t. */
        public double[] theta() {
            return theta;
        }

        /** θ_0. */
        public double[] theta0() {
            return theta0;
        }

        /** The full training objective. */
        public Objective train() {
            return train;
        }

        /** The test objective, if the run has one. */
        public Optional<Objective> test() {
            return test;
        }

        /** Cosine between the last two mini-batch gradients (NaN before two steps). */
        public double batchCosine() {
            return batchCosine;
        }

        /** ∇²E(θ_t) of the training objective, built at the first request of this step and then shared. */
        public LinearOperator hessian() {
            if (hessian == null) {
                hessian = train.hessian(theta);
            }
            return hessian;
        }
    }
}
