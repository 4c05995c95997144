package org.driftlab.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.driftlab.DriftlabException;
import org.driftlab.tensor.Tensor;

/**
 * Reader for the CIFAR-10 binary batches ({@code data_batch_1.bin .. data_batch_5.bin}, {@code test_batch.bin}).
 * Each record is one label byte (0..9) followed by 3072 pixel bytes: the 1024 red values of the 32x32 image in
 * row-major order, then green, then blue. Inputs are returned as {@code [N, 3072]} in that stored, channel-major
 * order, scaled to [0, 1]. A file's length must be a multiple of 3073 bytes; this is checked before reading.
 */
public final class CifarReader {
    /** Bytes per record: 1 label + 3 * 32 * 32 pixels. */
    public static final int RECORD = 3073;
    /** Pixel values per image. */
    public static final int PIXELS = 3072;
    /** Number of CIFAR-10 classes. */
    public static final int CLASSES = 10;

    private CifarReader() {}

    /**
     * The batch files of a split: {@code data_batch_1..5.bin} for train, {@code test_batch.bin} for test. dir may be
     * the batch directory itself or its parent containing {@code cifar-10-batches-bin}.
     */
    public static List<Path> files(Path dir, boolean train) {
        Path d = dir;
        if (!Files.exists(d.resolve(train ? "data_batch_1.bin" : "test_batch.bin"))
                && Files.isDirectory(d.resolve("cifar-10-batches-bin"))) {
            d = d.resolve("cifar-10-batches-bin");
        }
        List<Path> out = new ArrayList<>();
        if (train) {
            for (int i = 1; i <= 5; i++) {
                out.add(d.resolve("data_batch_" + i + ".bin"));
            }
        } else {
            out.add(d.resolve("test_batch.bin"));
        }
        for (Path p : out) {
            if (!Files.isRegularFile(p)) {
                throw new DriftlabException("CIFAR-10 batch file " + p + " not found (expected the binary version: "
                        + "data_batch_1..5.bin and test_batch.bin)");
            }
        }
        return out;
    }

    /** Number of records in a batch file, after checking that its length is a multiple of 3073. */
    public static int records(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new DriftlabException("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw new DriftlabException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
        }
        if (size % RECORD != 0) {
            long whole = size / RECORD;
            throw new DataFormatException(file + ": truncated (expected a multiple of " + RECORD + " bytes, e.g. "
                    + (whole + 1) * RECORD + " for " + (whole + 1) + " records, found " + size + ")");
        }
        if (size / RECORD > Integer.MAX_VALUE / PIXELS) {
            throw new DataFormatException(file + ": wrong length: " + size + " bytes is too many records");
        }
        return (int) (size / RECORD);
    }

    /** All labels of the files, concatenated; each must be in 0..9. */
    public static int[] readLabels(List<Path> files) {
        int total = 0;
        for (Path f : files) {
            total = Math.addExact(total, records(f));
        }
        int[] labels = new int[total];
        int[] pos = {0};
        for (Path f : files) {
            scan(f, (row, rec) -> labels[pos[0]++] = rec[0] & 0xFF);
        }
        return labels;
    }

    /**
     * Reads the records at the given global indices (strictly increasing, counting across files in order), or the
     * first limit records when rows is null, as a classification set with inputs {@code [n, 3072]} in [0, 1].
     *
     * @param files the batch files, in order (see {@link #files})
     * @param rows  global record indices to keep, or null
     * @param limit the number of leading records to keep when rows is null
     * @param name  the data set's name
     * @return the selected records, channel-major pixels / 255 as stored
     */
    public static Dataset read(List<Path> files, int[] rows, int limit, String name) {
        int total = 0;
        int[] counts = new int[files.size()];
        for (int i = 0; i < files.size(); i++) {
            counts[i] = records(files.get(i));
            total = Math.addExact(total, counts[i]);
        }
        int[] sel = rows != null ? rows : IdxReader.firstRows(Math.min(Math.max(limit, 0), total));
        for (int i = 0; i < sel.length; i++) {
            if (sel[i] < 0 || sel[i] >= total || (i > 0 && sel[i] <= sel[i - 1])) {
                throw new IllegalArgumentException("CIFAR row indices must be increasing and within 0.." + (total - 1));
            }
        }
        double[] x = new double[Math.multiplyExact(sel.length, PIXELS)];
        int[] y = new int[sel.length];
        int[] next = {0};
        int base = 0;
        for (int i = 0; i < files.size() && next[0] < sel.length; i++) {
            int offset = base;
            scan(files.get(i), (row, rec) -> {
                int k = next[0];
                if (k < sel.length && sel[k] == offset + row) {
                    y[k] = rec[0] & 0xFF;
                    int o = k * PIXELS;
                    for (int j = 0; j < PIXELS; j++) {
                        x[o + j] = (rec[j + 1] & 0xFF) / 255.0;
                    }
                    next[0]++;
                }
            });
            base += counts[i];
        }
        return Dataset.classification(name, Tensor.of(x, sel.length, PIXELS), y, CLASSES);
    }

    private interface RecordVisitor {
        void visit(int row, byte[] record);
    }

    /** Visits every record of a file, checking each label. */
    private static void scan(Path file, RecordVisitor visitor) {
        int n = records(file);
        byte[] rec = new byte[RECORD];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            for (int r = 0; r < n; r++) {
                int got = in.readNBytes(rec, 0, RECORD);
                if (got < RECORD) {
                    throw new DataFormatException(file + ": truncated (expected " + (long) n * RECORD
                            + " bytes, found " + ((long) r * RECORD + got) + ")");
                }
                int label = rec[0] & 0xFF;
                if (label >= CLASSES) {
                    throw new DataFormatException(file + ": label out of range: record " + r + " has label " + label
                            + ", expected 0.." + (CLASSES - 1));
                }
                visitor.visit(r, rec);
            }
        } catch (IOException e) {
            throw new DriftlabException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
        }
    }
}
