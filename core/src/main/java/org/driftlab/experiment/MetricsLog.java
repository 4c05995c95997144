package org.driftlab.experiment;

import org.driftlab.data.AtomicFiles;
import org.driftlab.data.Decimals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;

/**
 * The metrics of a run: fixed columns, one row per probe event, cells kept as the exact text written (the shortest
 * decimal that reads back as the same double, {@link Decimals#shortest}), so rows read back on resume are identical
 * and readers such as NumPy or pandas get the exact values. Both {@code metrics.csv} and
 * {@code metrics.jsonl} are rewritten atomically from the rows; resume truncates to the row count of the
 * checkpoint, so rows are never duplicated or lost.
 */
public final class MetricsLog {
    /** The CSV file name in a run directory. */
    public static final String CSV = "metrics.csv";
    /** The JSON-lines file name in a run directory. */
    public static final String JSONL = "metrics.jsonl";

    private final List<String> columns;
    private final List<String[]> rows = new ArrayList<>();

    /** An empty log with the given columns; the first column {@code run} holds text, all others numbers. */
    public MetricsLog(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    /** The columns for k eigenvalues: run, lr, seed, step, time, h, then the measurements. */
    public static List<String> columnsFor(int k) {
        List<String> c = new ArrayList<>(List.of("run", "lr", "seed", "step", "time", "h", "train_loss",
                "train_accuracy", "grad_norm", "sharpness"));
        for (int i = 1; i <= k; i++) {
            c.add("eig_" + i);
        }
        c.addAll(List.of("test_loss", "test_accuracy", "distance", "batch_cosine", "trace_H", "trace_H_stderr",
                "trace_K", "lambda_K", "drift_norm", "dal_lr", "trace_F", "n_eff"));
        return c;
    }

    /** The column names. */
    public List<String> columns() {
        return columns;
    }

    /** Number of rows. */
    public int size() {
        return rows.size();
    }

    /** Appends a row from named values (Number or String); missing columns are empty. */
    public void add(Map<String, Object> values) {
        String[] row = new String[columns.size()];
        Arrays.fill(row, "");
        for (Map.Entry<String, Object> e : values.entrySet()) {
            int i = columns.indexOf(e.getKey());
            if (i < 0) {
                throw new IllegalArgumentException("unknown metrics column " + e.getKey());
            }
            Object v = e.getValue();
            row[i] = v == null ? "" : v instanceof Double d ? Decimals.shortest(d) : String.valueOf(v);
        }
        rows.add(row);
    }

    /** A copy of row i's cells. */
    public String[] row(int i) {
        return rows.get(i).clone();
    }

    /** Drops rows beyond n. */
    public void truncate(int n) {
        if (n > rows.size()) {
            throw new DriftlabException("metrics log has " + rows.size() + " rows but the checkpoint expects " + n);
        }
        rows.subList(n, rows.size()).clear();
    }

    /** Rewrites metrics.csv and metrics.jsonl in dir atomically. */
    public void write(Path dir) {
        StringBuilder csv = new StringBuilder(String.join(",", columns)).append('\n');
        StringBuilder json = new StringBuilder();
        for (String[] row : rows) {
            csv.append(String.join(",", row)).append('\n');
            json.append('{');
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    json.append(',');
                }
                json.append('"').append(columns.get(i)).append("\":");
                String cell = row[i];
                if (i == 0) {
                    json.append(Json.quote(cell));
                } else if (cell.isEmpty() || cell.equals("NaN") || cell.contains("Infinity")) {
                    json.append("null"); // JSON has no NaN/Infinity; the CSV keeps them
                } else {
                    json.append(cell);
                }
            }
            json.append("}\n");
        }
        AtomicFiles.writeString(dir.resolve(CSV), csv.toString());
        AtomicFiles.writeString(dir.resolve(JSONL), json.toString());
    }

    /** Reads metrics.csv from dir (columns must match). */
    public static MetricsLog read(Path dir, List<String> expectedColumns) {
        Path file = dir.resolve(CSV);
        MetricsLog log = new MetricsLog(expectedColumns);
        if (!Files.exists(file)) {
            return log;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return log;
            }
            // a log written before newer probe columns existed is a prefix of today's columns: its rows are
            // padded with empty cells (not measured), so older runs still resume
            List<String> stored = List.of(lines.get(0).split(",", -1));
            if (stored.size() > expectedColumns.size() || !expectedColumns.subList(0, stored.size()).equals(stored)) {
                throw new DriftlabException(file + ": columns " + lines.get(0) + " differ from the spec's "
                        + String.join(",", expectedColumns));
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                if (cells.length != stored.size()) {
                    throw new DriftlabException(file + ": a row has " + cells.length + " cells, expected "
                            + stored.size());
                }
                log.rows.add(java.util.Arrays.copyOf(cells, expectedColumns.size()));
            }
            for (String[] row : log.rows) {
                for (int i = stored.size(); i < row.length; i++) {
                    row[i] = "";
                }
            }
            return log;
        } catch (IOException e) {
            throw new DriftlabException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
