package org.driftlab.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep copies of YAML trees (nested {@code Map<String, Object>} and lists, as SnakeYAML reads them): the member
 * specs of a sweep are copies of the base tree with each axis key set to the member's value.
 */
final class Trees {
    private Trees() {}

    /** A deep copy whose maps and lists can be changed without touching the original. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> copy(Map<String, Object> tree) {
        return (Map<String, Object>) copyValue(tree);
    }

    /** A deep copy of a YAML value (maps and lists copied, scalars shared). */
    static Object copyValue(Object v) {
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
}
