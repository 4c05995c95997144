package org.driftlab.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;

/**
 * YAML trees (nested {@code Map<String, Object>} and lists, as SnakeYAML reads them): deep copies and the setting of
 * a dotted key. The member specs of a sweep are the base tree with each axis key set to the member's value.
 */
final class Trees {
    private Trees() {}

    /** A deep copy whose maps and lists can be changed without touching the original. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> copy(Map<String, Object> tree) {
        return (Map<String, Object>) copyValue(tree);
    }

    private static Object copyValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), copyValue(e.getValue()));
            }
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(copyValue(o));
            }
            return out;
        }
        return v;
    }

    /** Sets {@code a.b.c} to value, creating missing sections; an intermediate that is a value is an error. */
    @SuppressWarnings("unchecked")
    static void set(Map<String, Object> tree, String key, Object value) {
        String[] parts = key.split("\\.");
        Map<String, Object> node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            Object child = node.get(parts[i]);
            if (child == null) {
                child = new LinkedHashMap<String, Object>();
                node.put(parts[i], child);
            } else if (!(child instanceof Map)) {
                throw new DriftlabException("sweep axis " + key + ": '" + String.join(".", List.of(parts).subList(0, i + 1))
                        + "' is a value ('" + child + "'), not a section");
            }
            node = (Map<String, Object>) child;
        }
        node.put(parts[parts.length - 1], copyValue(value));
    }
}
