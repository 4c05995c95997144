package org.driftlab.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.data.AtomicFiles;
import org.driftlab.data.Decimals;

/**
 * A table of doubles with named columns: what a run measures, read by name (never by position) by the runner, the
 * studies and the report. A cell is either absent (not measured at that row) or a double, NaN and ±∞ included.
 * {@code metrics.csv} and {@code metrics.jsonl} are its two serialisations, each exact both ways: a number is
 * written as the shortest decimal that reads back as the same double ({@link Decimals#shortest}, so NumPy and
 * pandas read exact values too), an absent cell as an empty CSV cell or JSON null, and a
 * measured NaN or ±∞ as {@code NaN}/{@code Infinity} in CSV and as the strings "NaN"/"Infinity" in JSON (which
 * has no such numbers).
 *
 * <p>Integer columns ({@link Format#INTEGER}: seeds, steps) are written without a fraction, and a tag column
 * ({@link Format#TAG}: the sub-run) as {@code r} followed by its index, so files keep their familiar form. Not
 * thread-safe; a view from {@link #where} shares nothing with its source.
 */
public final class Metrics {
    /** How a column is written. */
    public enum Format {
        /** Any double, written by {@link Double#toString}. */
        REAL,
        /** An integral value, written as a long. */
        INTEGER,
        /** A sub-run index i, written as {@code r<i>}. */
        TAG
    }

    private final List<String> columns;
    private final Format[] formats;
    private final Map<String, Integer> index = new LinkedHashMap<>();
    private final List<double[]> rows = new ArrayList<>();
    private final List<BitSet> present = new ArrayList<>();
    // The CSV and JSON-lines text of the first rows, each row formatted once. A run rewrites its whole table at every
    // checkpoint, and formatting every cell again (the shortest round-trip decimal of each double, by BigDecimal) made
    // a long run's writes grow with the square of its length: 2^31 steps of a 2-D quadratic, a row every 2 steps and a
    // checkpoint every 4, managed under 2,000 rows in 20 s. Valid for rows [0, size()); set and truncate shorten them.
    private final List<String> csvLines = new ArrayList<>();
    private final List<String> jsonLines = new ArrayList<>();

    /** An empty table; columns not named in formats are {@link Format#REAL}. */
    public Metrics(List<String> columns, Map<String, Format> formats) {
        this.columns = List.copyOf(columns);
        this.formats = new Format[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            if (index.put(columns.get(i), i) != null) {
                throw new IllegalArgumentException("column " + columns.get(i) + " appears twice");
            }
            this.formats[i] = formats.getOrDefault(columns.get(i), Format.REAL);
        }
    }

    private Metrics(Metrics like) {
        this.columns = like.columns;
        this.formats = like.formats;
        this.index.putAll(like.index);
    }

    /** The column names. */
    public List<String> columns() {
        return columns;
    }

    /** The format of a column. */
    public Format format(String column) {
        return formats[indexOf(column)];
    }

    /** Number of rows. */
    public int size() {
        return rows.size();
    }

