package org.driftlab.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;

/**
 * A resolved study file: which {@link Study} ({@code kind:}), its parameters merged over the study's defaults
 * and type-checked, seeds and threads. Immutable.
 */
public record StudySpec(String name, String kind, String description, Map<String, Object> params, List<Long> seeds,
                        int threads, boolean quick) {
    /** Keys allowed at the top level of a study file. */
    public static final List<String> TOP_KEYS = List.of("name", "kind", "description", "seed", "seeds", "threads",
            "params", "quick");

    /** Immutable copies. */
    public StudySpec {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        seeds = List.copyOf(seeds);
    }

    /** True when a YAML tree describes a study (its kind is present and not "train"). */
    public static boolean isStudy(Map<String, Object> tree) {
        Object k = tree.get("kind");
        return k != null && !"train".equals(k);
    }

    /** Validates a YAML tree (after quick and --set overrides) against the study named by its kind. */
    public static StudySpec fromMap(Map<String, Object> tree, boolean quick) {
        for (String k : tree.keySet()) {
            if (!TOP_KEYS.contains(k)) {
                throw new DriftlabException("unknown key '" + k + "' in a study file; allowed: " + String.join(", ", TOP_KEYS));
            }
        }
        String kind = String.valueOf(tree.get("kind"));
        Study study = Studies.byKind(kind);
        String name = String.valueOf(tree.getOrDefault("name", kind));
        String description = String.valueOf(tree.getOrDefault("description", study.description()));
        Map<String, Object> params = new LinkedHashMap<>(study.defaults());
        Object p = tree.get("params");
        if (p != null && !(p instanceof Map)) {
            throw new DriftlabException("params: expected a section of key: value pairs, got '" + p + "'");
        }
        if (p instanceof Map<?, ?> pm) {
            for (Map.Entry<?, ?> e : pm.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (!params.containsKey(key)) {
                    throw new DriftlabException("params." + key + ": unknown parameter of " + kind + "; allowed: "
                            + String.join(", ", params.keySet()));
                }
                params.put(key, check(kind, key, params.get(key), e.getValue()));
            }
        }
        List<Long> seeds = new ArrayList<>();
        if (tree.get("seeds") instanceof List<?> l) {
            for (Object o : l) {
                seeds.add(asLong("seeds", o));
            }
            if (seeds.isEmpty()) {
                throw new DriftlabException("seeds: the list is empty");
            }
        } else if (tree.get("seeds") != null) {
            throw new DriftlabException("seeds: expected a list of integers, got '" + tree.get("seeds") + "'");
        } else {
            seeds.add(tree.get("seed") == null ? 0L : asLong("seed", tree.get("seed")));
        }
        int threads = tree.get("threads") == null ? Math.min(2, Runtime.getRuntime().availableProcessors())
                : (int) asLong("threads", tree.get("threads"));
        if (threads < 1) {
            throw new DriftlabException("threads: must be at least 1, got " + threads);
        }
        return new StudySpec(name, kind, description, params, seeds, threads, quick);
    }

    /** The spec as a YAML-ready map (quick overrides already applied). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("kind", kind);
        m.put("description", description);
        m.put("seeds", new ArrayList<>(seeds));
        m.put("threads", threads);
        m.put("params", new LinkedHashMap<>(params));
        return m;
    }

    private static long asLong(String key, Object o) {
        if (o instanceof Integer || o instanceof Long) {
            return ((Number) o).longValue();
        }
        throw new DriftlabException(key + ": expected an integer, got '" + o + "'");
    }

    private static Object check(String kind, String key, Object def, Object value) {
        String where = "params." + key;
        if (def instanceof Number) {
            if (!(value instanceof Number)) {
                throw new DriftlabException(where + ": expected a number, got '" + value + "'");
            }
            if ((def instanceof Integer || def instanceof Long) && !(value instanceof Integer || value instanceof Long)) {
                throw new DriftlabException(where + ": expected an integer, got '" + value + "'");
            }
            return value;
        }
        if (def instanceof Boolean) {
            if (!(value instanceof Boolean)) {
                throw new DriftlabException(where + ": expected true or false, got '" + value + "'");
            }
            return value;
        }
        if (def instanceof List<?> dl) {
            if (!(value instanceof List<?> vl)) {
                throw new DriftlabException(where + ": expected a list like " + dl + ", got '" + value + "'");
            }
            Object proto = dl.isEmpty() ? null : dl.get(0);
            for (Object o : vl) {
                if (proto instanceof Number && !(o instanceof Number)) {
                    throw new DriftlabException(where + ": expected a list of numbers, got element '" + o + "'");
                }
                if (proto instanceof String && !(o instanceof String)) {
                    throw new DriftlabException(where + ": expected a list of strings, got element '" + o + "'");
                }
            }
            return new ArrayList<>(vl);
        }
        if (def instanceof String) {
            if (value instanceof Map || value instanceof List) {
                throw new DriftlabException(where + ": expected a text value, got '" + value + "'");
            }
            return String.valueOf(value);
        }
        return value;
    }
}
