package org.driftlab.experiment;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a finished training run hands back to its caller, in memory: where it wrote its files, how each sub-run
 * ended, its edge-of-stability verdict (per phase of constant h; null when it measured no sharpness), and every metric row. A caller (a study, a sweep) reads
 * these instead of parsing the run's CSV.
 */
public record RunResult(Path dir, Spec spec, List<Outcome> outcomes, Metrics metrics,
                        List<EdgeOfStability.Verdict> edges) {
    /** Immutable copies (an edge entry is null for a sub-run that measured no sharpness). */
    public RunResult {
        outcomes = List.copyOf(outcomes);
        edges = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(edges));
    }

    /** The metric rows of sub-run i (as {@link Spec#subRuns()} orders them). */
    public Metrics subRun(int i) {
        return metrics.where("run", i);
    }

    /**
     * The final values of sub-run i: the last measured value of every column that has one (loss, accuracy,
     * sharpness, ...), the summary a sweep tabulates.
     */
    public Map<String, Double> finals(int i) {
        Metrics m = subRun(i);
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        for (String c : m.columns()) {
            if (!RunColumns.BASE.contains(c) && m.has(c)) {
                out.put(c, m.last(c));
            }
        }
        return out;
    }
}
