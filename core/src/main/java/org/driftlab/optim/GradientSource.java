package org.driftlab.optim;

import org.driftlab.autodiff.Autodiff;
import org.driftlab.objective.Objective;

/** Where a rule's gradient comes from: the full objective or a mini-batch of it. Stateful, checkpointable. */
public interface GradientSource {
    /**
     * The objective of the next step: the next mini-batch of {@code objective} (or all of it); advances the
     * source's position. Rules that evaluate more than one quantity on one batch (SAM, DAL) use this.
     */
    Objective nextBatch(Objective objective);

    /** E and ∇E at θ on the next batch (or on everything); advances the source's position. */
    default Autodiff.ValueAndGrad next(Objective objective, double[] theta) {
        return nextBatch(objective).valueAndGradient(theta);
    }

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
        public Objective nextBatch(Objective objective) {
            return objective;
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
