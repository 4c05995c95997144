package org.driftlab.optim;

import org.driftlab.objective.Objective;

/**
 * A gradient source that draws example indices: the step's objective is the objective restricted to them. The one
 * place that checks a sampler against the objective it serves ({@link MiniBatches}, {@link RandomBatches}).
 */
public interface IndexBatches extends GradientSource {
    /** The number of examples the indices range over. */
    int numExamples();

    /** The indices of the next batch; advances the source's position. */
    int[] nextIndices();

    /** The objective on the next batch of indices; the objective must have the sampler's number of examples. */
    @Override
    default Objective nextBatch(Objective objective) {
        if (objective.numExamples() != numExamples()) {
            throw new IllegalArgumentException("sampler built for " + numExamples() + " examples, objective has "
                    + objective.numExamples());
        }
        return objective.onBatch(nextIndices());
    }
}
