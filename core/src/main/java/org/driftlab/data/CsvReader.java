package org.driftlab.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.driftlab.DriftlabException;
import org.driftlab.tensor.Tensor;

/**
 * Reader for comma-separated numeric tables: every column is a float feature except one label column holding
 * non-negative integer class ids (numClasses = max + 1, every class present, unless declared; see {@link Labels}). The file is parsed by Apache Commons CSV as RFC 4180:
 * quoted cells (commas, quotes and line breaks inside quotes; {@code QUOTE_ALL} numbers as written by
 * {@code csv.writer(quoting=csv.QUOTE_ALL)}), quoted headers such as pandas' {@code to_csv} writes them, LF or CRLF
 * line ends and a leading UTF-8 byte-order mark. Blank lines and lines starting with {@code #} are skipped; spaces
 * around a cell are ignored. Errors are one line giving the file, line number and column.
 */
public final class CsvReader {
    /** RFC 4180 plus what the class comment promises; Commons CSV does not itself skip a byte-order mark. */
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setCommentMarker('#')
            .setIgnoreEmptyLines(true)
            .setIgnoreSurroundingSpaces(true)
            .get();
    private static final char BOM = '\uFEFF';

    private CsvReader() {}

    /**
     * Reading options.
     *
     * @param labelColumn a header name, a 0-based column index, {@code none} for no labels, or null for the last
     *                    column
     * @param header      whether the first line is a header; null detects it (a first line with any non-numeric
     *                    cell is a header)
     * @param classes     the number of classes K (labels must lie in 0..K−1), or 0 to infer K as max + 1 with every
     *                    class present
     */
    public record Options(String labelColumn, Boolean header, int classes) {
        /**
         * Options with K inferred.
         *
         * @param labelColumn as above
         * @param header      as above
         */
        public Options(String labelColumn, Boolean header) {
            this(labelColumn, header, 0);
        }

        /** Last column is the label; header detected. */
        public static Options defaults() {
            return new Options(null, null);
        }
    }

    /** Reads with default options (label = last column, header detected). */
    public static Dataset read(Path file) {
        return read(file, Options.defaults());
    }

    /**
     * Reads a CSV file as a classification set with inputs {@code [N, columns-1]} (or all columns for none).
     *
     * @param file    the table
     * @param options the label column and whether there is a header
     * @return the rows as examples, named {@code csv:FILE}
     */
    public static Dataset read(Path file, Options options) {
        try (Reader in = withoutBom(Files.newBufferedReader(file, StandardCharsets.UTF_8));
             CSVParser parser = CSVParser.builder().setReader(in).setFormat(FORMAT).get()) {
            String[] header = null;
            int columns = -1;
            int labelCol = -2; // -2: not yet resolved, -1: no label column
            double[] values = new double[1024];
            int used = 0;
            int[] labels = new int[256];
            int rows = 0;
            Iterator<CSVRecord> it = parser.iterator();
            while (next(it, file, parser)) {
                CSVRecord record = it.next();
                String[] cells = record.values();
                // the parser counts the line breaks it has consumed: the record ends on that line
                long lineNo = parser.getCurrentLineNumber() - lineBreaksInside(cells);
                if (cells.length == 1 && cells[0].isEmpty()) {
                    continue; // a line of spaces only
                }
                if (columns < 0) {
                    columns = cells.length;
                    boolean isHeader = options.header() != null ? options.header() : !allNumeric(cells);
                    if (isHeader) {
                        header = cells;
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
                if ((long) used + features > values.length) {
                    values = Arrays.copyOf(values, grow(values.length, (long) used + features, file));
                }
                if (rows == labels.length) {
                    labels = Arrays.copyOf(labels, grow(labels.length, rows + 1L, file));
                }
                for (int c = 0; c < columns; c++) {
                    if (c == labelCol) {
                        labels[rows] = parseLabel(file, lineNo, c, header, cells[c]);
                    } else {
                        values[used++] = parseNumber(file, lineNo, c, header, cells[c]);
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
            int k = Labels.classes(y, options.classes(), file.toString());
            return Dataset.classification(name, x, y, k);
        } catch (NoSuchFileException e) {
            throw new DriftlabException("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw new DriftlabException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
        }
    }

    /** A new capacity of at least need: doubled, capped at what one array holds (then an error naming the file). */
    private static int grow(int length, long need, Path file) {
        long want = Math.max(2L * length, need);
        return org.driftlab.Memory.arrayLength(Math.min(want, Math.max(need, org.driftlab.Memory.MAX_ARRAY)),
                file + ": too many values");
    }

    /** hasNext, with the parser's complaints (an unclosed quote, text after a closing quote) as one-line errors. */
    private static boolean next(Iterator<CSVRecord> it, Path file, CSVParser parser) {
        try {
            return it.hasNext();
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CSVException bad) {
                throw new DataFormatException(file + " line " + parser.getCurrentLineNumber() + ": malformed CSV: "
                        + bad.getMessage().replaceAll("\\s+", " "), e);
            }
            throw new DriftlabException("cannot read " + file + ": " + AtomicFiles.describe(e.getCause()), e);
        }
    }

    /** The reader after a UTF-8 byte-order mark, if the file starts with one (Excel writes it). */
    private static Reader withoutBom(BufferedReader r) throws IOException {
        r.mark(1);
        if (r.read() != BOM) {
            r.reset();
        }
        return r;
    }

    /** Line breaks inside quoted cells (CRLF counts once, as the parser counts it). */
    private static int lineBreaksInside(String[] cells) {
        int n = 0;
        for (String c : cells) {
            for (int i = 0; i < c.length(); i++) {
                char ch = c.charAt(i);
                if (ch == '\n' || (ch == '\r' && (i + 1 == c.length() || c.charAt(i + 1) != '\n'))) {
                    n++;
                }
            }
        }
        return n;
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

    private static String columnName(int c, String[] header) {
        return "column " + (c + 1) + (header != null ? " ('" + header[c] + "')" : "");
    }

    private static double parseNumber(Path file, long line, int c, String[] header, String cell) {
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw new DataFormatException(file + " line " + line + ", " + columnName(c, header) + ": not a number: '"
                    + cell + "'");
        }
    }

    private static int parseLabel(Path file, long line, int c, String[] header, String cell) {
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
