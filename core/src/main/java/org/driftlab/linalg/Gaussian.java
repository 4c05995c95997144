package org.driftlab.linalg;

import java.util.SplittableRandom;

/**
 * Standard normal draws from a {@link SplittableRandom}: the one home of driftlab's Gaussian sampler (initialisers,
 * SGLD noise, synthetic data, random directions and starting points all draw through it).
 *
 * <p>Written by hand because {@code SplittableRandom} has no {@code nextGaussian} on JDK 17, and because the stream
 * must be simple to reproduce outside Java: Box–Muller with one value per two uniforms (the sine partner is discarded),
 * u = 1 − U₁ ∈ (0, 1] so the logarithm is finite.
 */
public final class Gaussian {
    private Gaussian() {}

    /** One draw of N(0, 1): √(−2 ln u)·cos(2πv) with u = 1 − U₁, v = U₂; consumes two doubles of {@code rng}. */
    public static double draw(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }

    /** {@code n} independent draws of N(0, 1), in order (a new array; writes nothing else). */
    public static double[] vector(SplittableRandom rng, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = draw(rng);
        }
        return out;
    }
}
