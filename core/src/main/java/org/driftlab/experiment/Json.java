package org.driftlab.experiment;

import java.util.List;
import java.util.Map;

/**
 * driftlab's one JSON writer, for provenance and CLI output: trees of Map, List, double[], int[], complex
 * numbers (as {"re", "im"}), strings, numbers, booleans and null. Non-finite numbers become null.
 */
public final class Json {
    private Json() {}

    /** Pretty JSON of a tree, ending with a newline. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, "");
        return sb.append('\n').toString();
    }

    /** The same JSON on one line (for {@code --json} output). */
    public static String compact(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, null);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, String indent) {
        if (v instanceof double[] a) {
            List<Object> l = new java.util.ArrayList<>(a.length);
            for (double d : a) {
                l.add(d);
            }
            v = l;
        } else if (v instanceof int[] a) {
            v = java.util.Arrays.stream(a).boxed().toList();
        } else if (v instanceof org.hipparchus.complex.Complex c) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("re", c.getReal());
            m.put("im", c.getImaginary());
            v = m;
        } else if (v instanceof Object[] a) {
            v = java.util.Arrays.asList(a);
        }
        if (v == null) {
            sb.append("null");
        } else if (indent == null && v instanceof Map<?, ?> m) {
            sb.append('{');
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(i++ > 0 ? ", " : "").append(quote(String.valueOf(e.getKey()))).append(": ");
                write(sb, e.getValue(), null);
            }
            sb.append('}');
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(indent).append("  ").append(quote(String.valueOf(e.getKey()))).append(": ");
                write(sb, e.getValue(), indent + "  ");
                sb.append(++i < m.size() ? ",\n" : "\n");
            }
            sb.append(indent).append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                write(sb, l.get(i), indent == null ? null : indent + "  ");
            }
            sb.append(']');
        } else if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
            sb.append("null");
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else {
            sb.append(quote(String.valueOf(v)));
        }
    }

    /** A JSON string literal. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
