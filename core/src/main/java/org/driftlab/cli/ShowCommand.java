package org.driftlab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.driftlab.experiment.Params;
import org.driftlab.experiment.SpecLoader;
import org.driftlab.study.Study;
import org.driftlab.study.StudySpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code driftlab show NAME|SPEC.yaml}: an experiment's parameters, each with its default, the value the file
 * sets (at full and at quick size), its unit and what it means, read from the one declaration of each parameter.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print an experiment's parameters: defaults, the values its file sets (full and --quick), units and descriptions.")
final class ShowCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME|SPEC.yaml", description = "Catalogue name or path to a spec file.")
    String experiment;

    @Override
    public Integer call() {
        Path file = SpecLoader.locate(experiment, SpecLoader.catalogueDir());
        Map<String, Object> full = SpecLoader.loadTree(file, false, List.of());
        Map<String, Object> quick = SpecLoader.loadTree(file, true, List.of());
        System.out.println(file);
        if (org.driftlab.sweep.SweepPlan.isSweep(full)) { // the axes, then the parameters of the first member
            org.driftlab.sweep.SweepPlan f = org.driftlab.sweep.SweepPlan.of(full, java.util.Set.of(),
                    org.driftlab.sweep.SweepSpec.HARD_LIMIT, false);
            org.driftlab.sweep.SweepPlan q = org.driftlab.sweep.SweepPlan.of(quick, java.util.Set.of(),
                    org.driftlab.sweep.SweepSpec.HARD_LIMIT, true);
            System.out.println("sweep of " + f.members().size() + " members (quick: " + q.members().size() + "): "
                    + f.spec().toMap() + "\n(quick: " + q.spec().toMap() + "); below, the first member, "
                    + f.members().get(0).id());
            full = org.driftlab.sweep.SweepPlan.memberTree(f.base(), f.members().get(0));
            quick = org.driftlab.sweep.SweepPlan.memberTree(q.base(), q.members().get(0));
        }
        if (StudySpec.isStudy(full)) {
            StudySpec spec = StudySpec.fromMap(full, false); // validates the file
            StudySpec.fromMap(quick, true);
            Study<?> study = spec.study();
            System.out.println(spec.name() + " (study " + spec.kind() + "): " + spec.description());
            System.out.println("seeds: " + spec.seeds() + (quick.containsKey("seeds") || quick.containsKey("seed")
                    ? " (quick: " + StudySpec.fromMap(quick, true).seeds() + ")" : "") + "; threads: " + spec.threads());
            System.out.println();
            System.out.println("params:");
            print(study.params(), section(full, "params"), section(quick, "params"));
        } else {
            org.driftlab.experiment.Spec spec = org.driftlab.experiment.Spec.fromMap(strip(full)); // validates the file
            org.driftlab.experiment.Spec.fromMap(strip(quick));
            System.out.println(spec.name() + " (training spec): " + spec.description());
            for (Map.Entry<String, Class<? extends Record>> s : org.driftlab.experiment.Spec.sections(full).entrySet()) {
                String path = s.getKey().replaceFirst(" \\(.*", ""); // "optimizer (sam)": the optimizer's own keys
                System.out.println();
                System.out.println(s.getKey().isEmpty() ? "top level:" : s.getKey() + ":");
                print(s.getValue(), path.isEmpty() ? full : section(full, path), path.isEmpty() ? quick : section(quick, path));
            }
        }
        return 0;
    }

    private static Map<?, ?> section(Map<String, Object> tree, String key) {
        return tree.get(key) instanceof Map<?, ?> m ? m : Map.of();
    }

    /** One line per parameter: key, default, the file's value, the quick value, unit, description. */
    private static void print(Class<? extends Record> type, Map<?, ?> full, Map<?, ?> quick) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"key", "default", "file", "--quick", "unit", "description"});
        for (Params.Info p : Params.schema(type)) {
            String dflt = p.required() ? "(required)" : p.defaultText().equals(org.driftlab.experiment.Param.NONE)
                    ? "(none)" : p.defaultText();
            Object f = full.get(p.key());
            Object q = quick.get(p.key());
            rows.add(new String[] {p.key(), clip(dflt), f == null ? "" : clip(String.valueOf(f)),
                q == null || q.equals(f) ? "" : clip(String.valueOf(q)), p.unit(), p.doc()});
        }
        int[] w = new int[5];
        for (String[] r : rows) {
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder("  ");
            for (int i = 0; i < w.length; i++) {
                sb.append(r[i]).append(" ".repeat(w[i] - r[i].length() + 2));
            }
            System.out.println(sb.append(r[5]).toString().stripTrailing());
        }
    }

    /** A long value (a description) shortened for the table. */
    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 39) + "…";
    }

    /** The tree without the study/train marker {@code kind}. */
    private static Map<String, Object> strip(Map<String, Object> m) {
        Map<String, Object> c = new LinkedHashMap<>(m);
        c.remove("kind");
        return c;
    }
}
