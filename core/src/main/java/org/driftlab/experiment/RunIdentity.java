package org.driftlab.experiment;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.driftlab.DriftlabException;
import org.driftlab.data.AtomicFiles;

/**
 * What a resume must find as the run left it: the resolved spec file (its SHA-256, and its text, so that a change
 * can be named key by key) and the code (a fingerprint of driftlab's compiled classes), both recorded in
 * {@code provenance.json} when a run, study or sweep starts. A resume under an edited spec would switch h half-way
 * while provenance still showed the old value; under other code it would not continue the run bit for bit. Either
 * is refused with a message naming what changed, unless the resume accepts it as a new segment: the change is then
 * recorded in provenance ({@code segments}) and becomes the new reference. Keys that define the problem itself (the
 * model, the data, the sub-runs) cannot change even so: the state in the checkpoint would not fit them.
 */
public final class RunIdentity {
    /** Provenance key of the spec file's SHA-256. */
    public static final String SPEC_SHA256 = "spec_sha256";
    /** Provenance key of the spec file's text. */
    public static final String SPEC_TEXT = "spec_yaml";
    /** Provenance key of the code fingerprint. */
    public static final String CODE = "code";
    /** Provenance key of the accepted changes. */
    public static final String SEGMENTS = "segments";

    private static volatile String fingerprint;

    private RunIdentity() {}

    /**
     * Records the spec file and the code in provenance (at the start of a run, study or sweep).
     *
     * @param provenance the provenance tree being written
     * @param specFile   the resolved spec as written into the directory
     */
    public static void record(Map<String, Object> provenance, Path specFile) {
        record(provenance, read(specFile));
    }

    /**
     * Records spec text (as it is, or is about to be, written to the spec file) and the code in provenance.
     *
     * @param provenance the provenance tree being written
     * @param text       the spec file's content
     */
    public static void record(Map<String, Object> provenance, String text) {
        provenance.put(SPEC_SHA256, sha256(text));
        provenance.put(SPEC_TEXT, text);
        provenance.put(CODE, code());
    }

    /**
     * Verifies a directory about to be resumed against what its provenance recorded. A directory written before
     * these were recorded passes (there is nothing to compare with).
     *
     * @param provenance  the directory's provenance (updated in place when a new segment is accepted)
     * @param specFile    its spec file
     * @param fixed       keys (dotted) that may not change even in a new segment
     * @param newSegment  whether changes (other than to fixed keys) are accepted and recorded
     * @param resumeHint  the command to resume with the changes accepted, or null when they cannot be
     */
    public static void verify(Map<String, Object> provenance, Path specFile, Set<String> fixed, boolean newSegment,
                              String resumeHint) {
        String text = read(specFile);
        Object recordedSha = provenance.get(SPEC_SHA256);
        Map<String, List<Object>> changed = Map.of(); // empty too when only formatting or comments changed
        if (recordedSha != null && !recordedSha.equals(sha256(text))) {
            Object before = provenance.get(SPEC_TEXT);
            changed = diff(before == null ? Map.of() : parse(String.valueOf(before)), parse(text));
        }
        Object recordedCode = provenance.get(CODE);
        boolean codeChanged = recordedCode != null && !recordedCode.equals(code());
        if (changed.isEmpty() && !codeChanged) {
            return;
        }
        String what = describe(specFile, changed, codeChanged, recordedCode);
        String restore = "restore " + (changed.isEmpty() ? "" : specFile + (codeChanged ? " and " : ""))
                + (codeChanged ? "the driftlab that started it" : "");
        List<String> fixedChanged = changed.keySet().stream().filter(k -> isFixed(k, fixed)).toList();
        if (!fixedChanged.isEmpty()) {
            throw new DriftlabException(what + "; " + String.join(", ", fixedChanged) + (fixedChanged.size() == 1
                    ? " defines" : " define") + " the problem itself, so it cannot continue under the change: "
                    + restore + ", or start a new one");
        }
        if (resumeHint == null) {
            throw new DriftlabException(what + ": " + restore + ", or start a new one");
        }
        if (!newSegment) {
            throw new DriftlabException(what + ": " + restore + ", or continue under the change as a new segment "
                    + "(recorded in provenance.json) with '" + resumeHint + "'");
        }
        Map<String, Object> segment = new LinkedHashMap<>();
        segment.put("at", Instant.now().toString());
        Map<String, Object> keys = new LinkedHashMap<>();
        changed.forEach(keys::put);
        segment.put("changed", keys);
        if (codeChanged) {
            segment.put("code", List.of(String.valueOf(recordedCode), code()));
        }
        @SuppressWarnings("unchecked")
        List<Object> segments = (List<Object>) provenance.computeIfAbsent(SEGMENTS, k -> new ArrayList<>());
        segments.add(segment);
        record(provenance, specFile); // the new reference for a later resume
    }

