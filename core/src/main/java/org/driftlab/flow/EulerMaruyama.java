package org.driftlab.flow;

import java.util.SplittableRandom;
import java.util.function.ObjIntConsumer;

/**
 * Euler–Maruyama for a {@link LangevinSde}: θ ← θ + drift(θ)·dt + √(h·dt)·P·L·ξ with ξ ~ N(0, I) from a seeded
 * {@link SplittableRandom}, so a path is deterministic for a seed. With dt = h it is SGD with Gaussian gradient
 * noise. Immutable configuration.
 */
public final class EulerMaruyama {
    private final double dt;
    private final long seed;

    /** Steps of length dt (time units of the SDE, t = n·h) drawn from the given seed. */
    public EulerMaruyama(double dt, long seed) {
        this.dt = Checks.positive("dt", dt);
        this.seed = seed;
    }

    /** The time step. */
    public double dt() {
        return dt;
    }

    /**
     * Runs {@code steps} steps from θ_0 and hands θ to {@code sink} after every {@code every}-th step (with its
     * step number); returns the final θ. Stops with an IllegalStateException if θ leaves the finite numbers.
     */
    public double[] simulate(LangevinSde sde, double[] theta0, long steps, int every, ObjIntConsumer<double[]> sink) {
        if (theta0.length != sde.dim()) {
            throw new IllegalArgumentException("θ0 of length " + theta0.length + " for D = " + sde.dim());
        }
        if (every < 1) {
            throw new IllegalArgumentException("every must be >= 1, got " + every);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] theta = theta0.clone();
        for (long n = 1; n <= steps; n++) {
            double[] drift = sde.drift(theta);
            double[] noise = sde.diffusion(dt, rng);
            for (int i = 0; i < theta.length; i++) {
                theta[i] += drift[i] * dt + noise[i];
                if (!Double.isFinite(theta[i])) {
                    throw new IllegalStateException("Euler–Maruyama diverged at step " + n + " (dt = " + dt + ")");
                }
            }
            if (n % every == 0 && sink != null) {
                sink.accept(theta, (int) Math.min(Integer.MAX_VALUE, n));
            }
        }
        return theta;
    }
}