    /** Appends a row from named values (null values are absent cells); returns its index. */
    public int add(Map<String, ? extends Number> values) {
        double[] row = new double[columns.size()];
        Arrays.fill(row, Double.NaN);
        BitSet has = new BitSet(columns.size());
        for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
            if (e.getValue() != null) {
                int c = indexOf(e.getKey());
                row[c] = e.getValue().doubleValue();
                has.set(c);
            }
        }
        rows.add(row);
        present.add(has);
        return rows.size() - 1;
    }

    /** Sets one cell. */
    public void set(int row, String column, double value) {
        int c = indexOf(column);
        rows.get(row)[c] = value;
        present.get(row).set(c);
        forgetTextFrom(row);
    }

    /** The rows from {@code row} on are formatted again when next written. */
    private void forgetTextFrom(int row) {
        csvLines.subList(Math.min(row, csvLines.size()), csvLines.size()).clear();
        jsonLines.subList(Math.min(row, jsonLines.size()), jsonLines.size()).clear();
    }

    /** The cell's value, NaN when absent. */
    public double get(int row, String column) {
        return rows.get(row)[indexOf(column)];
    }

    /** True when the cell holds a value (possibly a measured NaN). */
    public boolean has(int row, String column) {
        return present.get(row).get(indexOf(column));
    }

    /** True when the column exists and some row holds a value in it. */
    public boolean has(String column) {
        Integer c = index.get(column);
        return c != null && present.stream().anyMatch(b -> b.get(c));
    }

    /** A column as doubles, NaN where absent (an unknown column is all NaN, as a table without it would read). */
    public double[] col(String column) {
        Integer c = index.get(column);
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = c == null ? Double.NaN : rows.get(i)[c];
        }
        return out;
    }

    /** An integer column (steps, seeds) as longs. */
    public long[] longCol(String column) {
        int c = indexOf(column);
        long[] out = new long[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (long) rows.get(i)[c];
        }
        return out;
    }

    /** The last value of a column, NaN when no row has one. */
    public double last(String column) {
        int c = indexOf(column);
        for (int i = rows.size() - 1; i >= 0; i--) {
            if (present.get(i).get(c)) {
                return rows.get(i)[c];
            }
        }
        return Double.NaN;
    }

    /** The rows whose column equals value (a copy). */
    public Metrics where(String column, double value) {
        int c = indexOf(column);
        Metrics out = new Metrics(this);
        for (int i = 0; i < rows.size(); i++) {
            if (present.get(i).get(c) && Double.compare(rows.get(i)[c], value) == 0) {
                out.copyRow(this, i);
            }
        }
        return out;
    }

    /** The rows that hold a value in column (a copy; an unknown column gives no rows). */
    public Metrics nonEmpty(String column) {
        Integer c = index.get(column);
        Metrics out = new Metrics(this);
        for (int i = 0; c != null && i < rows.size(); i++) {
            if (present.get(i).get(c)) {
                out.copyRow(this, i);
            }
        }
        return out;
    }

    private void copyRow(Metrics from, int i) {
        rows.add(from.rows.get(i).clone());
        present.add((BitSet) from.present.get(i).clone());
    }

    /** Drops rows beyond n. */
    public void truncate(int n) {
        if (n > rows.size()) {
            throw new DriftlabException("metrics hold " + rows.size() + " rows but the checkpoint expects " + n);
        }
        rows.subList(n, rows.size()).clear();
        present.subList(n, present.size()).clear();
        forgetTextFrom(n);
    }

    private int indexOf(String column) {
        Integer c = index.get(column);
        if (c == null) {
            throw new IllegalArgumentException("no metrics column '" + column + "'; columns: " + columns);
        }
        return c;
    }

    // ------------------------------------------------------------------ serialisations

    /** The text of one present cell in CSV. */
    private String cell(int c, double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v); // NaN, Infinity, -Infinity
        }
        return switch (formats[c]) {
            case REAL -> Decimals.shortest(v);
            case INTEGER -> Long.toString((long) v);
            case TAG -> "r" + (long) v;
        };
    }

    private double parse(int c, String text, String where) {
        try {
            if (formats[c] == Format.TAG) {
                if (!text.startsWith("r")) {
                    throw new NumberFormatException(text);
                }
                return Long.parseLong(text.substring(1));
            }
            if (formats[c] == Format.INTEGER && !text.equals("NaN") && !text.contains("Infinity")) {
                return Long.parseLong(text);
            }
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new DriftlabException(where + ": '" + text + "' in column " + columns.get(c) + " is not "
                    + (formats[c] == Format.TAG ? "a sub-run tag r<i>" : "a number"));
        }
    }

    /** The CSV text: a header, then one line per row. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (String line : lines(csvLines, this::csvLine)) {
            sb.append(line);
        }
        return sb.toString();
    }

    /** The text of every row, formatting only those not formatted yet. */
    private List<String> lines(List<String> made, java.util.function.IntFunction<String> format) {
        for (int i = made.size(); i < rows.size(); i++) {
            made.add(format.apply(i));
        }
        return made;
    }

    private String csvLine(int i) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < columns.size(); c++) {
            if (c > 0) {
                sb.append(',');
            }
            if (present.get(i).get(c)) {
                sb.append(cell(c, rows.get(i)[c]));
            }
        }
        return sb.append('\n').toString();
    }

    /** The JSON-lines text: one object per row with every column (null where absent). */
    public String toJsonl() {
        StringBuilder sb = new StringBuilder();
        for (String line : lines(jsonLines, this::jsonLine)) {
            sb.append(line);
        }
        return sb.toString();
    }

    private String jsonLine(int i) {
        StringBuilder sb = new StringBuilder("{");
        for (int c = 0; c < columns.size(); c++) {
            if (c > 0) {
                sb.append(',');
            }
            sb.append('"').append(columns.get(c)).append("\":");
            double v = rows.get(i)[c];
            if (!present.get(i).get(c)) {
                sb.append("null");
            } else if (formats[c] == Format.TAG || !Double.isFinite(v)) {
                sb.append(Json.quote(cell(c, v)));
            } else {
                sb.append(cell(c, v));
            }
        }
        return sb.append("}\n").toString();
    }

    /**
     * Reads CSV text into a table with the given columns. A file written before newer columns existed holds a
     * prefix of them, or lacks some of them: its rows are read by name and the missing cells are absent (not
     * measured), so older runs still resume. A column the file has but the table does not is an error.
     *
     * @param where the file, for messages
     */
    public static Metrics fromCsv(String text, List<String> columns, Map<String, Format> formats, String where) {
        Metrics m = new Metrics(columns, formats);
        String[] lines = text.split("\n", -1);
        if (lines.length == 0 || lines[0].isEmpty()) {
            return m;
        }
        String[] header = lines[0].split(",", -1);
        int[] to = new int[header.length];
        for (int k = 0; k < header.length; k++) {
            Integer c = m.index.get(header[k]);
            if (c == null) {
                throw new DriftlabException(where + ": column " + header[k] + " is not one of this run's columns "
                        + String.join(",", columns));
            }
            to[k] = c;
        }
        for (int li = 1; li < lines.length; li++) {
            if (lines[li].isEmpty()) {
                continue; // the final newline
            }
            String[] cells = lines[li].split(",", -1);
            if (cells.length != header.length) {
                throw new DriftlabException(where + ": a row has " + cells.length + " cells, expected " + header.length);
            }
            double[] row = new double[columns.size()];
            Arrays.fill(row, Double.NaN);
            BitSet has = new BitSet(columns.size());
            for (int k = 0; k < cells.length; k++) {
                if (!cells[k].isEmpty()) {
                    row[to[k]] = m.parse(to[k], cells[k], where);
                    has.set(to[k]);
                }
            }
            m.rows.add(row);
            m.present.add(has);
        }
        return m;
    }

    /**
     * Reads JSON-lines text as {@link #toJsonl} writes it (one flat object per row; numbers, null, and the
     * strings of tags and non-finite values) into a table with the given columns.
     */
    public static Metrics fromJsonl(String text, List<String> columns, Map<String, Format> formats, String where) {
        Metrics m = new Metrics(columns, formats);
        for (String line : text.split("\n")) {
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            if (!line.startsWith("{") || !line.endsWith("}")) {
                throw new DriftlabException(where + ": not a JSON object per line: " + line);
            }
            double[] row = new double[columns.size()];
            Arrays.fill(row, Double.NaN);
            BitSet has = new BitSet(columns.size());
            // cells never hold commas or quotes (numbers, null, r<i>, NaN, ±Infinity), so a flat split is exact
            for (String pair : line.substring(1, line.length() - 1).split(",")) {
                int colon = pair.indexOf("\":");
                if (!pair.startsWith("\"") || colon < 0) {
                    throw new DriftlabException(where + ": cannot read '" + pair + "'");
                }
                Integer c = m.index.get(pair.substring(1, colon));
                if (c == null) {
                    throw new DriftlabException(where + ": column " + pair.substring(1, colon)
                            + " is not one of this run's columns " + String.join(",", columns));
                }
                String value = pair.substring(colon + 2);
                if (value.equals("null")) {
                    continue;
                }
                if (value.startsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                row[c] = m.parse(c, value, where);
                has.set(c);
            }
            m.rows.add(row);
            m.present.add(has);
        }
        return m;
    }

    /** The CSV file name in a run directory. */
    public static final String CSV = "metrics.csv";
    /** The JSON-lines file name in a run directory. */
    public static final String JSONL = "metrics.jsonl";

    /** Rewrites dir/metrics.csv and dir/metrics.jsonl atomically. */
    public void write(Path dir) {
        AtomicFiles.writeString(dir.resolve(CSV), toCsv());
        AtomicFiles.writeString(dir.resolve(JSONL), toJsonl());
    }

    /** Reads dir/metrics.csv (an empty table when the file is absent). */
    public static Metrics read(Path dir, List<String> columns, Map<String, Format> formats) {
        Path file = dir.resolve(CSV);
        if (!Files.exists(file)) {
            return new Metrics(columns, formats);
        }
        try {
            return fromCsv(Files.readString(file, StandardCharsets.UTF_8), columns, formats, file.toString());
        } catch (IOException e) {
            throw new DriftlabException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a metrics.csv whose columns are taken from its header (for a report of any run directory). */
    public static Metrics read(Path csv) {
        try {
            String text = Files.readString(csv, StandardCharsets.UTF_8);
            String header = text.lines().findFirst().orElseThrow(() -> new DriftlabException(csv + " is empty"));
            return fromCsv(text, List.of(header.split(",", -1)), RunColumns.FORMATS, csv.toString());
        } catch (IOException e) {
            throw new DriftlabException("cannot read " + csv + ": " + e.getMessage(), e);
        }
    }
}