    private static boolean isFixed(String key, Set<String> fixed) {
        for (String f : fixed) {
            if (key.equals(f) || key.startsWith(f + ".")) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Path specFile, Map<String, List<Object>> changed, boolean codeChanged,
                                   Object recordedCode) {
        List<String> parts = new ArrayList<>();
        if (!changed.isEmpty()) {
            List<String> keys = new ArrayList<>();
            changed.forEach((k, v) -> keys.add(k + " " + show(v.get(0)) + " → " + show(v.get(1))));
            parts.add(specFile + " was changed since it started (" + String.join(", ", keys) + ")");
        }
        if (codeChanged) {
            parts.add(specFile.getParent() + " was started by other driftlab code (" + recordedCode + ", this is " + code()
                    + "), so it would not continue bit for bit");
        }
        return String.join("; ", parts);
    }

    private static String show(Object v) {
        return v == null ? "(absent)" : String.valueOf(v);
    }

    /** Leaf values by dotted key that differ between two spec trees: key → [before, after]. */
    static Map<String, List<Object>> diff(Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> a = new TreeMap<>();
        Map<String, Object> b = new TreeMap<>();
        flatten("", before, a);
        flatten("", after, b);
        Map<String, List<Object>> out = new TreeMap<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            Object x = a.get(k);
            Object y = b.get(k);
            if (!java.util.Objects.equals(x, y)) {
                List<Object> pair = new ArrayList<>();
                pair.add(x);
                pair.add(y);
                out.put(k, pair);
            }
        }
        return out;
    }

    private static void flatten(String prefix, Map<?, ?> tree, Map<String, Object> out) {
        for (Map.Entry<?, ?> e : tree.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> m && !m.isEmpty()) {
                flatten(key + ".", m, out);
            } else {
                out.put(key, e.getValue());
            }
        }
    }

    private static Map<String, Object> parse(String text) {
        try {
            Object o = SpecLoader.yaml().load(text);
            @SuppressWarnings("unchecked")
            Map<String, Object> m = o instanceof Map<?, ?> ? (Map<String, Object>) o : Map.of();
            return m;
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new DriftlabException("the spec file is no longer valid YAML (" + SpecLoader.yamlProblem(e)
                    + "); restore it", e);
        }
    }

    private static String read(Path specFile) {
        try {
            return Files.readString(specFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DriftlabException("cannot read " + specFile + ": " + AtomicFiles.describe(e), e);
        }
    }

    /** The SHA-256 of text (UTF-8) in hex. */
    static String sha256(String text) {
        return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * The code fingerprint: the version, and the first 16 hex digits of a SHA-256 over driftlab's compiled classes
     * (names and bytes of every {@code org/driftlab} class except the optional engines in {@code org/driftlab/spark},
     * in name order) from the jar or class directory this class was loaded from. The same sources compile to the
     * same classes, so two builds of one commit agree and any change to the code does not.
     *
     * @return e.g. {@code 0.1.0-SNAPSHOT+3f9a0c1d2e4b5a67}
     */
    public static String code() {
        String f = fingerprint;
        if (f == null) {
            String v = RunIdentity.class.getPackage().getImplementationVersion();
            f = (v == null ? "dev" : v) + "+" + classesDigest();
            fingerprint = f;
        }
        return f;
    }

    private static String classesDigest() {
        MessageDigest md = digest();
        try {
            Path where = Path.of(RunIdentity.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Map<String, byte[]> classes = new TreeMap<>();
            if (Files.isDirectory(where)) {
                try (Stream<Path> s = Files.walk(where.resolve("org/driftlab"))) {
                    for (Path p : s.filter(p -> p.toString().endsWith(".class")).toList()) {
                        String name = where.relativize(p).toString().replace('\\', '/');
                        if (!name.startsWith("org/driftlab/spark/")) {
                            classes.put(name, Files.readAllBytes(p));
                        }
                    }
                }
            } else {
                try (JarFile jar = new JarFile(where.toFile())) {
                    for (JarEntry e : java.util.Collections.list(jar.entries())) {
                        String name = e.getName();
                        if (name.startsWith("org/driftlab/") && name.endsWith(".class")
                                && !name.startsWith("org/driftlab/spark/")) {
                            try (InputStream in = jar.getInputStream(e)) {
                                classes.put(name, in.readAllBytes());
                            }
                        }
                    }
                }
            }
            for (Map.Entry<String, byte[]> e : classes.entrySet()) {
                md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                md.update(e.getValue());
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return "unknown"; // no code location (an unusual class loader): nothing to compare
        }
    }
}
