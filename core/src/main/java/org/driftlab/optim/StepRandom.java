package org.driftlab.optim;

import java.util.SplittableRandom;

/**
 * Per-step randomness of the stochastic rules (SGLD noise, sampled Fisher labels, Hutchinson probes): the draw of
 * step t is a pure function of (seed, t, stream), so it needs no state of its own and a resumed run draws exactly
 * what the uninterrupted run drew.
 */
public final class StepRandom {
    private StepRandom() {}

    /** A 64-bit seed for step t of a stream (SplitMix64 finaliser over seed, t and stream). */
    public static long seed(long seed, long t, long stream) {
        long z = seed + 0x9E3779B97F4A7C15L * (t + 1) + 0xD1B54A32D192ED03L * (stream + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A generator for step t of a stream. */
    public static SplittableRandom at(long seed, long t, long stream) {
        return new SplittableRandom(seed(seed, t, stream));
    }

}
