package org.driftlab.data;

import java.util.SplittableRandom;
import org.driftlab.DriftlabException;
import org.driftlab.tensor.Tensor;

/**
 * Transformations of data sets: pixel scaling, per-feature standardisation and centring with statistics taken from a
 * chosen (training) set, flattening, deterministic subsets, and seeded label corruption. All return new data sets;
 * nothing is modified in place.
 */
public final class Transforms {
    private Transforms() {}

    /**
     * Per-feature mean and standard deviation of a data set's flattened inputs. The std is the population std
     * (divisor N, as numpy.std), and features with std 0 get std 1 so that they are only centred.
     *
     * @param mean per-feature mean
     * @param std  per-feature standard deviation, never 0
     */
    public record FeatureStats(double[] mean, double[] std) {
        /** Statistics of ds (flattened). */
        public static FeatureStats of(Dataset ds) {
            int n = ds.size();
            int d = ds.inputSize();
            double[] x = ds.inputs().data();
            double[] mean = new double[d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    mean[j] += x[i * d + j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= Math.max(n, 1);
            }
            // Two-pass variance: accurate even when the mean is large relative to the spread.
            double[] var = new double[d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    double c = x[i * d + j] - mean[j];
                    var[j] += c * c;
                }
            }
            double[] std = new double[d];
            for (int j = 0; j < d; j++) {
                std[j] = Math.sqrt(var[j] / Math.max(n, 1));
                if (std[j] == 0.0) {
                    std[j] = 1.0;
                }
            }
            return new FeatureStats(mean, std);
        }
    }

    /** Pixel values in 0..255 mapped to [0, 1] (divided by 255). */
    public static Dataset scaleToUnit(Dataset ds) {
        return map(ds, (j, v) -> v / 255.0);
    }

    /** Every feature centred and scaled with its own mean and std over ds. */
    public static Dataset standardize(Dataset ds) {
        return standardize(ds, FeatureStats.of(ds));
    }

    /** Every feature of ds centred and scaled with the statistics of from (e.g. test data with train statistics). */
    public static Dataset standardize(Dataset ds, Dataset from) {
        return standardize(ds, FeatureStats.of(from));
    }

    /** Every feature centred and scaled with the given statistics. */
    public static Dataset standardize(Dataset ds, FeatureStats stats) {
        checkWidth(ds, stats);
        return map(ds, (j, v) -> (v - stats.mean[j]) / stats.std[j]);
    }

    /** Every feature of ds centred with the mean of from. */
    public static Dataset centre(Dataset ds, Dataset from) {
        FeatureStats stats = FeatureStats.of(from);
        checkWidth(ds, stats);
        return map(ds, (j, v) -> v - stats.mean[j]);
    }

    /** Inputs as {@code [N, features]}. */
    public static Dataset flatten(Dataset ds) {
        return ds.flatten();
    }

    private static void checkWidth(Dataset ds, FeatureStats stats) {
        if (stats.mean.length != ds.inputSize()) {
            throw new DriftlabException("cannot standardise " + ds.name() + " (" + ds.inputSize() + " features) with "
                    + "statistics of " + stats.mean.length + " features");
        }
    }

    private interface FeatureMap {
        double apply(int feature, double value);
    }

