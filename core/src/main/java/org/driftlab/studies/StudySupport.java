package org.driftlab.studies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.driftlab.DriftlabException;
import org.driftlab.linalg.Stats;
import org.driftlab.experiment.EigenSolver;
import org.driftlab.experiment.ObjectiveFactories;
import org.driftlab.experiment.ObjectiveFactory;
import org.driftlab.experiment.Spec;
import org.driftlab.study.StudyContext;
import org.driftlab.objective.Objective;

/**
 * What the SGD-phenomena studies share: training specs built in code, problems loaded like the runner loads them
 * (with the data's origin stated), sharpness at a point, and spread over
 * seeds (mean, min, max per series and step) for the min–max bands every multi-seed figure shows.
 */
final class StudySupport {
    private StudySupport() {}

    /** The problem (objective, θ_0 for the seed, data description) exactly as a training run would build it. */
    static ObjectiveFactory.Problem problem(Spec spec, long seed) {
        return ObjectiveFactories.DEFAULT.create(spec, seed);
    }

    /** Every batch size fits the training data (the data are loaded to count them): a user error naming the key. */
    static void batchesFit(NetworkParams network, List<Integer> batches, String key) {
        int n = network.problem(0).train().numExamples();
        for (int b : batches) {
            require(b <= n, key, b + " exceeds the " + n + " training examples of " + network.data());
        }
    }

    /**
     * Records the data used ({@link StudyContext#usedData}, shown in the report) and says on the terminal too
     * where it came from (installed or embedded Fashion-MNIST).
     */
    static void noteData(StudyContext ctx, ObjectiveFactory.Problem p) {
        ctx.usedData(p.dataDescription());
        ctx.progress("data: " + p.dataDescription());
    }

    /** λ_1 of the full training Hessian at θ by the runner's Lanczos, warm-started when warm is not null. */
    static EigenSolver.Result sharpness(Objective train, double[] theta, int iterations, double[] warm) {
        return EigenSolver.DEFAULT.top(train.hessian(theta), 1, iterations, warm);
    }

    /** Rejects an out-of-range parameter with the key and the allowed range. */
    static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new DriftlabException("params." + key + ": " + message);
        }
    }

    /** The list as an array. */
    static double[] array(List<Double> vs) {
        return vs.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** "1 seed" or "N seeds". */
    static String seeds(int n) {
        return n + (n == 1 ? " seed" : " seeds");
    }

    /**
     * "A m ± s, B m ± s": each name with the mean of its values over seeds and, when stderr is set, their standard
     * error, joined by sep; the numbers of a finding that compares arms.
     */
    static String means(List<String> names, IntFunction<double[]> values, boolean stderr, String sep) {
        StringBuilder s = new StringBuilder();
        for (int a = 0; a < names.size(); a++) {
            double[] v = values.apply(a);
            s.append(names.get(a)).append(' ').append(f(Stats.mean(v)));
            if (stderr) {
                s.append(" ± ").append(f(Stats.stderr(v)));
            }
            s.append(a + 1 < names.size() ? sep : "");
        }
        return s.toString();
    }

    /**
     * One error box, mean ± standard error of values, as the two rows (leading..., x ∓ halfWidth, lo, hi) that a band
     * grouped by the leading values draws as a box over [x − halfWidth, x + halfWidth].
     */
    static void errorBox(StudyContext.Table t, double x, double halfWidth, double[] values, Object... leading) {
        double mean = Stats.mean(values);
        double se = Stats.stderr(values);
        for (double edge : new double[] {x - halfWidth, x + halfWidth}) {
            Object[] row = Arrays.copyOf(leading, leading.length + 3);
            row[leading.length] = edge;
            row[leading.length + 1] = mean - se;
            row[leading.length + 2] = mean + se;
            t.row(row);
        }
    }

    /** Compact number formatting for findings. */
    static String f(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /**
     * Values of several series at common x positions, collected over seeds, summarised as mean, min and max per
     * (series, x): the rows of a band table. Series and x keep their first-seen and ascending order.
     */
    static final class Spread {
        private final Map<String, TreeMap<Double, List<Double>>> series = new LinkedHashMap<>();

        /** Adds one seed's value of a series at x (non-finite values are skipped). */
        void add(String name, double x, double value) {
            if (Double.isFinite(value)) {
                series.computeIfAbsent(name, k -> new TreeMap<>()).computeIfAbsent(x, k -> new ArrayList<>()).add(value);
            }
        }

        /**
         * Writes rows (leading..., series, x, mean, min, max, n) into a table with those columns: the leading values
         * (e.g. an α) are repeated on every row so that figures can select them with {@code where}.
         */
        void writeTo(StudyContext.Table t, Object... leading) {
            for (Map.Entry<String, TreeMap<Double, List<Double>>> s : series.entrySet()) {
                for (Map.Entry<Double, List<Double>> e : s.getValue().entrySet()) {
                    double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
                    Object[] row = new Object[leading.length + 6];
                    System.arraycopy(leading, 0, row, 0, leading.length);
                    row[leading.length] = s.getKey();
                    row[leading.length + 1] = e.getKey();
                    row[leading.length + 2] = Stats.mean(v);
                    row[leading.length + 3] = Arrays.stream(v).min().orElseThrow();
                    row[leading.length + 4] = Arrays.stream(v).max().orElseThrow();
                    row[leading.length + 5] = v.length;
                    t.row(row);
                }
            }
        }

        /** The mean over seeds of a series at x (NaN when absent). */
        double mean(String name, double x) {
            TreeMap<Double, List<Double>> m = series.get(name);
            List<Double> v = m == null ? null : m.get(x);
            return v == null ? Double.NaN : v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }
    }
}
