package org.driftlab.fuzz;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.testing.Cli;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * YAML specs mutated from small valid ones (a training run on a quadratic and on a tiny network, a study, a sweep):
 * keys removed, unknown keys added, values replaced by values of the wrong kind or range (null, negative, NaN,
 * 2^31, lists, sections, text), and the text itself broken (a key given twice, bad indentation, a tab, bytes that are
 * not UTF-8). {@code driftlab run SPEC --out DIR} must run a spec that is still valid and refuse the others in one line
 * with exit 2, leaving no directory. And every parameter of every study, set on the command line to a value of the
 * wrong kind or range, is refused so.
 */
class SpecFuzzTest {
    static final String QUADRATIC = """
            name: q
            model: "quadratic:eigs=1,10"
            optimizer: {name: gd, lr: 0.1}
            seed: 0
            probes: {train: 2, sharpness: 4, k: 1, iterations: 4}
            stop: {steps: 8}
            checkpoint_every: 4
            """;
    static final String NETWORK = """
            name: n
            model: fc-tanh:3
            data: synthetic:blobs:n=12,d=3,k=2,seed=1
            loss: mse
            optimizer: {name: sgd, lr: 0.1, batch_size: 4}
            lrs: [0.05, 0.1]
            threads: 1
            probes: {train: 2, grad_norm: 2}
            stop: {steps: 6, loss_below: 0.001}
            checkpoint_every: 3
            """;
    static final String STUDY = """
            name: s
            kind: minimalist
            seed: 0
            params: {hs: [0.1, 0.4], steps: 30}
            """;
    static final String SWEEP = QUADRATIC + "sweep: {grid: {optimizer.lr: [0.1, 0.2]}}\n";

