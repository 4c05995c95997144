package org.driftlab.experiment;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Typed parameters: binds a YAML section to a record whose components carry {@link Param} (default, unit,
 * description), and writes a record back as a YAML-ready map. An unknown key is an error that names it and lists
 * the allowed ones; a value of the wrong type is an error that names the key, the value and the expected type; a
 * range check in the record's compact constructor ({@link #check}) is reported under the key it names. Supported
 * component types: int, long, double, boolean, String, their boxed forms (null when the default is
 * {@link Param#NONE}), and lists of Integer, Long, Double or String.
 */
public final class Params {
    private Params() {}

    /**
     * One declared parameter.
     *
     * @param key the YAML key
     * @param name the record component
     * @param type the component's generic type
     * @param defaultText the default as declared (YAML syntax, or {@link Param#NONE} / {@link Param#REQUIRED})
     * @param defaultValue the default converted to the component's type (null for NONE and REQUIRED)
     */
    public record Info(String key, String name, Type type, String defaultText, Object defaultValue, String unit,
                       String doc) {
        /** True when a file must give the value. */
        public boolean required() {
            return Param.REQUIRED.equals(defaultText);
        }

        /** The expected type in words, as error messages and {@code driftlab show} state it. */
        public String typeName() {
            return Params.typeName(type);
        }
    }

    /** A bad parameter value found by a record's own checks; {@link #bind} reports it under its key. */
    public static final class Invalid extends DriftlabException {
        private static final long serialVersionUID = 1L;
        private final String key;

        Invalid(String key, String message) {
            super(key + ": " + message);
            this.key = key;
        }

        /** The key (relative to the section). */
        public String key() {
            return key;
        }

        /** The message without the key. */
        public String reason() {
            return getMessage().substring(key.length() + 2);
        }
    }

    /** Rejects a value from a compact constructor: {@code key} is the YAML key, message says what is allowed. */
    public static void check(boolean ok, String key, String message) {
        if (!ok) {
            throw new Invalid(key, message);
        }
    }

    private static final ClassValue<List<Info>> SCHEMAS = new ClassValue<>() {
        @Override
        protected List<Info> computeValue(Class<?> type) {
            return Collections.unmodifiableList(describe(type));
        }
    };

    /** The declared parameters of a record type, in declaration order. */
    public static List<Info> schema(Class<? extends Record> type) {
        return SCHEMAS.get(type);
    }

    /** The YAML keys of a record type. */
    public static List<String> keys(Class<? extends Record> type) {
        return schema(type).stream().map(Info::key).toList();
    }

    /** The record with every default (a type with required keys has none). */
    public static <R extends Record> R defaults(Class<R> type) {
        return bind(type, Map.of(), "");
    }

    /**
     * Binds a YAML section (null or empty: every default) to a record.
     *
     * @param path the section's dotted path for messages, e.g. {@code params} or {@code optimizer} ("" at top level)
     */
    public static <R extends Record> R bind(Class<R> type, Map<?, ?> section, String path) {
        return bind(type, section, path, Map.of(), List.of());
    }

    /**
     * Binds a YAML section with contextual defaults (replacing the declared default of some keys) and extra keys
     * that the caller reads itself (allowed, but not bound).
     */
    public static <R extends Record> R bind(Class<R> type, Map<?, ?> section, String path, Map<String, Object> contextual,
                                            List<String> extraKeys) {
        Map<?, ?> yaml = section == null ? Map.of() : section;
        List<Info> infos = schema(type);
        List<String> allowed = new ArrayList<>(keys(type));
        allowed.addAll(extraKeys);
        for (Object k : yaml.keySet()) {
            if (!allowed.contains(String.valueOf(k))) {
                throw new DriftlabException(qualify(path, String.valueOf(k)) + ": unknown key"
                        + (path.isEmpty() ? "" : " in " + path) + "; allowed: " + String.join(", ", allowed));
            }
        }
        Object[] args = new Object[infos.size()];
        for (int i = 0; i < infos.size(); i++) {
            Info info = infos.get(i);
            Object v = yaml.get(info.key());
            if (v != null) {
                args[i] = convert(qualify(path, info.key()), v, info.type());
            } else if (contextual.containsKey(info.key())) {
                args[i] = convert(qualify(path, info.key()), contextual.get(info.key()), info.type());
            } else if (info.required()) {
                throw new DriftlabException(qualify(path, info.key()) + ": missing; " + info.doc());
            } else {
                args[i] = info.defaultValue();
            }
        }
        return construct(type, args, path);
    }

    /** The record as a YAML-ready map (absent optional values are left out). */
    public static Map<String, Object> toMap(Record r) {
        Map<String, Object> m = new LinkedHashMap<>();
        RecordComponent[] cs = r.getClass().getRecordComponents();
        List<Info> infos = schema(r.getClass().asSubclass(Record.class));
        for (int i = 0; i < cs.length; i++) {
            Object v;
            try {
                v = cs[i].getAccessor().invoke(r);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (v != null) {
                m.put(infos.get(i).key(), v instanceof List<?> l ? new ArrayList<>(l) : v);
            }
        }
        return m;
    }

    /** The value of one key of a record (null for an absent optional value). */
    public static Object get(Record r, String key) {
        List<Info> infos = schema(r.getClass().asSubclass(Record.class));
        for (int i = 0; i < infos.size(); i++) {
            if (infos.get(i).key().equals(key)) {
                try {
                    return r.getClass().getRecordComponents()[i].getAccessor().invoke(r);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalArgumentException(r.getClass().getSimpleName() + " has no key " + key);
    }

    /** A default or a --set value in YAML syntax, parsed as YAML. */
    public static Object parseYaml(String text) {
        try {
            return SpecLoader.yaml().load(text);
        } catch (YAMLException e) {
            throw new DriftlabException("cannot parse '" + text + "' as a YAML value");
        }
    }

    /**
     * Converts a YAML value to a component type.
     *
     * @param key the dotted key for messages
     */
    public static Object convert(String key, Object v, Type type) {
        if (v == null) {
            return null;
        }
        if (type == int.class || type == Integer.class) {
            long l = integral(key, v, "an integer");
            if (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE) {
                throw wrong(key, v, "an integer in the int range");
            }
            return (int) l;
        }
        if (type == long.class || type == Long.class) {
            return integral(key, v, "an integer");
        }
        if (type == double.class || type == Double.class) {
            if (v instanceof Number n) {
                return n.doubleValue();
            }
            if (v instanceof String s) { // YAML reads 1e-4 (no dot) as text; accept what Double accepts
                try {
                    return Double.parseDouble(s.trim());
                } catch (NumberFormatException e) {
                    throw wrong(key, v, "a number");
                }
            }
            throw wrong(key, v, "a number");
        }
        if (type == boolean.class || type == Boolean.class) {
            if (v instanceof Boolean b) {
                return b;
            }
            throw wrong(key, v, "true or false");
        }
        if (type == String.class) {
            if (v instanceof Map || v instanceof List) {
                throw wrong(key, v, "a single value (text)");
            }
            return String.valueOf(v);
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            Type element = p.getActualTypeArguments()[0];
            List<?> in = v instanceof List<?> l ? l : List.of(v); // a single value is a list of one
            List<Object> out = new ArrayList<>(in.size());
            for (Object o : in) {
                if (o == null) {
                    throw wrong(key, v, typeName(type));
                }
                try {
                    out.add(convert(key, o, element));
                } catch (DriftlabException e) {
                    throw wrong(key, v, typeName(type));
                }
            }
            return List.copyOf(out);
        }
        throw new IllegalArgumentException(key + ": unsupported parameter type " + type);
    }

    private static long integral(String key, Object v, String expected) {
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) <= 1e15) { // 1e4 and 1000.0 are integers
                return (long) d;
            }
        }
        if (v instanceof String s) {
            try {
                return integral(key, Double.parseDouble(s.trim()), expected);
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw wrong(key, v, expected);
    }

    private static DriftlabException wrong(String key, Object v, String expected) {
        return new DriftlabException(key + ": '" + v + "' is not " + expected);
    }

    static String typeName(Type type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a text value";
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            Type e = p.getActualTypeArguments()[0];
            return "a list of " + (e == String.class ? "texts" : e == Double.class ? "numbers" : "integers");
        }
        return type.getTypeName();
    }

    private static String qualify(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static <R extends Record> R construct(Class<R> type, Object[] args, String path) {
        RecordComponent[] cs = type.getRecordComponents();
        Class<?>[] types = new Class<?>[cs.length];
        for (int i = 0; i < cs.length; i++) {
            types[i] = cs[i].getType();
        }
        try {
            Constructor<R> c = type.getDeclaredConstructor(types);
            c.setAccessible(true);
            return c.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Invalid inv) {
                throw new DriftlabException(qualify(path, inv.key()) + ": " + inv.reason(), inv);
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName() + ": " + e, e);
        }
    }

    private static List<Info> describe(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        List<Info> out = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            Param p = c.getAnnotation(Param.class);
            if (p == null) {
                throw new IllegalStateException(type.getName() + "." + c.getName() + " has no @Param");
            }
            String key = p.key().isEmpty() ? snake(c.getName()) : p.key();
            Object dflt = null;
            if (p.value().isEmpty() && c.getType() == String.class) {
                dflt = "";
            } else if (!p.value().equals(Param.NONE) && !p.value().equals(Param.REQUIRED)) {
                dflt = convert(type.getSimpleName() + "." + key + " (declared default)", parseYaml(p.value()),
                        c.getGenericType());
            } else if (c.getType().isPrimitive()) {
                throw new IllegalStateException(type.getName() + "." + c.getName()
                        + ": a primitive needs a default (use a boxed type for NONE / REQUIRED)");
            }
            out.add(new Info(key, c.getName(), c.getGenericType(), p.value(), dflt, p.unit(), p.doc()));
        }
        return out;
    }

    /** camelCase to snake_case: sharpnessEvery → sharpness_every, kTop → k_top, x0 → x0. */
    static String snake(String name) {
        StringBuilder sb = new StringBuilder();
        for (char ch : name.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                sb.append('_').append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }
}
