package org.driftlab.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.driftlab.DriftlabException;

/**
 * A CSV file read as columns of text cells (metrics logs and study tables): filter rows, read a column as
 * numbers (empty cells are NaN). Cells never hold commas: driftlab's writers guarantee it. Immutable.
 */
public final class CsvTable {
    private final List<String> columns;
    private final List<String[]> rows;

    private CsvTable(List<String> columns, List<String[]> rows) {
        this.columns = columns;
        this.rows = rows;
    }

    /** Reads a CSV file with a header row. */
    public static CsvTable read(Path csv) {
        try {
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                throw new DriftlabException(csv + " is empty");
            }
            List<String> cols = List.of(lines.get(0).split(","));
            List<String[]> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                if (cells.length != cols.size()) {
                    throw new DriftlabException(csv + ": a row has " + cells.length + " cells, expected " + cols.size());
                }
                rows.add(cells);
            }
            return new CsvTable(cols, rows);
        } catch (IOException e) {
            throw new DriftlabException("cannot read " + csv + ": " + e.getMessage(), e);
        }
    }

    /** The column names. */
    public List<String> columns() {
        return columns;
    }

    /** Number of rows. */
    public int size() {
        return rows.size();
    }

    /** True when the column exists and has a non-empty cell. */
    public boolean has(String c) {
        int i = columns.indexOf(c);
        return i >= 0 && rows.stream().anyMatch(r -> !r[i].isEmpty());
    }

    /** The distinct cells of a column in order of first appearance. */
    public List<String> distinct(String c) {
        int i = index(c);
        return rows.stream().map(r -> r[i]).distinct().toList();
    }

    /** The rows where column c holds exactly v. */
    public CsvTable where(String c, String v) {
        int i = index(c);
        return new CsvTable(columns, rows.stream().filter(r -> r[i].equals(v)).toList());
    }

    /** The rows where column c is not empty (an unknown column gives no rows). */
    public CsvTable nonEmpty(String c) {
        int i = columns.indexOf(c);
        return new CsvTable(columns, i < 0 ? List.of() : rows.stream().filter(r -> !r[i].isEmpty()).toList());
    }

    /** The first cell of a column ("" when there are no rows). */
    public String first(String c) {
        return rows.isEmpty() ? "" : rows.get(0)[index(c)];
    }

    /** The text cells of a column. */
    public List<String> text(String c) {
        int i = index(c);
        return rows.stream().map(r -> r[i]).toList();
    }

    /** A column as numbers; empty cells (and an unknown column) are NaN. */
    public double[] col(String c) {
        int i = columns.indexOf(c);
        double[] v = new double[rows.size()];
        for (int k = 0; k < v.length; k++) {
            String s = i < 0 ? "" : rows.get(k)[i];
            v[k] = s.isEmpty() ? Double.NaN : Double.parseDouble(s);
        }
        return v;
    }

    /** A column as integers. */
    public long[] longCol(String c) {
        int i = index(c);
        long[] v = new long[rows.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = Long.parseLong(rows.get(k)[i]);
        }
        return v;
    }

    private int index(String c) {
        int i = columns.indexOf(c);
        if (i < 0) {
            throw new DriftlabException("table has no column '" + c + "'; columns: " + columns);
        }
        return i;
    }
}
