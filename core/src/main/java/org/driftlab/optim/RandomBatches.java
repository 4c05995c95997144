package org.driftlab.optim;

import java.util.SplittableRandom;

/**
 * Mini-batches drawn with replacement, independently at every step: batch t holds {@code batchSize} indices drawn
 * uniformly from (seed, t) alone. This is the i.i.d. sampling of the SGD theory (McAllester's notes, the SDE
 * models), whose stationary noise differs from epoch-shuffled batches ({@link MiniBatches}, whose gradient noise
 * cancels over an epoch). The state is the step count.
 */
public final class RandomBatches implements IndexBatches {
    private final int numExamples;
    private final int batchSize;
    private final long seed;
    private long count;

    /** Batches of batchSize indices in [0, numExamples), with replacement. */
    public RandomBatches(int numExamples, int batchSize, long seed) {
        if (numExamples <= 0 || batchSize < 1) {
            throw new IllegalArgumentException("random batches need numExamples > 0 and batchSize >= 1, got "
                    + numExamples + ", " + batchSize);
        }
        this.numExamples = numExamples;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /** The indices of the next batch; advances the count. */
    @Override
    public int[] nextIndices() {
        SplittableRandom rng = StepRandom.at(seed, count++, 3);
        int[] idx = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            idx[i] = rng.nextInt(numExamples);
        }
        return idx;
    }

    @Override
    public int numExamples() {
        return numExamples;
    }

    @Override
    public long[] state() {
        return new long[] {count};
    }

    @Override
    public void restore(long[] counters) {
        if (counters.length != 1) {
            throw new IllegalArgumentException("random-batch state needs 1 counter, got " + counters.length);
        }
        count = counters[0];
    }
}
