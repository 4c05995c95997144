package org.driftlab.experiment;

import java.io.IOException;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.driftlab.DriftlabException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads experiment specs: a catalogue name or a YAML path, then the {@code quick:} overrides (with --quick),
 * then {@code --set key=value} overrides with dotted keys (values parsed as YAML, so {@code lrs=[0.02,0.04]} is
 * a list). Setting {@code optimizer.lr} drops a top-level {@code lrs} list and {@code seed} drops {@code seeds},
 * so a single override always wins over a sweep.
 */
public final class SpecLoader {
    private SpecLoader() {}

    /**
     * The key of a catalogue file's measured cost: {@code cpu_seconds: {quick: Q, full: F}}, the CPU time (user +
     * sys, as /usr/bin/time reports it) of {@code driftlab run NAME --quick} and of {@code driftlab run NAME} on the
     * 2-core reference machine. Its one home is the spec file; {@code driftlab list} shows it. It describes the
     * file, not a run, so {@link #loadTree} drops it.
     */
    public static final String CPU_SECONDS = "cpu_seconds";

    /**
     * A catalogue entry.
     *
     * @param quickCpuSeconds the measured CPU seconds of its --quick size (null: not measured)
     * @param fullCpuSeconds the measured CPU seconds of its full size (null: not measured)
     */
    public record Entry(String name, String description, Path path, Double quickCpuSeconds, Double fullCpuSeconds) {}

    /**
     * The catalogue directory: $DRIFTLAB_EXPERIMENTS, else ./experiments, else experiments/ next to the
     * directory holding the driftlab jar (the repository root when run through the launcher).
     */
    public static Path catalogueDir() {
        Path env = org.driftlab.Environment.directory(org.driftlab.Environment.EXPERIMENTS); // validated
        if (env != null) {
            return env;
        }
        Path local = Path.of("experiments");
        if (Files.isDirectory(local)) {
            return local;
        }
        try {
            Path code = Path.of(SpecLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = code.getParent(); p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("experiments"))) {
                    return p.resolve("experiments");
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through to the relative default
        }
        return local;
    }

