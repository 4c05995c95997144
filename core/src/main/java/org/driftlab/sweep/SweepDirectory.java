package org.driftlab.sweep;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.driftlab.DriftlabException;
import org.driftlab.data.AtomicFiles;
import org.driftlab.data.DirectoryLock;
import org.driftlab.experiment.Json;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The layout of a sweep directory and its bookkeeping files:
 * <pre>
 *   sweep.yaml        the resolved spec: base spec + sweep section with every range written out
 *   provenance.json   version, git commit, engine, quick, start/end, resumes, outcome counts
 *   members/ID/       one ordinary run (or study) directory per member, resumable on its own,
 *                     plus member.json (its row, written when it ends) and .lock (held while it runs)
 *   sweep.csv         one row per finished member, in member order: one column per axis (named by its key),
 *   sweep.jsonl       member, outcome, message, wall_seconds, then the final and summary metrics
 *   report.html       the comparison report (written by the report layer)
 * </pre>
 * A member is finished exactly when its {@code member.json} exists; the tables are rebuilt from those files in
 * member order, so a resumed sweep ends with the same tables as an uninterrupted one (except wall times). All
 * writes are atomic.
 */
public final class SweepDirectory {
    /** The resolved spec of the sweep. */
    public static final String SWEEP_YAML = "sweep.yaml";
    /** The members' parent directory. */
    public static final String MEMBERS = "members";
    /** One row per member, CSV. */
    public static final String CSV = "sweep.csv";
    /** One row per member, JSON lines. */
    public static final String JSONL = "sweep.jsonl";
    /** Provenance of the sweep. */
    public static final String PROVENANCE = "provenance.json";
    /** A finished member's row, in its directory. */
    public static final String RESULT = "member.json";
    /** The lock file of a running member or sweep (the one directory lock, {@link DirectoryLock}). */
    public static final String LOCK = DirectoryLock.FILE;
    /** The columns every row has after the axes. */
    public static final List<String> FIXED_COLUMNS = List.of("member", "outcome", "message", "wall_seconds");

    private SweepDirectory() {}

    /** True when dir holds a sweep. */
    public static boolean isSweep(Path dir) {
        return Files.isRegularFile(dir.resolve(SWEEP_YAML));
    }

    /** A member's directory. */
    public static Path memberDir(Path sweepDir, Member m) {
        return sweepDir.resolve(MEMBERS).resolve(m.id());
    }

    // ------------------------------------------------------------------ member results

    /** The recorded result of the member in dir, or null when it has not finished. */
    public static MemberResult readResult(Path memberDir) {
        Path f = memberDir.resolve(RESULT);
        if (!Files.exists(f)) {
            return null;
        }
        Map<String, Object> m = readTree(f);
        Map<String, Double> summary = new LinkedHashMap<>();
        if (m.get("summary") instanceof Map<?, ?> s) {
            for (Map.Entry<?, ?> e : s.entrySet()) {
                summary.put(String.valueOf(e.getKey()), e.getValue() instanceof Number n ? n.doubleValue()
                        : Double.parseDouble(String.valueOf(e.getValue())));
            }
        }
        return new MemberResult(((Number) m.get("index")).intValue(), String.valueOf(m.get("member")),
                String.valueOf(m.get("outcome")), String.valueOf(m.getOrDefault("message", "")),
                ((Number) m.get("wall_seconds")).doubleValue(), summary);
    }

    /** Records a finished member in its directory. */
    static void writeResult(Path memberDir, MemberResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", r.index());
        m.put("member", r.id());
        m.put("outcome", r.outcome());
        m.put("message", r.message());
        m.put("wall_seconds", r.wallSeconds());
        Map<String, Object> summary = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : r.summary().entrySet()) {
            double v = e.getValue();
            // JSON has no NaN or infinities: they are kept as the strings Double.parseDouble reads back
            summary.put(e.getKey(), Double.isFinite(v) ? (Object) v : Double.toString(v));
        }
        m.put("summary", summary);
        AtomicFiles.writeString(memberDir.resolve(RESULT), Json.write(m));
    }

    // ------------------------------------------------------------------ tables

    /** The columns of the tables for these results: axes, the fixed columns, then every summary key in first-seen order. */
    static List<String> columns(List<String> axes, List<MemberResult> results) {
        Set<String> metrics = new LinkedHashSet<>();
        for (MemberResult r : results) {
            metrics.addAll(r.summary().keySet());
        }
        List<String> cols = new ArrayList<>(axes);
        cols.addAll(FIXED_COLUMNS);
        metrics.removeAll(cols);
        cols.addAll(metrics);
        return cols;
    }

    /** Rewrites sweep.csv and sweep.jsonl from the finished members (results in member order). */
    static void writeTables(Path sweepDir, List<String> axes, List<Member> members, List<MemberResult> results) {
        List<String> cols = columns(axes, results);
        StringWriter csv = new StringWriter();
        StringBuilder jsonl = new StringBuilder();
        try (CSVPrinter p = new CSVPrinter(csv, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get())) {
            p.printRecord(cols);
            for (MemberResult r : results) {
                Member m = members.get(r.index());
                List<String> cells = new ArrayList<>();
                Map<String, Object> json = new LinkedHashMap<>();
                for (String c : cols) {
                    Object v = value(m, r, c);
                    cells.add(v == null ? "" : v instanceof Double d ? Double.toString(d) : String.valueOf(v));
                    json.put(c, v);
                }
                p.printRecord(cells);
                jsonl.append(Json.compact(json)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        AtomicFiles.writeString(sweepDir.resolve(CSV), csv.toString());
        AtomicFiles.writeString(sweepDir.resolve(JSONL), jsonl.toString());
    }

    private static Object value(Member m, MemberResult r, String column) {
        if (m.values().containsKey(column)) {
            return m.values().get(column);
        }
        return switch (column) {
            case "member" -> r.id();
            case "outcome" -> r.outcome();
            case "message" -> r.message();
            case "wall_seconds" -> Double.parseDouble(String.format(Locale.ROOT, "%.3f", r.wallSeconds()));
            default -> r.summary().get(column);
        };
    }

    // ------------------------------------------------------------------ YAML / JSON trees

    /** Parses YAML (or JSON) text into mutable maps. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parseTree(String text) {
        try {
            Object o = org.driftlab.experiment.SpecLoader.yaml().load(text);
            return o instanceof Map ? Trees.copy((Map<String, Object>) o) : new LinkedHashMap<>();
        } catch (YAMLException e) {
            throw new DriftlabException("invalid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** Reads a YAML or JSON file into mutable maps (empty if it does not exist). */
    static Map<String, Object> readTree(Path file) {
        if (!Files.exists(file)) {
            return new LinkedHashMap<>();
        }
        try {
            return parseTree(Files.readString(file));
        } catch (IOException e) {
            throw new DriftlabException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
