package org.driftlab.sweep;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;

/**
 * One axis of a sweep: a dotted parameter key ({@code optimizer.lr}, {@code seed}, {@code model},
 * {@code params.width}) and the values it takes, in order. Values are what YAML gives: numbers, strings,
 * booleans, or lists of those; whether a value fits its key is decided by validating the member spec it produces
 * ({@link SweepPlan}), so an axis knows nothing about the spec's schema.
 *
 * <p>In a spec an axis is a list, or a generated range:
 * <pre>
 *   optimizer.lr: [0.01, 0.02, 0.04]
 *   optimizer.lr: {linspace: [0.01, 0.1, 10]}    # from, to, count; both ends included
 *   optimizer.lr: {logspace: [0.001, 0.1, 5]}    # geometric from..to (the end values, not NumPy's exponents)
 * </pre>
 * Generated values are rounded to {@link #SIGNIFICANT_DIGITS} significant digits, so that 0.1 + 2·0.1 is written
 * (and named in a member's directory) as 0.3, not 0.30000000000000004; that rounding moves a value by at most
 * 5·10⁻¹² relative (half a unit in the twelfth digit), far below any difference a learning rate or a width could make. A linspace whose ends are
 * integers and whose values are all integers yields integers (so {@code seed: {linspace: [0, 9, 10]}} is seeds 0..9).
 *
 * @param key the dotted key the axis sets in each member's spec
 * @param values the values in sweep order (non-empty, immutable)
 */
public record Axis(String key, List<Object> values) {
    /** Digits kept by generated ranges. */
    public static final int SIGNIFICANT_DIGITS = 12;

    /** Validated, immutable copy. */
    public Axis {
        if (key == null || !key.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*")) {
            throw new DriftlabException("sweep: axis key '" + key + "' is not a dotted key such as optimizer.lr");
        }
        if (values == null || values.isEmpty()) {
            throw new DriftlabException("sweep axis " + key + ": the axis is empty");
        }
        values = List.copyOf(values);
    }

    /** Number of values. */
    public int size() {
        return values.size();
    }

    /**
     * Parses an axis from its YAML value: a list, or a one-key map {@code linspace:} / {@code logspace:} holding
     * {@code [from, to, count]}. A single scalar is refused (an axis of one value is written as a one-element list).
     */
    public static Axis parse(String key, Object spec) {
        String where = "sweep axis " + key;
        if (spec instanceof List<?> list) {
            for (Object v : list) {
                if (v == null) {
                    throw new DriftlabException(where + ": an empty (null) value in " + list);
                }
                if (v instanceof Map) {
                    throw new DriftlabException(where + ": value " + v + " is a section; an axis takes numbers, words, "
                            + "booleans or lists of them");
                }
            }
            return new Axis(key, new ArrayList<>(list));
        }
        if (spec instanceof Map<?, ?> m && m.size() == 1) {
            Object kind = m.keySet().iterator().next();
            if ("linspace".equals(kind) || "logspace".equals(kind)) {
                return new Axis(key, range(where, String.valueOf(kind), m.get(kind)));
            }
        }
        throw new DriftlabException(where + ": expected a list of values, {linspace: [from, to, count]} or "
                + "{logspace: [from, to, count]}, got '" + spec + "'");
    }

    private static List<Object> range(String where, String kind, Object args) {
        if (!(args instanceof List<?> l) || l.size() != 3 || !(l.get(0) instanceof Number)
                || !(l.get(1) instanceof Number) || !(l.get(2) instanceof Number)) {
            throw new DriftlabException(where + ": " + kind + " expects [from, to, count], got '" + args + "'");
        }
        double from = ((Number) l.get(0)).doubleValue();
        double to = ((Number) l.get(1)).doubleValue();
        Object countValue = l.get(2);
        if (!(countValue instanceof Integer || countValue instanceof Long) || ((Number) countValue).longValue() < 1) {
            throw new DriftlabException(where + ": " + kind + " count '" + countValue + "' must be an integer >= 1");
        }
        long count = ((Number) countValue).longValue();
        if (count > SweepSpec.HARD_LIMIT) {
            throw new DriftlabException(where + ": " + kind + " count " + count + " exceeds " + SweepSpec.HARD_LIMIT);
        }
        if (!Double.isFinite(from) || !Double.isFinite(to)) {
            throw new DriftlabException(where + ": " + kind + " ends must be finite numbers, got " + from + ", " + to);
        }
        boolean log = kind.equals("logspace");
        if (log && !(from > 0 && to > 0)) {
            throw new DriftlabException(where + ": logspace ends must be positive, got " + from + ", " + to);
        }
        boolean integral = !log && isInteger(l.get(0)) && isInteger(l.get(1));
        List<Object> out = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            double v;
            if (i == 0) {
                v = from;
            } else if (i == count - 1) {
                v = to;
            } else {
                double f = (double) i / (count - 1);
                v = log ? Math.exp(Math.log(from) + f * (Math.log(to) - Math.log(from))) : from + f * (to - from);
                v = round(v);
            }
            out.add(integral && v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) (long) v : (Object) v);
        }
        if (integral && out.stream().anyMatch(o -> o instanceof Double)) {
            out.replaceAll(o -> ((Number) o).doubleValue()); // one type along an axis
        }
        return out;
    }

    private static boolean isInteger(Object o) {
        return o instanceof Integer || o instanceof Long;
    }

    /** v rounded to {@link #SIGNIFICANT_DIGITS} significant decimal digits. */
    static double round(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v;
        }
        // parsed from text: Double.parseDouble rounds correctly to the nearest double
        return Double.parseDouble(new BigDecimal(v).round(new MathContext(SIGNIFICANT_DIGITS)).toString());
    }
}
