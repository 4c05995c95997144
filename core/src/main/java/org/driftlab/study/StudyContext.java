package org.driftlab.study;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.driftlab.DriftlabException;
import org.driftlab.data.AtomicFiles;
import org.driftlab.data.Decimals;
import org.driftlab.experiment.RunResult;
import org.driftlab.experiment.Runner;
import org.driftlab.experiment.Spec;

/**
 * What a running {@link Study} sees besides its parameter record: seeds, threads, size, and the sinks for what it
 * produces.
 * Tables are written as CSV (atomically, when the study ends or on {@link Table#flush()}); figures, findings,
 * notes and summary values go to {@code study.json}. One context per run; not thread-safe.
 */
public final class StudyContext {
    /** The study description file every study run directory holds. */
    public static final String STUDY_JSON = "study.json";

    private final Path dir;
    private final Record params;
    private final List<Long> seeds;
    private final int threads;
    private final boolean quick;
    private final Consumer<String> progress;
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final List<Figure> figures = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Object> summary = new LinkedHashMap<>();
    private final Runner.Options trainOptions;

    /**
     * A qualitative claim checked by the study, with the numbers behind the verdict.
     *
     * @param id a stable identifier (lower-case words joined by '-'), by which tests and readers address the
     *           finding whatever its wording
     */
    public record Finding(String id, String claim, boolean holds, String detail) {
        /** Checks the id. */
        public Finding {
            if (!id.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
                throw new IllegalArgumentException("finding id must be lower-case words joined by '-': " + id);
            }
        }
    }

    StudyContext(Path dir, Record params, List<Long> seeds, int threads, boolean quick,
                 Consumer<String> progress, Runner.Options trainOptions) {
        this.dir = dir;
        this.params = params;
        this.seeds = List.copyOf(seeds);
        this.threads = threads;
        this.quick = quick;
        this.progress = progress;
        this.trainOptions = trainOptions;
    }

    // ------------------------------------------------------------------ inputs

    /** The run directory (for extra files such as .npy arrays; write them with data.AtomicFiles). */
    public Path dir() {
        return dir;
    }

    /** The seeds of the study file ({@code seed:} or {@code seeds:}; default [0]). */
    public List<Long> seeds() {
        return seeds;
    }

    /** The first seed. */
    public long seed() {
        return seeds.get(0);
    }

    /** Worker threads for tensor kernels. */
    public int threads() {
        return threads;
    }

    /** True when the study runs at its quick size. */
    public boolean quick() {
        return quick;
    }

    // ------------------------------------------------------------------ outputs

    /** A progress line for the terminal. */
    public void progress(String message) {
        progress.accept(message);
    }

    /** A new table {@code NAME.csv} with the given columns. */
    public Table table(String name, String... columns) {
        if (!name.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("table name must be file-safe: " + name);
        }
        if (tables.containsKey(name)) {
            throw new IllegalArgumentException("table " + name + " declared twice");
        }
        Table t = new Table(dir.resolve(name + ".csv"), List.of(columns));
        tables.put(name, t);
        return t;
    }

    /** Declares a figure for the report. */
    public void figure(Figure f) {
        if (figures.stream().anyMatch(g -> g.id().equals(f.id()))) {
            throw new IllegalArgumentException("figure " + f.id() + " declared twice");
        }
        figures.add(f);
    }

    /** States a qualitative finding: its stable id, the claim, whether the run supports it, and the numbers. */
    public void finding(String id, String claim, boolean holds, String detail) {
        if (findings.stream().anyMatch(f -> f.id().equals(id))) {
            throw new IllegalArgumentException("finding " + id + " stated twice");
        }
        findings.add(new Finding(id, claim, holds, detail));
    }

    /** A paragraph of text for the report (plain text, rendered escaped). */
    public void note(String text) {
        notes.add(text);
    }

    /** A named result value for study.json (numbers, strings, booleans, lists or maps of them). */
    public void summary(String key, Object value) {
        summary.put(key, value);
    }

    /** Records which data the study used, including where it came from (installed or embedded Fashion-MNIST). */
    public void usedData(String description) {
        summary.put("data", description);
    }

