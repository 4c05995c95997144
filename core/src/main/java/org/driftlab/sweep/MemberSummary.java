package org.driftlab.sweep;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.experiment.EdgeOfStability;
import org.driftlab.experiment.Metrics;
import org.driftlab.experiment.RunColumns;
import org.driftlab.experiment.RunResult;
import org.driftlab.experiment.Runner;
import org.driftlab.study.StudyContext;
import org.driftlab.study.StudyRunner;

/**
 * The summary row of a finished member: for a training run the step it reached, the last measured value of every
 * metric ({@code final_train_loss}, {@code final_sharpness}, …, as {@link RunResult#finals}), the largest sharpness
 * and the edge-of-stability verdict the runner judged ({@code edge_first_step}, {@code edge_share},
 * {@code edge_median_offset}); for a study its numeric summary values and how many findings hold.
 */
public final class MemberSummary {
    private MemberSummary() {}

    /** The summary of sub-run i of a run just finished, from the runner's result in memory. */
    public static Map<String, Double> training(RunResult r, int i) {
        EdgeOfStability.Verdict v = r.edges().get(i); // a step schedule's run: the summary is its first phase's
        return summary(r.finals(i), r.subRun(i), r.outcomes().get(i).step(), v == null ? null : v.first().toMap());
    }

    /** The same summary read back from a run directory's files (a report comparing any run directories). */
    public static Map<String, Double> training(Path dir, int i) {
        Metrics all = Metrics.read(dir.resolve(Metrics.CSV));
        Metrics m = all.where("run", i);
        Map<String, Double> finals = new LinkedHashMap<>();
        for (String c : m.columns()) {
            if (!RunColumns.BASE.contains(c) && m.has(c)) {
                finals.put(c, m.last(c));
            }
        }
        long step = m.size() == 0 ? 0 : (long) m.last("step");
        Map<?, ?> edge = null;
        Map<String, Object> prov = SweepDirectory.readTree(dir.resolve(Runner.PROVENANCE));
        if (prov.get("outcomes") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> om && ("r" + i).equals(String.valueOf(om.get("run")))) {
                    step = om.get("step") instanceof Number n ? n.longValue() : step;
                    edge = om.get("edge") instanceof Map<?, ?> e ? EdgeOfStability.Verdict.fromMap(e).first().toMap() : null;
                }
            }
        }
        return summary(finals, m, step, edge);
    }

    private static Map<String, Double> summary(Map<String, Double> finals, Metrics m, long step, Map<?, ?> edge) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("steps", (double) step);
        finals.forEach((c, v) -> out.put("final_" + c, v));
        if (m.has("sharpness")) {
            double max = Double.NaN;
            for (double v : m.nonEmpty("sharpness").col("sharpness")) {
                max = Double.isNaN(max) || v > max ? v : max;
            }
            out.put("max_sharpness", max);
        }
        if (edge != null) {
            for (String k : List.of("first_step", "share", "median_offset")) {
                out.put("edge_" + k, edge.get(k) instanceof Number n ? n.doubleValue() : Double.NaN);
            }
        }
        return out;
    }

    /** The summary of a finished study. */
    public static Map<String, Double> study(StudyRunner.Result result) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : result.summary().entrySet()) {
            if (e.getValue() instanceof Number n) {
                out.put(e.getKey(), n.doubleValue());
            }
        }
        out.put("findings_held", (double) result.findings().stream().filter(StudyContext.Finding::holds).count());
        out.put("findings", (double) result.findings().size());
        return out;
    }
}
