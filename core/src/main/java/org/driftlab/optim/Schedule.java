package org.driftlab.optim;

import java.util.Arrays;

/**
 * A learning-rate schedule: h_t as a function of the step index t and the base rate h. Implementations are
 * immutable and pure, so a resumed run needs no schedule state.
 */
@FunctionalInterface
public interface Schedule {
    /** h_t for the update with index t (0-based). */
    double rate(long t, double base);

    /** h_t = h. */
    static Schedule constant() {
        return (t, base) -> base;
    }

    /**
     * Step drops: h is multiplied by {@code factor} at each step in {@code at} (sorted ascending), so after the
     * k-th drop h_t = h·factor^k.
     */
    static Schedule stepDrops(long[] at, double factor) {
        long[] drops = at.clone();
        Arrays.sort(drops);
        return new Schedule() {
            @Override
            public double rate(long t, double base) {
                double h = base;
                for (long d : drops) {
                    if (t >= d) {
                        h *= factor;
                    }
                }
                return h;
            }

            @Override
            public String toString() {
                return "step" + Arrays.toString(drops) + "x" + factor;
            }
        };
    }

    /** Cosine decay from h to minRate·h over total steps; h_t = minRate·h afterwards. */
    static Schedule cosine(long total, double minFraction) {
        if (total <= 0) {
            throw new IllegalArgumentException("cosine schedule needs a positive number of steps, got " + total);
        }
        return (t, base) -> {
            double p = Math.min(1.0, (double) t / total);
            double lo = minFraction * base;
            return lo + 0.5 * (base - lo) * (1 + Math.cos(Math.PI * p));
        };
    }

    /** Linear warm-up over the first {@code steps} updates, from h/steps up to the inner schedule. */
    static Schedule warmup(long steps, Schedule inner) {
        if (steps <= 0) {
            return inner;
        }
        return (t, base) -> {
            double h = inner.rate(t, base);
            return t < steps ? h * (t + 1) / steps : h;
        };
    }
}
