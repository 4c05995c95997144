package org.driftlab.sweep;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.driftlab.DriftlabException;
import org.driftlab.study.StudyContext;
import org.driftlab.study.StudyRunner;

/**
 * The summary row of a finished member: for a training run the step it reached, the last measured value of every
 * metric ({@code final_train_loss}, {@code final_sharpness}, …), the largest sharpness and the edge-of-stability
 * verdict its provenance records; for a study its numeric summary values and how many findings hold.
 */
public final class MemberSummary {
    /** Columns that identify a row of a run's metrics rather than measure anything. */
    private static final Set<String> IDENTIFYING = Set.of("run", "lr", "seed", "step", "time", "h");

    private MemberSummary() {}

    /**
     * The summary of a training run in dir (a sweep member, or one sub-run of an older multi-run directory): the
     * rows of metrics.csv whose {@code run} column is runTag (all rows when null), and its entry in provenance.json.
     */
    public static Map<String, Double> training(Path dir, String runTag) {
        Map<String, Double> out = new LinkedHashMap<>();
        Map<String, Object> prov = SweepDirectory.readTree(dir.resolve("provenance.json"));
        Map<?, ?> outcome = null;
        if (prov.get("outcomes") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m && (runTag == null || runTag.equals(String.valueOf(m.get("run"))))) {
                    outcome = m;
                    break;
                }
            }
        }
        if (outcome != null && outcome.get("step") instanceof Number n) {
            out.put("steps", n.doubleValue());
        }
        Path csv = dir.resolve("metrics.csv");
        Map<String, Double> last = new LinkedHashMap<>();
        double maxSharpness = Double.NaN;
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            List<String> columns = p.getHeaderNames();
            for (CSVRecord rec : p) {
                if (runTag != null && !runTag.equals(rec.get("run"))) {
                    continue;
                }
                for (String c : columns) {
                    String cell = rec.get(c);
                    if (IDENTIFYING.contains(c) || cell.isEmpty()) {
                        continue;
                    }
                    double v = Double.parseDouble(cell);
                    last.put(c, v);
                    if (c.equals("sharpness") && (Double.isNaN(maxSharpness) || v > maxSharpness)) {
                        maxSharpness = v;
                    }
                }
            }
        } catch (IOException e) {
            throw new DriftlabException("cannot read " + csv + ": " + e.getMessage(), e);
        }
        for (Map.Entry<String, Double> e : last.entrySet()) {
            out.put("final_" + e.getKey(), e.getValue());
        }
        if (last.containsKey("sharpness")) {
            out.put("max_sharpness", maxSharpness);
        }
        if (outcome != null && outcome.get("edge") instanceof Map<?, ?> edge) { // the runner's stored verdict
            for (String k : List.of("first_step", "share", "median_offset")) {
                if (edge.containsKey(k)) {
                    out.put("edge_" + k, edge.get(k) instanceof Number n ? n.doubleValue() : Double.NaN);
                }
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
