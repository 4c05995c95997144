package org.driftlab.sweep;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.driftlab.DriftlabException;

/**
 * The {@code sweep:} section of a spec: axes combined as a grid (the product) and/or zipped (taken together,
 * value i of each). Pure: it expands into {@link Member}s and knows nothing of what the keys mean.
 * <pre>
 *   sweep:
 *     grid:                      # product, first axis slowest (as nested loops written in this order)
 *       optimizer.lr: [0.1, 0.19, 0.21]
 *       seed: [0, 1]
 *     zip:                       # or a list of such groups; each group's axes have one length
 *       model: [fc-tanh:50, fc-tanh:100]
 *       data: [fashion-mnist:train:500, fashion-mnist:train:1000]
 * </pre>
 * A spec's {@code grid:} and {@code zip:} entries become factors in the order they are written: every grid axis
 * is a factor of its own, every zip group one factor; the members are the product of the factors, the first
 * factor varying slowest.
 *
 * @param factors the factors in order; each is a non-empty list of axes of equal length
 */
public record SweepSpec(List<List<Axis>> factors) {
    /** The largest sweep accepted without {@code --allow-large}: a typo in a range should not start 10⁴ runs. */
    public static final int DEFAULT_LIMIT = 500;
    /** The largest sweep accepted at all (member IDs and specs are held in memory). */
    public static final int HARD_LIMIT = 1_000_000;

    /** Validated, immutable copy: unique keys, equal lengths within a zip group. */
    public SweepSpec {
        List<List<Axis>> copy = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (List<Axis> f : factors) {
            if (f.isEmpty()) {
                throw new DriftlabException("sweep: an empty zip group");
            }
            for (Axis a : f) {
                if (!keys.add(a.key())) {
                    throw new DriftlabException("sweep axis " + a.key() + ": given twice");
                }
                if (a.size() != f.get(0).size()) {
                    throw new DriftlabException("sweep zip: " + f.get(0).key() + " has " + f.get(0).size()
                            + " values but " + a.key() + " has " + a.size() + "; zipped axes need equal lengths");
                }
            }
            copy.add(List.copyOf(f));
        }
        factors = List.copyOf(copy);
    }

    /** A sweep of no axes: one member, the base spec itself. */
    public static SweepSpec none() {
        return new SweepSpec(List.of());
    }

    /** The axes in factor order (zip groups flattened). */
    public List<Axis> axes() {
        List<Axis> out = new ArrayList<>();
        factors.forEach(out::addAll);
        return out;
    }

    /** The axis keys in order. */
    public List<String> keys() {
        return axes().stream().map(Axis::key).toList();
    }

    /** True when some axis has this key. */
    public boolean has(String key) {
        return keys().contains(key);
    }

    /** Number of members, or an error when it exceeds limit (checked before anything is expanded). */
    public int size(int limit) {
        long n = 1;
        for (List<Axis> f : factors) {
            n *= f.get(0).size();
            if (n > limit) {
                StringBuilder shape = new StringBuilder();
                for (List<Axis> g : factors) {
                    shape.append(shape.length() == 0 ? "" : " × ").append(g.get(0).size());
                }
                throw new DriftlabException("sweep: " + shape + " members exceed the limit of " + limit
                        + (limit < HARD_LIMIT ? "; pass --allow-large to run it anyway" : ""));
            }
        }
        return (int) n;
    }

    /**
     * The members in sweep order (index 0 first), with readable unique IDs ({@link MemberIds}).
     *
     * @param limit the largest number of members accepted
     */
    public List<Member> members(int limit) {
        int n = size(limit);
        List<Map<String, Object>> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, Object> v = new LinkedHashMap<>();
            int rest = i;
            int stride = n;
            for (List<Axis> f : factors) {
                stride /= f.get(0).size();
                int j = rest / stride;
                rest %= stride;
                for (Axis a : f) {
                    v.put(a.key(), a.values().get(j));
                }
            }
            values.add(v);
        }
        List<String> ids = MemberIds.of(keys(), values);
        List<Member> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Member(i, ids.get(i), values.get(i)));
        }
        return out;
    }

    /** A copy without the axes of these keys (a {@code --set} of an axis key wins over the axis). */
    public SweepSpec without(Set<String> keys) {
        List<List<Axis>> out = new ArrayList<>();
        for (List<Axis> f : factors) {
            List<Axis> kept = f.stream().filter(a -> !keys.contains(a.key())).toList();
            if (!kept.isEmpty()) {
                out.add(kept);
            }
        }
        return new SweepSpec(out);
    }

    /** A copy with these factors placed before the existing ones. */
    public SweepSpec withLeading(List<List<Axis>> leading) {
        List<List<Axis>> out = new ArrayList<>(leading);
        out.addAll(factors);
        return new SweepSpec(out);
    }

    /**
     * Parses a {@code sweep:} section (null: no sweep). Keys are {@code grid} (a map of axes) and {@code zip}
     * (a map of axes, or a list of such maps).
     */
    public static SweepSpec parse(Object section) {
        if (section == null) {
            return none();
        }
        if (!(section instanceof Map<?, ?> m)) {
            throw new DriftlabException("sweep: expected a section with grid: and/or zip:, got '" + section + "'");
        }
        List<List<Axis>> factors = new ArrayList<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String kind = String.valueOf(e.getKey());
            switch (kind) {
                case "grid" -> {
                    for (Map.Entry<String, Object> a : axesMap("sweep.grid", e.getValue()).entrySet()) {
                        factors.add(List.of(Axis.parse(a.getKey(), a.getValue())));
                    }
                }
                case "zip" -> {
                    List<?> groups = e.getValue() instanceof List<?> l ? l : List.of(e.getValue());
                    for (Object g : groups) {
                        List<Axis> group = new ArrayList<>();
                        for (Map.Entry<String, Object> a : axesMap("sweep.zip", g).entrySet()) {
                            group.add(Axis.parse(a.getKey(), a.getValue()));
                        }
                        factors.add(group);
                    }
                }
                default -> throw new DriftlabException("sweep: unknown key '" + kind + "'; allowed: grid, zip");
            }
        }
        if (factors.isEmpty()) {
            throw new DriftlabException("sweep: no axes; give grid: and/or zip: with at least one axis");
        }
        return new SweepSpec(factors);
    }

    private static Map<String, Object> axesMap(String where, Object v) {
        if (!(v instanceof Map<?, ?> m) || m.isEmpty()) {
            throw new DriftlabException(where + ": expected axes as 'key: [values]', got '" + v + "'");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            out.put(String.valueOf(e.getKey()), e.getValue());
        }
        return out;
    }

    /**
     * The section in its normalised YAML form, ranges written out: the leading one-axis factors as {@code grid:},
     * every later factor as one group of a {@code zip:} list (a one-axis zip group is a grid axis in place), so
     * that {@code parse(toMap())} gives the same factors in the same order.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> grid = new LinkedHashMap<>();
        List<Object> zips = new ArrayList<>();
        for (List<Axis> f : factors) {
            if (f.size() == 1 && zips.isEmpty()) {
                grid.put(f.get(0).key(), new ArrayList<>(f.get(0).values()));
            } else {
                Map<String, Object> g = new LinkedHashMap<>();
                for (Axis a : f) {
                    g.put(a.key(), new ArrayList<>(a.values()));
                }
                zips.add(g);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (!grid.isEmpty()) {
            out.put("grid", grid);
        }
        if (!zips.isEmpty()) {
            out.put("zip", zips);
        }
        return out;
    }
}