    /** One change to a spec tree or text. */
    record Mutation(int kind, int path, Object value) {}

    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.oneOf(
                Arbitraries.of(-1, 0, 1, 3, 2147483648L, 99999999999L, -0.5, 0.5, 1e300, Double.NaN, 1e-320)
                        .map(v -> (Object) v),
                Arbitraries.of("", "abc", "gd", "none", "fc-tanh:", "1e-3", "\u001b[31m", "synthetic:blobs:n=0",
                        "quadratic:eigs=-1", "mse", "ce").map(v -> (Object) v),
                Arbitraries.of(true, false).map(v -> (Object) v),
                Arbitraries.just(new ArrayList<>()).map(v -> (Object) v),
                Arbitraries.just(List.of(1, "x")).map(v -> (Object) v),
                Arbitraries.create(() -> (Object) new LinkedHashMap<>(Map.of("a", 1))), // mutable: later changes go in
                Arbitraries.just("null").map(v -> (Object) null));
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, 6), Arbitraries.integers().between(0, 1000),
                values()).as(Mutation::new);
    }

    @Provide
    Arbitrary<List<Mutation>> mutationLists() {
        return mutations().list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<String> bases() {
        return Arbitraries.of(QUADRATIC, QUADRATIC, NETWORK, NETWORK, STUDY, SWEEP);
    }

    @Property(tries = 60)
    void mutatedSpecs(@ForAll("bases") String base, @ForAll("mutationLists") List<Mutation> changes) throws Exception {
        Fuzz.inScratch(dir -> {
            byte[] text = apply(base, changes);
            Path f = Files.write(dir.resolve("spec.yaml"), text);
            if (longerThanATry(f)) {
                return; // valid, and loaded as such: running it is what a researcher asked for, for hours
            }
            Path out = dir.resolve("out");
            Cli.Output r = Fuzz.refusedCleanlyOrRun(dir, "run", f.toString(), "--out", out.toString());
            if (r.code() == 2) {
                org.junit.jupiter.api.Assertions.assertFalse(Files.exists(out), "refused, and no directory");
            }
        });
    }

    /** Every parameter of every study, set to a value of the wrong kind or range from the command line. */
    @Provide
    Arbitrary<List<String>> studySettings() {
        List<List<String>> keys = new ArrayList<>();
        for (String kind : org.driftlab.study.Studies.kinds()) {
            for (org.driftlab.experiment.Params.Info info : org.driftlab.experiment.Params.schema(
                    org.driftlab.study.Studies.byKind(kind).params())) {
                keys.add(List.of(kind, info.key()));
            }
        }
        // values no parameter accepts, so that every try is refused quickly (a valid value would run the study)
        return Combinators.combine(Arbitraries.of(keys), Arbitraries.of("abc", ".nan", ".inf", "-.inf", "{a: 1}",
                "[[1]]", "!!binary QUJD", "\u001b[2J")).as((k, v) -> List.of(k.get(0), k.get(1), v));
    }

    @Property(tries = 80)
    void studyParametersOfTheWrongKindOrRange(@ForAll("studySettings") List<String> setting) throws Exception {
        Fuzz.inScratch(dir -> {
            Path out = dir.resolve("out");
            Cli.Output r = Fuzz.refusedCleanlyOrRun(dir, "run", setting.get(0), "--quick", "--set",
                    "params." + setting.get(1) + "=" + setting.get(2), "--out", out.toString());
            org.junit.jupiter.api.Assertions.assertEquals(2, r.code(), setting + " was accepted");
        });
    }

    /** A try that sets stop.steps to 2^31 (one of the values above) is recognised as valid and not run. */
    @net.jqwik.api.Example
    void aValidBudgetOfTwoToTheThirtyFirstStepsIsNotRun() throws Exception {
        Fuzz.inScratch(dir -> {
            Path f = Files.write(dir.resolve("spec.yaml"), apply(QUADRATIC, List.of(new Mutation(0,
                    paths(SpecLoader.yaml().load(QUADRATIC), "").indexOf("stop.steps"), 2147483648L))));
            org.junit.jupiter.api.Assertions.assertTrue(longerThanATry(f), Files.readString(f));
            org.junit.jupiter.api.Assertions.assertFalse(longerThanATry(Files.writeString(dir.resolve("base.yaml"),
                    QUADRATIC)));
        });
    }

    @Property(tries = 8)
    void theUnmutatedSpecsRun(@ForAll("bases") String base) throws Exception {
        Fuzz.inScratch(dir -> {
            Path f = Files.writeString(dir.resolve("spec.yaml"), base);
            Fuzz.runs(dir, "run", f.toString(), "--out", dir.resolve("out").toString());
        });
    }

    /** The most steps a try runs: its bases ask for at most 8. */
    static final long MOST_STEPS = 1000;

    /**
     * Whether a mutated spec is valid but asks for more than {@link #MOST_STEPS} steps. stop.steps is a long, so a
     * value such as 2^31 is a valid budget (a researcher may run that long), and running it made a try take hours.
     */
    private static boolean longerThanATry(Path f) {
        org.driftlab.experiment.Spec spec;
        try {
            spec = SpecLoader.load(f, false, List.of());
        } catch (RuntimeException e) {
            return false; // not a valid training spec (or a study's): the CLI must refuse it or run it, as checked
        }
        return spec.stop().steps() > MOST_STEPS;
    }

    private static byte[] apply(String base, List<Mutation> changes) {
        Map<String, Object> tree = SpecLoader.yaml().load(base);
        String text = null;
        for (Mutation m : changes) {
            List<String> keys = paths(tree, "");
            String key = keys.isEmpty() ? "name" : keys.get(m.path() % keys.size());
            switch (m.kind()) {
                case 0, 1, 2 -> set(tree, key, m.value()); // a value of another kind or range
                case 3 -> remove(tree, key);
                case 4 -> set(tree, (m.path() % 2 == 0 ? key + "x" : "extra" + m.path()), m.value()); // unknown key
                default -> text = dump(tree) + switch (m.path() % 5) { // broken text
                    case 0 -> key.split("\\.")[0] + ": 1\n"; // a top-level key given twice
                    case 1 -> "  bad indentation: [\n";
                    case 2 -> "\tname: tab\n";
                    case 3 -> "caf\u00e9: 1\n"; // written below as Latin-1: not UTF-8
                    default -> "? [complex, key]\n: 1\n";
                };
            }
        }
        String out = text != null ? text : dump(tree);
        boolean latin1 = out.contains("caf\u00e9");
        return out.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    private static String dump(Map<String, Object> tree) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(o).dump(tree);
    }

    /** Every dotted key of the tree (sections and values). */
    private static List<String> paths(Map<?, ?> tree, String prefix) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<?, ?> e : tree.entrySet()) {
            String k = prefix + e.getKey();
            out.add(k);
            if (e.getValue() instanceof Map<?, ?> m) {
                out.addAll(paths(m, k + "."));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void set(Map<String, Object> tree, String key, Object value) {
        String[] parts = key.split("\\.");
        Map<String, Object> node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            Object child = node.get(parts[i]);
            // a copy: the section may be an immutable value an earlier mutation put there (Map.of("a", 1))
            child = child instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m)
                    : new LinkedHashMap<String, Object>();
            node.put(parts[i], child);
            node = (Map<String, Object>) child;
        }
        node.put(parts[parts.length - 1], value);
    }

    @SuppressWarnings("unchecked")
    private static void remove(Map<String, Object> tree, String key) {
        String[] parts = key.split("\\.");
        Map<String, Object> node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            if (!(node.get(parts[i]) instanceof Map<?, ?> m)) {
                return;
            }
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m); // may be immutable, as in set
            node.put(parts[i], copy);
            node = copy;
        }
        node.remove(parts[parts.length - 1]);
    }
}
