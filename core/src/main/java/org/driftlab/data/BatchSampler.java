package org.driftlab.data;

import java.util.SplittableRandom;

/**
 * Deterministic mini-batch sampler: each epoch visits a permutation of 0..N-1 in consecutive batches of B indices,
 * so every example is used at most once per epoch (sampling without replacement).
 *
 * <p>The permutation of epoch e is a pure function of (seed, e), so the sampler can resume from any
 * {@link State} (epoch, batch index) without replaying earlier epochs. With shuffling disabled the order is
 * 0..N-1 every epoch; in particular B = N without shuffling yields the full batch 0..N-1 at every step.
 *
 * <p>Last partial batch: with {@link LastBatch#DROP} (the default) an epoch has floor(N/B) batches and the N mod B
 * examples at the end of that epoch's permutation are skipped (with shuffling they differ from epoch to epoch);
 * with {@link LastBatch#KEEP} an epoch has ceil(N/B) batches and the last one is smaller.
 *
 * <p>Not thread-safe: one sampler per training loop.
 */
public final class BatchSampler {
    /** What to do with the final N mod B examples of an epoch. */
    public enum LastBatch {
        /** Skip them: every batch has exactly B examples. */
        DROP,
        /** Yield them as a smaller final batch. */
        KEEP
    }

    /**
     * A resumable position: the next batch to be returned is batch {@code batchIndex} of epoch {@code epoch}.
     *
     * @param epoch      epoch number, from 0
     * @param batchIndex batch within the epoch, from 0
     */
    public record State(long epoch, int batchIndex) {}

    private final int n;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private final LastBatch last;
    private final int batchesPerEpoch;
    private long epoch;
    private int batchIndex;
    private int[] order;
    private long orderEpoch = -1;

    /**
     * Shuffling sampler that drops the last partial batch.
     *
     * @param n         number of examples
     * @param batchSize B, 1..n
     * @param seed      seed of the epoch permutations
     */
    public BatchSampler(int n, int batchSize, long seed) {
        this(n, batchSize, seed, true, LastBatch.DROP);
    }

    /**
     * @param n         number of examples
     * @param batchSize B, 1..n for DROP (so that an epoch has at least one batch)
     * @param seed      seed of the epoch permutations (ignored without shuffling)
     * @param shuffle   false for the fixed order 0..N-1
     * @param last      policy for the last partial batch
     */
    public BatchSampler(int n, int batchSize, long seed, boolean shuffle, LastBatch last) {
        if (n < 1) {
            throw new IllegalArgumentException("BatchSampler needs at least one example, got n = " + n);
        }
        if (batchSize < 1 || (last == LastBatch.DROP && batchSize > n)) {
            throw new IllegalArgumentException("batch size " + batchSize + " is invalid for " + n + " examples"
                    + (last == LastBatch.DROP ? " with DROP (need 1..N)" : ""));
        }
        this.n = n;
        this.batchSize = batchSize;
        this.seed = seed;
        this.shuffle = shuffle;
        this.last = last;
        this.batchesPerEpoch = last == LastBatch.DROP ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /**
     * A sampler with the given configuration (see the constructor above) positioned at state, as saved by
     * {@link #state()} in a checkpoint.
     */
    public BatchSampler(int n, int batchSize, long seed, boolean shuffle, LastBatch last, State state) {
        this(n, batchSize, seed, shuffle, last);
        seek(state);
    }

    /** N, the number of examples sampled from. */
    public int size() {
        return n;
    }

    /** B, the batch size (the last batch of an epoch is shorter under KEEP). */
    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch: floor(N/B) for DROP, ceil(N/B) for KEEP. */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** The position of the next batch, for checkpoints. */
    public State state() {
        return new State(epoch, batchIndex);
    }

    /** Moves to a saved position; the next call of {@link #next()} returns that batch. */
    public void seek(State state) {
        if (state.epoch() < 0 || state.batchIndex() < 0 || state.batchIndex() > batchesPerEpoch) {
            throw new IllegalArgumentException("invalid sampler state " + state + " (" + batchesPerEpoch
                    + " batches per epoch)");
        }
        epoch = state.epoch();
        batchIndex = state.batchIndex();
        if (batchIndex == batchesPerEpoch) {
            epoch++;
            batchIndex = 0;
        }
    }

    /** The example order of an epoch: 0..N-1, or a permutation determined by (seed, epoch). */
    public int[] permutation(long epochNumber) {
        if (!shuffle) {
            return IdxReader.firstRows(n);
        }
        // Mix seed and epoch so neighbouring epochs (and seeds) get unrelated generator states.
        long s = mix(mix(seed) ^ (epochNumber * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L));
        return Transforms.permutation(n, new SplittableRandom(s));
    }

    /** The indices of the next batch; advances the state, rolling over to the next epoch. */
    public int[] next() {
        if (orderEpoch != epoch) {
            order = permutation(epoch);
            orderEpoch = epoch;
        }
        int from = batchIndex * batchSize;
        int len = Math.min(batchSize, n - from);
        int[] b = new int[len];
        System.arraycopy(order, from, b, 0, len);
        batchIndex++;
        if (batchIndex == batchesPerEpoch) {
            batchIndex = 0;
            epoch++;
        }
        return b;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
