package org.driftlab.linalg;

import java.util.Arrays;

/**
 * Summaries of a sample: the one home of min, max, mean, median and the standard error that the studies and the
 * bench report. Each ignores non-finite entries (a NaN is a value that was not measured, an ∞ a run that
 * diverged) and returns NaN when no finite entry is left. The mean is the JDK's compensated sum.
 */
public final class Stats {
    private Stats() {}

    private static double[] finite(double[] v) {
        return Arrays.stream(v).filter(Double::isFinite).toArray();
    }

    /** Median of the finite values (NaN when none). */
    public static double median(double[] v) {
        double[] s = finite(v);
        Arrays.sort(s);
        if (s.length == 0) {
            return Double.NaN;
        }
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    /** Maximum of the finite values (NaN when none). */
    public static double max(double[] v) {
        return Arrays.stream(v).filter(Double::isFinite).max().orElse(Double.NaN);
    }

    /** Minimum of the finite values (NaN when none). */
    public static double min(double[] v) {
        return Arrays.stream(v).filter(Double::isFinite).min().orElse(Double.NaN);
    }

    /** Mean of the finite values (NaN when none). */
    public static double mean(double[] v) {
        return Arrays.stream(v).filter(Double::isFinite).average().orElse(Double.NaN);
    }

    /** Standard error of the mean of the finite values (0 for a single value, NaN for none). */
    public static double stderr(double[] v) {
        double[] f = finite(v); // the same values mean() uses
        if (f.length < 2) {
            return f.length == 1 ? 0 : Double.NaN;
        }
        double m = mean(f);
        double s = 0;
        for (double x : f) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (f.length - 1) / f.length);
    }
}
