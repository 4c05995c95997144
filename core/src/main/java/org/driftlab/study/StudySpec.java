package org.driftlab.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.experiment.Params;
import org.driftlab.experiment.SpecLoader;

/**
 * A resolved study file: which {@link Study} ({@code kind:}), its parameter record (the file's {@code params:}
 * bound to {@link Study#params()}, validated), seeds and threads. Immutable. {@link #with} sets one dotted key on
 * a resolved spec and validates the result, the operation a sweep member is made of.
 */
public record StudySpec(String name, String kind, String description, Record params, List<Long> seeds,
                        int threads, boolean quick) {
    /** Keys allowed at the top level of a study file. */
    public static final List<String> TOP_KEYS = List.of("name", "kind", "description", "seed", "seeds", "threads",
            "params", "quick");

    /** Immutable copy of the seeds. */
    public StudySpec {
        seeds = List.copyOf(seeds);
    }

    /** True when a YAML tree describes a study (its kind is present and not "train"). */
    public static boolean isStudy(Map<String, Object> tree) {
        Object k = tree.get("kind");
        return k != null && !"train".equals(k);
    }

    /** The study this spec runs. */
    public Study<?> study() {
        return Studies.byKind(kind);
    }

    /** Validates a YAML tree (after quick and --set overrides) against the study named by its kind. */
    public static StudySpec fromMap(Map<String, Object> tree, boolean quick) {
        for (String k : tree.keySet()) {
            if (!TOP_KEYS.contains(k)) {
                throw new DriftlabException(k + ": unknown key in a study file; allowed: " + String.join(", ", TOP_KEYS));
            }
        }
        String kind = String.valueOf(tree.get("kind"));
        Study<?> study = Studies.byKind(kind);
        String name = String.valueOf(tree.getOrDefault("name", kind));
        String description = String.valueOf(tree.getOrDefault("description", study.description()));
        Object p = tree.get("params");
        if (p != null && !(p instanceof Map)) {
            throw new DriftlabException("params: expected a section of key: value pairs, got '" + p + "'");
        }
        Record params = Params.bind(study.params(), (Map<?, ?>) p, "params");
        List<Long> seeds = new ArrayList<>();
        if (tree.get("seeds") != null) {
            for (Object o : (List<?>) Params.convert("seeds", tree.get("seeds"), SEEDS_TYPE)) {
                seeds.add((Long) o);
            }
            if (seeds.isEmpty()) {
                throw new DriftlabException("seeds: the list is empty");
            }
        } else {
            seeds.add(tree.get("seed") == null ? 0L : (Long) Params.convert("seed", tree.get("seed"), long.class));
        }
        int threads = tree.get("threads") == null ? Math.min(2, Runtime.getRuntime().availableProcessors())
                : (Integer) Params.convert("threads", tree.get("threads"), int.class);
        if (threads < 1) {
            throw new DriftlabException("threads: must be at least 1, got " + threads);
        }
        return new StudySpec(name, kind, description, params, seeds, threads, quick);
    }

    private static final java.lang.reflect.Type SEEDS_TYPE = seedsType();

    private static java.lang.reflect.Type seedsType() {
        try {
            return StudySpec.class.getDeclaredMethod("seeds").getGenericReturnType(); // List<Long>
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The parameter record as the study's own type. */
    public <P extends Record> P params(Class<P> type) {
        return type.cast(params);
    }

    /** The spec as a YAML-ready map (quick overrides already applied; every parameter explicit). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("kind", kind);
        m.put("description", description);
        m.put("seeds", new ArrayList<>(seeds));
        m.put("threads", threads);
        m.put("params", Params.toMap(params));
        return m;
    }

    /**
     * This spec with one dotted key set ({@code params.h}, {@code seed}, {@code seeds}, {@code threads}, ...),
     * validated as a file would be: an unknown key or a value of the wrong type is a user error naming the key.
     */
    public StudySpec with(String key, Object value) {
        Map<String, Object> tree = toMap();
        SpecLoader.set(tree, key, value);
        return fromMap(tree, quick);
    }
}