    private static Dataset map(Dataset ds, FeatureMap f) {
        double[] x = ds.inputs().data();
        int d = ds.inputSize();
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = f.apply(i % d, x[i]);
        }
        return ds.withInputs(Tensor.of(out, ds.inputs().shape()));
    }

    // ------------------------------------------------------------------ subsets

    /** The first n examples. */
    public static Dataset first(Dataset ds, int n) {
        return ds.first(n);
    }

    /**
     * Indices (increasing) of a class-balanced subset of n examples: each class gets floor(n/K) examples, the
     * remainder going one each to the lowest class ids; a class with too few examples contributes all it has and its
     * shortfall is spread over the others the same way. Within a class the earliest examples are taken, so the
     * result is deterministic and needs no seed.
     */
    public static int[] stratifiedIndices(int[] labels, int numClasses, int n) {
        if (n > labels.length) {
            throw new DriftlabException("stratified subset of " + n + " requested but only " + labels.length
                    + " examples are available");
        }
        int[] available = new int[numClasses];
        for (int y : labels) {
            available[y]++;
        }
        int[] quota = new int[numClasses];
        int remaining = n;
        // Water-filling: repeatedly share what is left equally among the classes that still have examples.
        while (remaining > 0) {
            int open = 0;
            for (int c = 0; c < numClasses; c++) {
                if (quota[c] < available[c]) {
                    open++;
                }
            }
            int share = remaining / open;
            int extra = remaining % open;
            for (int c = 0; c < numClasses && remaining > 0; c++) {
                if (quota[c] < available[c]) {
                    int want = share + (extra > 0 ? 1 : 0);
                    if (extra > 0) {
                        extra--;
                    }
                    int take = Math.min(want, available[c] - quota[c]);
                    quota[c] += take;
                    remaining -= take;
                }
            }
        }
        int[] out = new int[n];
        int k = 0;
        int[] taken = new int[numClasses];
        for (int i = 0; i < labels.length && k < n; i++) {
            int y = labels[i];
            if (taken[y] < quota[y]) {
                taken[y]++;
                out[k++] = i;
            }
        }
        return out;
    }

    /** A class-balanced subset of n examples in original order; see {@link #stratifiedIndices}. */
    public static Dataset stratified(Dataset ds, int n) {
        if (!ds.hasLabels()) {
            throw new DriftlabException("stratified subset of " + ds.name() + " needs labels");
        }
        return ds.batch(stratifiedIndices(ds.labels(), ds.numClasses(), n)).withName(ds.name() + "[stratified " + n
                + "]");
    }

    // ------------------------------------------------------------------ label corruption

    /**
     * Replaces the labels of exactly round(p N) examples, chosen uniformly without replacement, by a different
     * class drawn uniformly from the other K-1 classes. Deterministic for a seed.
     */
    public static Dataset labelNoise(Dataset ds, double p, long seed) {
        int[] y = requireRelabelable(ds, "label noise");
        requireNoiseFraction(p, ds.name());
        int k = ds.numClasses();
        if (k < 2 && p > 0) {
            throw new DriftlabException("label noise needs at least 2 classes");
        }
        int n = y.length;
        int m = (int) Math.round(p * n);
        SplittableRandom rng = new SplittableRandom(seed);
        int[] perm = permutation(n, rng);
        for (int i = 0; i < m; i++) {
            int idx = perm[i];
            int r = rng.nextInt(k - 1);
            y[idx] = r >= y[idx] ? r + 1 : r; // uniform over the other classes
        }
        return ds.withLabels(y, k).withName(ds.name() + "[label-noise " + p + " seed " + seed + "]");
    }

    /** Every label replaced by a class drawn uniformly from 0..K-1, independent of the inputs. */
    public static Dataset randomLabels(Dataset ds, long seed) {
        int[] y = requireRelabelable(ds, "random labels");
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < y.length; i++) {
            y[i] = rng.nextInt(ds.numClasses());
        }
        return ds.withLabels(y, ds.numClasses()).withName(ds.name() + "[random-labels seed " + seed + "]");
    }

    /**
     * Checks a label-noise fraction: in [0, 1) (at 1 every label would be replaced, which is a relabelling, not
     * noise; {@code random-labels} is the option for labels independent of the inputs).
     *
     * @param p      the fraction
     * @param source the data set or data source it applies to, for the message
     */
    static void requireNoiseFraction(double p, String source) {
        if (!(p >= 0 && p < 1)) {
            throw new DriftlabException("label-noise must be a fraction in [0, 1) for '" + source + "', got " + p
                    + " (the share of labels replaced by another class)");
        }
    }

    private static int[] requireRelabelable(Dataset ds, String what) {
        if (!ds.hasLabels()) {
            throw new DriftlabException(what + " needs a labelled data set; " + ds.name() + " has none");
        }
        if (ds.hasExplicitTargets()) {
            // The targets would no longer agree with the corrupted labels.
            throw new DriftlabException(what + " needs one-hot targets; " + ds.name() + " has explicit targets");
        }
        return ds.labels();
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    public static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

}
