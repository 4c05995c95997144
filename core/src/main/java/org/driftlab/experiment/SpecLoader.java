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

    /** A catalogue entry. */
    public record Entry(String name, String description, Path path) {}

    /**
     * The catalogue directory: $DRIFTLAB_EXPERIMENTS, else ./experiments, else experiments/ next to the
     * directory holding the driftlab jar (the repository root when run through the launcher).
     */
    public static Path catalogueDir() {
        String env = System.getenv("DRIFTLAB_EXPERIMENTS");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
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
                out.add(new Entry(name, String.valueOf(m.getOrDefault("description", "")), p));
            }
        } catch (IOException e) {
            throw new DriftlabException("cannot list the catalogue " + dir + ": " + e.getMessage(), e);
        }
        out.sort(java.util.Comparator.comparing(Entry::name));
        return out;
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
        try {
            value = yaml().load(assignment.substring(eq + 1));
        } catch (YAMLException e) {
            throw new DriftlabException("--set " + key + ": cannot parse the value '" + assignment.substring(eq + 1) + "'");
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

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    /** Reads a YAML mapping into mutable maps. */
    public static Map<String, Object> readYaml(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object o = yaml().load(r);
            if (o == null) {
                return new LinkedHashMap<>();
            }
            if (!(o instanceof Map<?, ?> m)) {
                throw new DriftlabException(file + ": expected a YAML mapping at the top level");
            }
            return cast(m);
        } catch (IOException e) {
            throw new DriftlabException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (YAMLException e) {
            throw new DriftlabException(file + ": invalid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** The resolved spec as YAML text. */
    public static String toYaml(Spec spec) {
        org.yaml.snakeyaml.DumperOptions o = new org.yaml.snakeyaml.DumperOptions();
        o.setDefaultFlowStyle(org.yaml.snakeyaml.DumperOptions.FlowStyle.BLOCK);
        return new Yaml(o).dump(spec.toMap());
    }
}
