package org.driftlab.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.driftlab.DriftlabException;
import org.driftlab.tensor.Tensor;

/**
 * Reader for comma-separated numeric tables: every column is a float feature except one label column holding
 * non-negative integer class ids (numClasses = max + 1). Blank lines and lines starting with {@code #} are skipped.
 * Errors give the file, line number and column.
 */
public final class CsvReader {
    private CsvReader() {}

    /**
     * Reading options.
     *
     * @param labelColumn a header name, a 0-based column index, {@code none} for no labels, or null for the last
     *                    column
     * @param header      whether the first line is a header; null detects it (a first line with any non-numeric
     *                    cell is a header)
     */
    public record Options(String labelColumn, Boolean header) {
        /** Last column is the label; header detected. */
        public static Options defaults() {
            return new Options(null, null);
        }
    }

    /** Reads with default options (label = last column, header detected). */
    public static Dataset read(Path file) {
        return read(file, Options.defaults());
    }

    /** Reads a CSV file as a classification set with inputs {@code [N, columns-1]} (or all columns for none). */
    public static Dataset read(Path file, Options options) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String[] header = null;
            int columns = -1;
            int labelCol = -2; // -2: not yet resolved, -1: no label column
            double[] values = new double[1024];
            int used = 0;
            int[] labels = new int[256];
            int rows = 0;
            int lineNo = 0;
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] cells = t.split(",", -1);
                if (columns < 0) {
                    columns = cells.length;
                    boolean isHeader = options.header() != null ? options.header() : !allNumeric(cells);
                    if (isHeader) {
                        header = cells;
                        for (int i = 0; i < header.length; i++) {
                            header[i] = unquote(header[i].strip());
                        }
                    }
                    labelCol = resolveLabel(file, options.labelColumn(), header, columns);
                    if (isHeader) {
                        continue;
                    }
                }
                if (cells.length != columns) {
                    throw new DataFormatException(file + " line " + lineNo + ": ragged row: expected " + columns
                            + " columns, found " + cells.length);
                }
                int features = labelCol >= 0 ? columns - 1 : columns;
                if (used + features > values.length) {
                    values = Arrays.copyOf(values, Math.max(values.length * 2, used + features));
                }
                if (rows == labels.length) {
                    labels = Arrays.copyOf(labels, rows * 2);
                }
                for (int c = 0; c < columns; c++) {
                    String cell = cells[c].strip();
                    if (c == labelCol) {
                        labels[rows] = parseLabel(file, lineNo, c, header, cell);
                    } else {
                        values[used++] = parseNumber(file, lineNo, c, header, cell);
                    }
                }
                rows++;
            }
            if (rows == 0) {
                throw new DataFormatException(file + ": no data rows");
            }
            int features = labelCol >= 0 ? columns - 1 : columns;
            Tensor x = Tensor.of(Arrays.copyOf(values, used), rows, features);
            String name = "csv:" + file;
            if (labelCol < 0) {
                return new Dataset(name, x, null, 0, null);
            }
            int[] y = Arrays.copyOf(labels, rows);
            int k = Arrays.stream(y).max().orElse(0) + 1;
            return Dataset.classification(name, x, y, k);
        } catch (NoSuchFileException e) {
            throw new DriftlabException("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw new DriftlabException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
        }
    }

    private static int resolveLabel(Path file, String spec, String[] header, int columns) {
        if (spec == null) {
            return columns - 1;
        }
        if (spec.equalsIgnoreCase("none")) {
            return -1;
        }
        if (header != null) {
            for (int i = 0; i < header.length; i++) {
                if (header[i].equals(spec)) {
                    return i;
                }
            }
        }
        try {
            int idx = Integer.parseInt(spec);
            if (idx < 0) {
                idx += columns; // -1 = last column, as in Python
            }
            if (idx < 0 || idx >= columns) {
                throw new DataFormatException(file + ": label column " + spec + " is out of range (the file has "
                        + columns + " columns)");
            }
            return idx;
        } catch (NumberFormatException e) {
            throw new DataFormatException(file + ": no label column named '" + spec + "' (" + (header == null
                    ? "the file has no header" : "columns: " + String.join(", ", header)) + ")");
        }
    }

    private static boolean allNumeric(String[] cells) {
        for (String c : cells) {
            try {
                Double.parseDouble(c.strip());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static String columnName(int c, String[] header) {
        return "column " + (c + 1) + (header != null ? " ('" + header[c] + "')" : "");
    }

    private static double parseNumber(Path file, int line, int c, String[] header, String cell) {
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw new DataFormatException(file + " line " + line + ", " + columnName(c, header) + ": not a number: '"
                    + cell + "'");
        }
    }

    private static int parseLabel(Path file, int line, int c, String[] header, String cell) {
        double v;
        try {
            v = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (!(v >= 0 && v == Math.rint(v) && v < Integer.MAX_VALUE)) {
            throw new DataFormatException(file + " line " + line + ", " + columnName(c, header)
                    + ": label out of range: '" + cell + "' is not a non-negative integer class id");
        }
        return (int) v;
    }
}
