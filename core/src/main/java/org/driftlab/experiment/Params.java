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
 *
 * <p>A component whose type is itself a record is a <em>shared section inlined</em> into its parent: its keys
 * sit beside the parent's own in the same YAML section (so several studies can compose one declaration of, say,
 * their network and data without changing their files' keys), and its {@link Param#value()} is a YAML map that
 * overrides some of the section's declared defaults for this parent ({@code "{}"} for none, {@code "{loss: ce}"}).
 * {@link #schema}, {@link #keys}, {@link #toMap} and {@link #get} see the inlined keys flat, in declaration order.
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

    /**
     * Runs the checks of a component record (an optimizer's or regulariser's parameters) that a study builds from keys
     * of its own, from the study's compact constructor: a bad value is then refused before the study starts, under the
     * study's key ({@code keys} maps the record's key to it), instead of when the record is first built, after sub-runs
     * have started.
     */
    public static void checkAs(Map<String, String> keys, Runnable build) {
        try {
            build.run();
        } catch (Invalid e) {
            throw new Invalid(keys.getOrDefault(e.key(), e.key()), e.reason());
        }
    }

    /** Rejects a list of learning rates h unless each is positive (the one rule studies share for h lists). */
    public static void learningRates(java.util.List<Double> hs, String key) {
        for (double h : hs) {
            check(h > 0, key, h + " is not a positive learning rate");
        }
    }

    /**
     * One component of a record: a plain parameter ({@code info}) or an inlined section ({@code section}, its record
     * type, with the parameters it contributes, their defaults as overridden by the parent).
     */
    private record Slot(Info info, Class<? extends Record> section, List<Info> inlined) {
        List<Info> infos() {
            return info != null ? List.of(info) : inlined;
        }
    }

    /** Rejects a count below min, saying "v must be &gt;= min": the one wording of a lower bound on a count. */
    public static void atLeast(String key, long v, long min) {
        check(v >= min, key, v + " must be >= " + min);
    }

    /** Rejects a negative number or NaN, saying "v must be &gt;= 0". */
    public static void notNegative(String key, double v) {
        check(v >= 0, key, v + " must be >= 0");
    }

    /** Rejects a value that is not a finite number &gt; 0. */
    public static void checkPositive(String key, double v) {
        check(v > 0 && Double.isFinite(v), key, v + " must be a finite number > 0");
    }

    /** Rejects an empty list or one holding a value that is not a finite number &gt; 0. */
    public static void checkPositive(String key, List<Double> vs) {
        check(!vs.isEmpty(), key, "the list is empty");
        for (double v : vs) {
            check(v > 0 && Double.isFinite(v), key, vs + ": every value must be a finite number > 0");
        }
    }

    private static final ClassValue<List<Slot>> SLOTS = new ClassValue<>() {
        @Override
        protected List<Slot> computeValue(Class<?> type) {
            return Collections.unmodifiableList(describe(type));
        }
    };

    /** The declared parameters of a record type, in declaration order (inlined sections' keys in their place). */
    public static List<Info> schema(Class<? extends Record> type) {
        List<Info> out = new ArrayList<>();
        for (Slot slot : SLOTS.get(type)) {
            out.addAll(slot.infos());
        }
        return Collections.unmodifiableList(out);
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
        List<String> allowed = new ArrayList<>(keys(type));
        allowed.addAll(extraKeys);
        for (Object k : yaml.keySet()) {
            if (!allowed.contains(String.valueOf(k))) {
                throw new DriftlabException(qualify(path, String.valueOf(k)) + ": unknown key"
                        + (path.isEmpty() ? "" : " in " + path) + "; allowed: " + String.join(", ", allowed));
            }
        }
        return construct(type, values(SLOTS.get(type), yaml, path, contextual), path);
    }

    /** The constructor arguments of a record's slots from a (checked) YAML section. */
    private static Object[] values(List<Slot> slots, Map<?, ?> yaml, String path, Map<String, Object> contextual) {
        Object[] args = new Object[slots.size()];
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            if (slot.section() != null) {
                args[i] = construct(slot.section(), values(withDefaults(SLOTS.get(slot.section()), slot.inlined()), yaml,
                        path, contextual), path);
                continue;
            }
            Info info = slot.info();
            Object v = yaml.get(info.key());
            if (v != null) {
                args[i] = inRange(qualify(path, info.key()), convert(qualify(path, info.key()), v, info.type()), info);
            } else if (contextual.containsKey(info.key())) {
                args[i] = inRange(qualify(path, info.key()), convert(qualify(path, info.key()),
                        contextual.get(info.key()), info.type()), info);
            } else if (info.required()) {
                throw new DriftlabException(qualify(path, info.key()) + ": missing; " + info.doc());
            } else {
                args[i] = info.defaultValue();
            }
        }
        return args;
    }

    /**
     * A copy of a record with some keys set (validated as a file would be), the others kept: e.g. a probe's
     * defaults with its period set, {@code with(defaults(NeffParams.class), Map.of("neff", 100))}.
     */
    @SuppressWarnings("unchecked")
    public static <R extends Record> R with(R record, Map<String, ?> values) {
        Map<String, Object> m = toMap(record);
        m.putAll(values);
        return bind((Class<R>) record.getClass(), m, "");
    }

    /** The record as a YAML-ready map (absent optional values are left out; inlined sections flat). */
    public static Map<String, Object> toMap(Record r) {
        Map<String, Object> m = new LinkedHashMap<>();
        RecordComponent[] cs = r.getClass().getRecordComponents();
        List<Slot> slots = SLOTS.get(r.getClass());
        for (int i = 0; i < cs.length; i++) {
            Object v = component(r, cs[i]);
            if (slots.get(i).section() != null) {
                m.putAll(toMap((Record) v));
            } else if (v != null) {
                m.put(slots.get(i).info().key(), v instanceof List<?> l ? new ArrayList<>(l) : v);
            }
        }
        return m;
    }

    /** The value of one key of a record, looked for in inlined sections too (null for an absent optional value). */
    public static Object get(Record r, String key) {
        RecordComponent[] cs = r.getClass().getRecordComponents();
        List<Slot> slots = SLOTS.get(r.getClass());
        for (int i = 0; i < cs.length; i++) {
            Slot slot = slots.get(i);
            if (slot.section() != null && slot.inlined().stream().anyMatch(x -> x.key().equals(key))) {
                return get((Record) component(r, cs[i]), key);
            }
            if (slot.info() != null && slot.info().key().equals(key)) {
                return component(r, cs[i]);
            }
        }
        throw new IllegalArgumentException(r.getClass().getSimpleName() + " has no key " + key);
    }

    private static Object component(Record r, RecordComponent c) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
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
     * The ranges every parameter obeys, whatever its record checks (issue 17: values outside them reached the studies'
     * arrays and loops as Java errors): a real number is finite (NaN and ±∞ are never a setting), and a whole number
     * is a count, 0 or more, unless it is a seed (a name ending in seed or seeds). Lists are checked element by element,
     * and a list whose default has values keeps at least one (an empty list of learning rates is nothing to study).
     */
    private static Object inRange(String key, Object value, Info info) {
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> l && l.isEmpty() && info.defaultValue() instanceof List<?> d && !d.isEmpty()) {
            throw new DriftlabException(key + ": an empty list; give at least one value (default " + info.defaultText()
                    + ")");
        }
        boolean seed = info.name().toLowerCase(java.util.Locale.ROOT).matches(".*seeds?");
        for (Object x : value instanceof List<?> l ? l : List.of(value)) {
            if ((x instanceof Double || x instanceof Float) && !Double.isFinite(((Number) x).doubleValue())) {
                throw new DriftlabException(key + ": " + x + " is not a finite number");
            }
            if ((x instanceof Integer || x instanceof Long) && !seed && ((Number) x).longValue() < 0) {
                throw new DriftlabException(key + ": " + x + " is negative; expected a count, 0 or more"
                        + (info.unit().isEmpty() ? "" : " " + info.unit()));
            }
        }
        return value;
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

    private static List<Slot> describe(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        List<Slot> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            Param p = c.getAnnotation(Param.class);
            if (p == null) {
                throw new IllegalStateException(type.getName() + "." + c.getName() + " has no @Param");
            }
            Slot slot = c.getType().isRecord() ? inline(type, c, p) : new Slot(info(type, c, p), null, null);
            for (Info i : slot.infos()) {
                if (seen.contains(i.key())) {
                    throw new IllegalStateException(type.getName() + ": key " + i.key() + " is declared twice");
                }
                seen.add(i.key());
            }
            out.add(slot);
        }
        return out;
    }

    private static Info info(Class<?> type, RecordComponent c, Param p) {
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
        return new Info(key, c.getName(), c.getGenericType(), p.value(), dflt, p.unit(), p.doc());
    }

    /** An inlined section: the section's parameters with the parent's overrides of their defaults. */
    private static Slot inline(Class<?> type, RecordComponent c, Param p) {
        @SuppressWarnings("unchecked")
        Class<? extends Record> section = (Class<? extends Record>) c.getType();
        Object parsed = parseYaml(p.value());
        Map<?, ?> overrides = parsed == null ? Map.of() : parsed instanceof Map<?, ?> m ? m : null;
        if (overrides == null) {
            throw new IllegalStateException(type.getName() + "." + c.getName()
                    + ": an inlined section's @Param value is a YAML map of default overrides, e.g. {} or {loss: ce}");
        }
        List<Info> own = schema(section);
        for (Object k : overrides.keySet()) {
            if (own.stream().noneMatch(i -> i.key().equals(String.valueOf(k)))) {
                throw new IllegalStateException(type.getName() + "." + c.getName() + ": overrides unknown key " + k);
            }
        }
        List<Info> inlined = new ArrayList<>();
        for (Info i : own) {
            Object v = overrides.get(i.key());
            if (v == null) {
                inlined.add(i);
            } else {
                String text = String.valueOf(v);
                inlined.add(new Info(i.key(), i.name(), i.type(), text,
                        convert(type.getSimpleName() + "." + i.key() + " (declared default)", v, i.type()), i.unit(), i.doc()));
            }
        }
        return new Slot(null, section, List.copyOf(inlined));
    }

    /** A section's slots with the defaults an inlining parent declared. */
    private static List<Slot> withDefaults(List<Slot> slots, List<Info> overridden) {
        List<Slot> out = new ArrayList<>();
        int k = 0;
        for (Slot slot : slots) {
            if (slot.info() != null) {
                out.add(new Slot(overridden.get(k++), null, null));
            } else {
                int n = slot.inlined().size();
                out.add(new Slot(null, slot.section(), overridden.subList(k, k + n)));
                k += n;
            }
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
