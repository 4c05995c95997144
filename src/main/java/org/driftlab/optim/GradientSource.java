package org.driftlab.optim;

import org.driftlab.autodiff.Autodiff;
import org.driftlab.objective.Objective;

/** Where a rule's gradient comes from: the full objective or a mini-batch of it. Stateful, checkpointable. */
public interface GradientSource {
    /** E and ∇E at θ on the next batch (or on everything); advances the source's position. */
    Autodiff.ValueAndGrad next(Objective objective, double[] theta);

    /** The source's counters, e.g. epoch and position. */
    long[] state();

    /** Restores counters from {@link #state()}. */
    void restore(long[] counters);

    /** The full objective on every step: gradient descent proper. */
    static GradientSource fullBatch() {
        return FullBatch.INSTANCE;
    }

    /** The full-batch source. */
    final class FullBatch implements GradientSource {
        static final FullBatch INSTANCE = new FullBatch();

        private FullBatch() {}

        @Override
        public Autodiff.ValueAndGrad next(Objective objective, double[] theta) {
            return objective.valueAndGradient(theta);
        }

        @Override
        public long[] state() {
            return new long[0];
        }

        @Override
        public void restore(long[] counters) {
            if (counters.length != 0) {
                throw new IllegalArgumentException("full batch has no state, got " + counters.length + " counters");
            }
        }
    }
}
