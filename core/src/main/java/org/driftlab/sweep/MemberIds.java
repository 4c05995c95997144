package org.driftlab.sweep;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Readable, unique directory names for the members of a sweep: {@code name=value} per axis joined by commas, e.g.
 * {@code lr=0.04,seed=1}. The name is the last segment of the axis key ({@code optimizer.lr} → {@code lr}) unless
 * two axes share it, then the whole key. Values are written as a researcher would type them (0.04, 1e-4, 200);
 * characters that are awkward in a file name ({@code / : , =} spaces …) become {@code _}, so
 * {@code fc-tanh:200,200} becomes {@code fc-tanh_200_200}. Names that still collide get {@code -2}, {@code -3}, …
 * in member order; names longer than {@link #MAX_LENGTH} are cut and end in 8 hex digits of their SHA-256.
 * A sweep of no axes has the one member {@code run}.
 */
public final class MemberIds {
    /** Longest ID (file systems allow 255 bytes per name). */
    public static final int MAX_LENGTH = 120;

    private MemberIds() {}

    /** IDs of the members whose axis values are given, in order. */
    public static List<String> of(List<String> keys, List<Map<String, Object>> values) {
        Map<String, Long> lastSegments = new HashMap<>();
        for (String k : keys) {
            lastSegments.merge(last(k), 1L, Long::sum);
        }
        List<String> names = keys.stream().map(k -> lastSegments.get(last(k)) > 1 ? k : last(k)).toList();
        List<String> ids = new ArrayList<>(values.size());
        Set<String> used = new HashSet<>();
        for (Map<String, Object> v : values) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < keys.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(names.get(i)).append('=')
                  .append(sanitize(format(v.get(keys.get(i)))));
            }
            String id = keys.isEmpty() ? "run" : sb.toString();
            if (id.length() > MAX_LENGTH) {
                id = id.substring(0, MAX_LENGTH - 9) + "-" + sha256(id).substring(0, 8);
            }
            String unique = id;
            for (int n = 2; !used.add(unique); n++) {
                unique = id + "-" + n;
            }
            ids.add(unique);
        }
        return ids;
    }

    private static String last(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    /** A value as a researcher writes it: integers without ".0", 1e-4 rather than 1.0E-4, lists joined by +. */
    public static String format(Object v) {
        if (v instanceof Double d) {
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString(d.longValue());
            }
            String s = Double.toString(d); // the shortest text that reads back as d
            int e = s.indexOf('E');
            if (e < 0) {
                return s;
            }
            String mantissa = s.substring(0, e);
            if (mantissa.endsWith(".0")) {
                mantissa = mantissa.substring(0, mantissa.length() - 2);
            }
            return mantissa + "e" + s.substring(e + 1);
        }
        if (v instanceof Float f) {
            return format(f.doubleValue());
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder();
            for (Object o : l) {
                sb.append(sb.length() == 0 ? "" : "+").append(format(o));
            }
            return sb.toString();
        }
        return String.valueOf(v);
    }

    private static String sanitize(String s) {
        String out = s.replaceAll("[^A-Za-z0-9._+-]", "_");
        return out.startsWith(".") ? "_" + out.substring(1) : out; // no hidden directories
    }

    private static String sha256(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (byte b : h) {
                sb.append(String.format(Locale.ROOT, "%02x", b));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