    /** The entries of a catalogue directory, sorted by name. */
    public static List<Entry> catalogue(Path dir) {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
                Map<String, Object> m = readYaml(p);
                String name = p.getFileName().toString().replaceFirst("\\.yaml$", "");
                Map<?, ?> cost = m.get(CPU_SECONDS) instanceof Map<?, ?> c ? c : Map.of();
                out.add(new Entry(name, String.valueOf(m.getOrDefault("description", "")), p, seconds(cost.get("quick")),
                        seconds(cost.get("full"))));
            }
        } catch (IOException e) {
            throw new DriftlabException("cannot list the catalogue " + dir + ": " + e.getMessage(), e);
        }
        out.sort(java.util.Comparator.comparing(Entry::name));
        return out;
    }

    private static Double seconds(Object v) {
        return v instanceof Number n ? n.doubleValue() : null;
    }

    /** Resolves NAME (in the catalogue) or a path to a YAML file. */
    public static Path locate(String nameOrPath, Path catalogueDir) {
        Path p = Path.of(nameOrPath);
        if (nameOrPath.endsWith(".yaml") || nameOrPath.endsWith(".yml") || Files.isRegularFile(p)) {
            if (!Files.isRegularFile(p)) {
                throw new DriftlabException("spec file " + nameOrPath + " does not exist");
            }
            return p;
        }
        Path entry = catalogueDir.resolve(nameOrPath + ".yaml");
        if (Files.isRegularFile(entry)) {
            return entry;
        }
        List<String> names = catalogue(catalogueDir).stream().map(Entry::name).toList();
        throw new DriftlabException("unknown experiment '" + nameOrPath + "'; available: "
                + (names.isEmpty() ? "(none in " + catalogueDir + ")" : String.join(", ", names)));
    }

    /** Loads, applies overrides and validates a training spec. */
    public static Spec load(Path file, boolean quick, List<String> sets) {
        Map<String, Object> tree = loadTree(file, quick, sets);
        if (tree.get("kind") != null && !"train".equals(tree.get("kind"))) {
            throw new DriftlabException(file + " is a study (kind: " + tree.get("kind") + "), not a training spec");
        }
        tree.remove("kind");
        return Spec.fromMap(tree);
    }

    /** Loads a spec or study file as a YAML tree with the quick: section (when asked) and --set overrides applied. */
    public static Map<String, Object> loadTree(Path file, boolean quick, List<String> sets) {
        Map<String, Object> tree = readYaml(file);
        if (quick) {
            Object q = tree.get("quick");
            if (q instanceof Map<?, ?> qm) {
                deepMerge(tree, cast(qm));
            } else if (q != null) {
                throw new DriftlabException("quick: expected a section of overrides, got '" + q + "'");
            }
        }
        tree.remove("quick");
        tree.remove(CPU_SECONDS);
        for (String s : sets) {
            applySet(tree, s);
        }
        return tree;
    }

    /** Applies one {@code dotted.key=yaml-value} override in place. */
    public static void applySet(Map<String, Object> tree, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new DriftlabException("--set '" + assignment + "': expected key=value, e.g. optimizer.lr=0.02");
        }
        String key = assignment.substring(0, eq).trim();
        Object value;
        String text = assignment.substring(eq + 1);
        try {
            value = yaml().load(text);
            if (value instanceof Map<?, ?> && !text.strip().startsWith("{")) {
                // "--set model=fc-tanh:" is YAML for {fc-tanh: null}; on a command line it means the text
                value = text.strip();
            }
        } catch (YAMLException e) {
            throw new DriftlabException("--set " + key + ": cannot parse the value '" + assignment.substring(eq + 1)
                    + "' as YAML (" + yamlProblem(e) + ")");
        }
        set(tree, key, value);
    }

    /**
     * Sets a dotted key ({@code optimizer.lr}, {@code params.h}, {@code seed}) in a spec tree in place, creating
     * sections on the way. Setting {@code optimizer.lr} drops a top-level {@code lrs} list and {@code seed} drops
     * {@code seeds}, so a single value wins over a list. Validation is the caller's: it rebuilds the spec from the
     * tree ({@link Spec#with}, {@code StudySpec.with}).
     */
    public static void set(Map<String, Object> tree, String key, Object value) {
        String[] parts = key.split("\\.");
        Map<String, Object> node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            Object child = node.get(parts[i]);
            if (child == null) {
                child = new LinkedHashMap<String, Object>();
                node.put(parts[i], child);
            } else if (!(child instanceof Map)) {
                throw new DriftlabException(key + ": '" + parts[i] + "' is a value, not a section");
            }
            node = cast((Map<?, ?>) child);
        }
        node.put(parts[parts.length - 1], value);
        if (key.equals("optimizer.lr")) {
            tree.remove("lrs");
        }
        if (key.equals("seed")) {
            tree.remove("seeds");
        }
    }

    private static void deepMerge(Map<String, Object> into, Map<String, Object> from) {
        for (Map.Entry<String, Object> e : from.entrySet()) {
            Object old = into.get(e.getKey());
            if (old instanceof Map<?, ?> om && e.getValue() instanceof Map<?, ?> nm) {
                deepMerge(cast(om), cast(nm));
            } else {
                into.put(e.getKey(), e.getValue());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    /**
     * The one YAML loader of driftlab (specs, sweep files, --set values, provenance read back): safe types only, and
     * a key given twice in one mapping is an error rather than "the last one wins" (SnakeYAML's default). Aliases,
     * nesting and size keep SnakeYAML's limits (50 aliases per collection, depth 50, 3 MB).
     *
     * @return a new loader (SnakeYAML loaders are not thread-safe)
     */
    public static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new TextConstructor(options));
    }

    /**
     * The safe constructor without YAML's {@code !!binary} (bytes): no spec value is binary, and a value that is not
     * Base64 made the loader throw a Java error (found by the spec fuzz, issue 17). A binary node is a YAML error that
     * names its place.
     */
    private static final class TextConstructor extends SafeConstructor {
        TextConstructor(LoaderOptions options) {
            super(options);
            this.yamlConstructors.put(org.yaml.snakeyaml.nodes.Tag.BINARY, new AbstractConstruct() {
                @Override
                public Object construct(org.yaml.snakeyaml.nodes.Node node) {
                    throw new org.yaml.snakeyaml.constructor.ConstructorException(null, null, "a !!binary value: spec "
                            + "values are text, numbers, lists and mappings", node.getStartMark()) {
                        private static final long serialVersionUID = 1L;
                    };
                }
            });
        }
    }

    /**
     * What is wrong with a YAML text, in one line: the problem and where ("line 3, column 1: found duplicate key
     * seed"; "not valid UTF-8 text").
     *
     * @param e the loader's exception
     * @return a phrase for a message
     */
    public static String yamlProblem(YAMLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.charset.CharacterCodingException) {
                return "not valid UTF-8 text; save the file as UTF-8";
            }
        }
        if (e instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
            org.yaml.snakeyaml.error.Mark at = m.getProblemMark();
            String problem = m.getProblem() == null ? "invalid YAML" : m.getProblem();
            if (e instanceof org.yaml.snakeyaml.constructor.DuplicateKeyException) {
                problem = problem.replace("found duplicate key", "a key given twice:") + " (remove one)";
            }
            return "line " + (at.getLine() + 1) + ", column " + (at.getColumn() + 1) + ": " + problem;
        }
        String first = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        return first.replaceAll("^[a-z]+(\\.[a-zA-Z]+)+(Exception|Error): ", "");
    }

    /** Reads a YAML mapping into mutable maps. */
    public static Map<String, Object> readYaml(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object o = yaml().load(r);
            if (o == null) {
                return new LinkedHashMap<>();
            }
            if (!(o instanceof Map<?, ?> m)) {
                throw new DriftlabException(file + ": expected a YAML mapping at the top level (key: value lines)");
            }
            if (m.keySet().stream().anyMatch(k -> !(k instanceof String))) {
                throw new DriftlabException(file + ": the keys must be names, found " + m.keySet().stream()
                        .filter(k -> !(k instanceof String)).findFirst().map(String::valueOf).orElse(""));
            }
            return cast(m);
        } catch (IOException e) {
            throw new DriftlabException("cannot read " + file + ": " + org.driftlab.data.AtomicFiles.describe(e), e);
        } catch (YAMLException e) {
            throw new DriftlabException(file + ": invalid YAML: " + yamlProblem(e), e);
        }
    }

    /** The resolved spec as YAML text. */
    public static String toYaml(Spec spec) {
        org.yaml.snakeyaml.DumperOptions o = new org.yaml.snakeyaml.DumperOptions();
        o.setDefaultFlowStyle(org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
        return new Yaml(o).dump(spec.toMap());
    }
}