    /**
     * Runs (or finishes) one training experiment as part of the study, in {@code runs/NAME} under the study's
     * directory: a finished one is reused, an interrupted one resumed, so a rerun of the study continues where
     * it stopped. Returns the run's result, its metrics in memory.
     */
    public RunResult train(String name, Spec spec) {
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("training run name must be file-safe: " + name);
        }
        Path sub = dir.resolve("runs").resolve(name);
        progress("training " + name + " (" + spec.subRuns().size() + " sub-runs)");
        if (Files.exists(sub.resolve(Runner.SPEC))) {
            return Runner.resume(sub, trainOptions);
        }
        return Runner.start(spec, sub, trainOptions);
    }

    // ------------------------------------------------------------------ for StudyRunner

    List<Finding> findings() {
        return List.copyOf(findings);
    }

    Map<String, Object> summaryValues() {
        return new LinkedHashMap<>(summary);
    }

    void flushAll() {
        for (Table t : tables.values()) {
            t.flush();
        }
    }

    /** The study.json content (without provenance, which lives in provenance.json). */
    Map<String, Object> describe(String kind, String title, String description) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("title", title);
        m.put("description", description);
        m.put("quick", quick);
        m.put("seeds", new ArrayList<>(seeds));
        m.put("params", org.driftlab.experiment.Params.toMap(params));
        m.put("tables", new ArrayList<>(tables.keySet()));
        m.put("notes", new ArrayList<>(notes));
        List<Object> fs = new ArrayList<>();
        for (Finding f : findings) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("id", f.id());
            x.put("claim", f.claim());
            x.put("holds", f.holds());
            x.put("detail", f.detail());
            fs.add(x);
        }
        m.put("findings", fs);
        List<Object> figs = new ArrayList<>();
        for (Figure f : figures) {
            checkColumns(f);
            figs.add(figureMap(f));
        }
        m.put("figures", figs);
        m.put("summary", summaryValues());
        return m;
    }

    /** A figure may only draw columns its tables have: a typo fails the study, not silently the chart. */
    private void checkColumns(Figure f) {
        for (Figure.Layer l : f.layers()) {
            Table t = tables.get(l.table());
            if (t == null) {
                throw new IllegalStateException("figure " + f.id() + " draws table " + l.table()
                        + ", which the study never declared; tables: " + tables.keySet());
            }
            for (String c : java.util.Arrays.asList(l.x(), l.y(), l.y2(), l.groupBy(), l.whereColumn())) {
                if (c != null && !t.columns.contains(c)) {
                    throw new IllegalStateException("figure " + f.id() + " draws column " + c + " of table "
                            + l.table() + ", which has only " + t.columns);
                }
            }
        }
    }

    private static Map<String, Object> figureMap(Figure f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("title", f.title());
        m.put("x_label", f.xLabel());
        m.put("y_label", f.yLabel());
        m.put("log_x", f.logX());
        m.put("log_y", f.logY());
        m.put("equal_aspect", f.equalAspect());
        m.put("caption", f.caption());
        List<Object> layers = new ArrayList<>();
        for (Figure.Layer l : f.layers()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("table", l.table());
            x.put("x", l.x());
            x.put("y", l.y());
            x.put("y2", l.y2());
            x.put("group_by", l.groupBy());
            x.put("where_column", l.whereColumn());
            x.put("where_value", l.whereValue());
            x.put("style", l.style().name().toLowerCase(Locale.ROOT));
            x.put("label", l.label());
            layers.add(x);
        }
        m.put("layers", layers);
        List<Object> refs = new ArrayList<>();
        for (Figure.Reference r : f.refs()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("value", r.value());
            x.put("label", r.label());
            refs.add(x);
        }
        m.put("refs", refs);
        return m;
    }

    /** The CSV text of one cell: numbers round-trip exactly, NaN and null are empty, text must not hold commas. */
    static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return d.isNaN() ? "" : Decimals.shortest(d);
        }
        if (v instanceof Float f) {
            return f.isNaN() ? "" : Decimals.shortest(f.doubleValue());
        }
        String s = String.valueOf(v);
        if (s.contains(",") || s.contains("\n") || s.contains("\"")) {
            throw new IllegalArgumentException("table cells cannot hold commas, quotes or newlines: " + s);
        }
        return s;
    }

    /** A CSV table being filled row by row; written atomically by {@link #flush()} and at the end of the study. */
    public static final class Table {
        private final Path file;
        private final List<String> columns;
        private final StringBuilder text = new StringBuilder();
        private int rows;

        Table(Path file, List<String> columns) {
            this.file = file;
            this.columns = columns;
            text.append(String.join(",", columns)).append('\n');
        }

        /** Appends a row; one value per column (numbers, strings, booleans; NaN or null for an empty cell). */
        public Table row(Object... values) {
            if (values.length != columns.size()) {
                throw new IllegalArgumentException(file.getFileName() + ": row has " + values.length
                        + " values for " + columns.size() + " columns " + columns);
            }
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    text.append(',');
                }
                text.append(cell(values[i]));
            }
            text.append('\n');
            rows++;
            return this;
        }

        /** Rows so far. */
        public int size() {
            return rows;
        }

        /** Writes the CSV now (atomically replacing an earlier flush). */
        public void flush() {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
            } catch (java.io.IOException e) {
                throw new DriftlabException("cannot create " + file.getParent() + ": " + e.getMessage(), e);
            }
            AtomicFiles.writeString(file, text.toString());
        }
    }
}
