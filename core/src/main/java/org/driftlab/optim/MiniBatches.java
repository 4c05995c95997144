package org.driftlab.optim;

import java.util.SplittableRandom;

/**
 * Mini-batches of a fixed size drawn without replacement within an epoch. Epoch e visits the examples in the
 * order of a permutation seeded by {@code seed ^ e·C} (or in index order without shuffling); the last partial
 * batch of an epoch is dropped so every step sees the same batch size. The state is (epoch, batch index), so
 * the permutation is recomputed rather than stored.
 *
 * <p>Kept minimal and private to optim on purpose: a general {@code data.BatchSampler} is the long-term home.
 */
public final class MiniBatches implements IndexBatches {
    private static final long EPOCH_MIX = 0x9E3779B97F4A7C15L;

    private final int numExamples;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private long epoch;
    private long position;
    private int[] order;

    /** A sampler over numExamples examples. */
    public MiniBatches(int numExamples, int batchSize, boolean shuffle, long seed) {
        if (numExamples <= 0) {
            throw new IllegalArgumentException("mini-batches need an objective with examples, got " + numExamples);
        }
        if (batchSize < 1 || batchSize > numExamples) {
            throw new IllegalArgumentException("batch size " + batchSize + " must be in [1, " + numExamples + "]");
        }
        this.numExamples = numExamples;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.order = permutation(0);
    }

    /** Batches per epoch (the partial last one is dropped). */
    public int batchesPerEpoch() {
        return numExamples / batchSize;
    }

    /** The indices of the next batch; advances the position. */
    @Override
    public int[] nextIndices() {
        if (position >= batchesPerEpoch()) {
            epoch++;
            position = 0;
            order = permutation(epoch);
        }
        int[] idx = new int[batchSize];
        System.arraycopy(order, (int) (position * batchSize), idx, 0, batchSize);
        position++;
        return idx;
    }

    @Override
    public int numExamples() {
        return numExamples;
    }

    private int[] permutation(long e) {
        int[] p = new int[numExamples];
        for (int i = 0; i < numExamples; i++) {
            p[i] = i;
        }
        if (shuffle) {
            SplittableRandom rng = new SplittableRandom(seed ^ (e * EPOCH_MIX));
            for (int i = numExamples - 1; i > 0; i--) { // Fisher–Yates
                int j = rng.nextInt(i + 1);
                int tmp = p[i];
                p[i] = p[j];
                p[j] = tmp;
            }
        }
        return p;
    }

    @Override
    public long[] state() {
        return new long[] {epoch, position};
    }

    @Override
    public void restore(long[] counters) {
        if (counters.length != 2) {
            throw new IllegalArgumentException("mini-batch state needs 2 counters, got " + counters.length);
        }
        epoch = counters[0];
        position = counters[1];
        order = permutation(epoch);
    }
}
