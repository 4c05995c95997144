package org.driftlab.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.driftlab.DriftlabException;
import org.driftlab.tensor.Tensor;

/**
 * Reader for IDX files of unsigned bytes (MNIST, Fashion-MNIST): images {@code [N, rows, cols]} (magic
 * {@code 0x00000803}) and labels {@code [N]} (magic {@code 0x00000801}), raw or gzip-compressed. Compression is
 * detected from the gzip magic bytes, not the file name.
 *
 * <p>Everything that can be checked before allocating is checked first: magic, element type, rank, dimensions and
 * the length (the file size for raw files; the gzip trailer's recorded size for compressed files). Compressed data
 * is then streamed to the end and the decompressed byte count is verified against the header, so a file that lies
 * about its length is reported rather than silently misread. Problems raise a {@link DataFormatException} naming the
 * file.
 */
public final class IdxReader {
    private static final int UNSIGNED_BYTE = 0x08;

    private IdxReader() {}

    /** Reads all labels of an IDX1 label file (values 0..255, not range-checked). */
    public static int[] readLabels(Path file) {
        return readLabels(Source.of(file));
    }

    static int[] readLabels(Source file) {
        try (Stream s = Stream.open(file, 1, "labels [N]")) {
            int n = s.dims[0];
            byte[] raw = new byte[n];
            s.readRow(raw, 0, n);
            s.finish(false);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = raw[i] & 0xFF;
            }
            return out;
        }
    }

    /** Reads the dimensions {@code [N, rows, cols]} from an image file's header (only the header is read). */
    public static int[] imageDims(Path file) {
        return imageDims(Source.of(file));
    }

    static int[] imageDims(Source file) {
        try (Stream s = Stream.open(file, 3, "images [N, rows, cols]")) {
            return s.dims.clone();
        }
    }

    /** The first min(limit, N) images as {@code [n, rows, cols]}, pixel values divided by divisor (1 for raw 0..255, 255 for [0, 1]). */
    public static Tensor readImages(Path file, int limit, double divisor) {
        return readImages(file, null, limit, divisor);
    }

    /**
     * The images at the given rows (strictly increasing indices) as {@code [rows.length, rows, cols]}, pixel values
     * divided by divisor.
     */
    public static Tensor readImages(Path file, int[] rows, double divisor) {
        return readImages(file, rows, Integer.MAX_VALUE, divisor);
    }

    private static Tensor readImages(Path file, int[] rows, int limit, double divisor) {
        try (Stream s = Stream.open(Source.of(file), 3, "images [N, rows, cols]")) {
            return readImageRows(s, rows, limit, divisor);
        }
    }

    private static Tensor readImageRows(Stream s, int[] rows, int limit, double divisor) {
        int n = s.dims[0];
        int rowSize = s.dims[1] * s.dims[2];
        int[] sel = rows != null ? rows : firstRows(Math.min(Math.max(limit, 0), n));
        for (int i = 0; i < sel.length; i++) {
            if (sel[i] < 0 || sel[i] >= n || (i > 0 && sel[i] <= sel[i - 1])) {
                throw new IllegalArgumentException("row indices must be increasing and within 0.." + (n - 1)
                        + " for " + s.file);
            }
        }
        double[] out = new double[Math.multiplyExact(sel.length, rowSize)];
        byte[] buf = new byte[rowSize];
        int next = 0;
        int last = sel.length == 0 ? -1 : sel[sel.length - 1];
        for (int r = 0; r <= last; r++) {
            s.readRow(buf, r, rowSize);
            if (sel[next] == r) {
                int off = next * rowSize;
                for (int j = 0; j < rowSize; j++) {
                    out[off + j] = (buf[j] & 0xFF) / divisor;
                }
                next++;
            }
        }
        // A raw file's length was verified up front; a compressed one is only verified by reading to the end.
        s.finish(!s.gzip);
        return Tensor.of(out, sel.length, s.dims[1], s.dims[2]);
    }

    /**
     * Reads an image file and its label file as a classification set with inputs flattened to
     * {@code [n, rows*cols]} and divided by 255.
     *
     * @param rows       strictly increasing example indices to keep, or null for the first {@code limit}
     * @param limit      number of leading examples when rows is null
     * @param numClasses labels must lie in {@code 0..numClasses-1}; 0 infers {@code max(label)+1}, every class
     *                   then needing an example (see {@link Labels})
     */
    public static Dataset read(Path images, Path labels, int[] rows, int limit, int numClasses, String name) {
        return read(Source.of(images), Source.of(labels), rows, limit, numClasses, name);
    }

    static Dataset read(Source images, Source labels, int[] rows, int limit, int numClasses, String name) {
        int[] allLabels = readLabels(labels);
        int k = Labels.classes(allLabels, numClasses, labels.toString());
        try (Stream s = Stream.open(images, 3, "images [N, rows, cols]")) {
            if (s.dims[0] != allLabels.length) {
                throw new DataFormatException(images + ": mismatched image/label counts: " + s.dims[0]
                        + " images but " + labels + " has " + allLabels.length + " labels");
            }
            Tensor x = readImageRows(s, rows, limit, 255.0);
            int n = x.dim(0);
            int[] sel = rows != null ? rows : firstRows(n);
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = allLabels[sel[i]];
            }
            return Dataset.classification(name, x.reshape(n, s.dims[1] * s.dims[2]), y, k);
        }
    }

    static int[] firstRows(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** True if the file starts with the gzip magic bytes 1f 8b. */
    static boolean isGzip(Source file) throws IOException {
        try (InputStream in = file.open()) {
            byte[] head = in.readNBytes(2);
            return head.length == 2 && (head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b;
        }
    }

    /**
     * Where the bytes of an IDX file come from: a file, or an array in memory (the embedded Fashion-MNIST subset,
     * whose checksum is verified before it is parsed). Exactly one of file and bytes is set; the label names the
     * source in error messages.
     */
    record Source(String label, Path file, byte[] bytes) {
        static Source of(Path file) {
            return new Source(file.toString(), file, null);
        }

        static Source of(String label, byte[] bytes) {
            return new Source(label, null, bytes);
        }

        long size() throws IOException {
            return file != null ? Files.size(file) : bytes.length;
        }

        InputStream open() throws IOException {
            return file != null ? Files.newInputStream(file) : new ByteArrayInputStream(bytes);
        }

        /** The last 4 bytes, little-endian unsigned (a gzip trailer's ISIZE); size must be at least 4. */
        long lastInt(long size) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            if (bytes != null) {
                b.put(bytes, (int) size - 4, 4);
            } else {
                try (SeekableByteChannel ch = Files.newByteChannel(file)) {
                    ch.position(size - 4);
                    while (b.hasRemaining() && ch.read(b) >= 0) {
                        // read until full
                    }
                }
            }
            return b.hasRemaining() ? -1 : b.getInt(0) & 0xFFFFFFFFL;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** An open IDX file positioned after its header. */
    private static final class Stream implements Closeable {
        final Source file;
        final boolean gzip;
        final int[] dims;
        final long expectedBytes;
        final InputStream in;
        long consumed;

        private Stream(Source file, boolean gzip, InputStream in, int[] dims, long expectedBytes, long headerBytes) {
            this.file = file;
            this.gzip = gzip;
            this.in = in;
            this.dims = dims;
            this.expectedBytes = expectedBytes;
            this.consumed = headerBytes;
        }

        static Stream open(Source file, int rank, String what) {
            InputStream in = null;
            try {
                long fileSize = file.size();
                boolean gz = isGzip(file);
                in = new BufferedInputStream(file.open(), 1 << 16);
                if (gz) {
                    in = new GZIPInputStream(in, 1 << 16);
                }
                String unit = gz ? " uncompressed bytes" : " bytes";
                byte[] magic = in.readNBytes(4);
                if (magic.length < 4) {
                    throw new DataFormatException(file + ": truncated (expected at least 4" + unit + " of IDX header, found "
                            + magic.length + ")");
                }
                int m = ByteBuffer.wrap(magic).order(ByteOrder.BIG_ENDIAN).getInt();
                if (magic[0] != 0 || magic[1] != 0) {
                    throw new DataFormatException(String.format("%s: bad magic 0x%08X: not an IDX file (expected "
                            + "0x%08X for %s)", file, m, (UNSIGNED_BYTE << 8) | rank, what));
                }
                if ((magic[2] & 0xFF) != UNSIGNED_BYTE) {
                    throw new DataFormatException(String.format("%s: unsupported IDX element type 0x%02X (magic "
                            + "0x%08X); only unsigned bytes (0x08) are supported", file, magic[2] & 0xFF, m));
                }
                int ndim = magic[3] & 0xFF;
                if (ndim != rank) {
                    throw new DataFormatException(file + ": wrong dimensions: expected " + what + " (" + rank
                            + " dimension" + (rank == 1 ? "" : "s") + "), found " + ndim + " dimension"
                            + (ndim == 1 ? "" : "s") + " (magic " + String.format("0x%08X", m) + ")");
                }
                byte[] dimBytes = in.readNBytes(4 * ndim);
                if (dimBytes.length < 4 * ndim) {
                    throw new DataFormatException(file + ": truncated (expected " + (4 + 4 * ndim) + unit
                            + " of IDX header, found " + (4 + dimBytes.length) + ")");
                }
                ByteBuffer bb = ByteBuffer.wrap(dimBytes).order(ByteOrder.BIG_ENDIAN);
                int[] dims = new int[ndim];
                long count = 1;
                for (int i = 0; i < ndim; i++) {
                    long d = bb.getInt() & 0xFFFFFFFFL;
                    if (d > Integer.MAX_VALUE || (i > 0 && d == 0)) {
                        throw new DataFormatException(file + ": wrong dimensions: dimension " + i + " is " + d);
                    }
                    dims[i] = (int) d;
                    count *= d;
                }
                // Rows are read into one array, so the whole payload must fit in Java array limits.
                if (count > Integer.MAX_VALUE - 8) {
                    throw new DataFormatException(file + ": wrong dimensions: " + Arrays.toString(dims)
                            + " holds " + count + " values, too many for one array");
                }
                long header = 4L + 4L * ndim;
                long expected = header + count;
                if (!gz && fileSize != expected) {
                    throw new DataFormatException(file + ": " + (fileSize < expected ? "truncated" : "wrong length")
                            + " (expected " + expected + " bytes for " + Arrays.toString(dims) + ", found "
                            + fileSize + ")");
                }
                if (gz) {
                    // The gzip trailer records the uncompressed size mod 2^32: a cheap check before decompressing.
                    long recorded = trailerSize(file, fileSize);
                    if (recorded >= 0 && recorded != (expected & 0xFFFFFFFFL)) {
                        throw new DataFormatException(file + ": " + (recorded < expected ? "truncated" : "wrong length")
                                + " (expected " + expected + " uncompressed bytes for " + Arrays.toString(dims)
                                + ", gzip trailer records " + recorded + ")");
                    }
                }
                Stream s = new Stream(file, gz, in, dims, expected, header);
                in = null;
                return s;
            } catch (NoSuchFileException e) {
                throw new DriftlabException("cannot read " + file + ": no such file");
            } catch (EOFException | ZipException e) {
                throw new DataFormatException(file + ": corrupt gzip data (" + AtomicFiles.describe(e) + ")", e);
            } catch (IOException e) {
                throw new DriftlabException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
            } finally {
                closeQuietly(in);
            }
        }

        private static long trailerSize(Source file, long fileSize) throws IOException {
            return fileSize < 18 ? -1 : file.lastInt(fileSize);
        }

        /** Reads exactly len bytes of row r or throws a truncation error. */
        void readRow(byte[] buf, int r, int len) {
            int got;
            try {
                got = in.readNBytes(buf, 0, len);
            } catch (EOFException e) {
                throw truncated(consumed, e);
            } catch (ZipException e) {
                throw new DataFormatException(file + ": corrupt gzip data near uncompressed byte " + consumed + " ("
                        + AtomicFiles.describe(e) + ")", e);
            } catch (IOException e) {
                throw new DriftlabException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
            }
            consumed += got;
            if (got < len) {
                throw truncated(consumed, null);
            }
        }

        private DataFormatException truncated(long found, Throwable cause) {
            return new DataFormatException(file + ": truncated (expected " + expectedBytes
                    + (gzip ? " uncompressed" : "") + " bytes for " + Arrays.toString(dims) + ", found "
                    + (cause == null ? "" : "at most ") + found + ")", cause);
        }

        /** Consumes the rest of the payload (unless skip) and checks that nothing follows it. */
        void finish(boolean skip) {
            if (skip) {
                return;
            }
            try {
                byte[] buf = new byte[1 << 16];
                while (consumed < expectedBytes) {
                    int want = (int) Math.min(buf.length, expectedBytes - consumed);
                    int got = in.readNBytes(buf, 0, want);
                    consumed += got;
                    if (got < want) {
                        throw truncated(consumed, null);
                    }
                }
                if (in.read() != -1) {
                    throw new DataFormatException(file + ": wrong length (expected " + expectedBytes
                            + (gzip ? " uncompressed" : "") + " bytes for " + Arrays.toString(dims)
                            + ", found more)");
                }
            } catch (EOFException e) {
                throw truncated(consumed, e);
            } catch (ZipException e) {
                throw new DataFormatException(file + ": corrupt gzip data (" + AtomicFiles.describe(e) + ")", e);
            } catch (IOException e) {
                throw new DriftlabException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
            }
        }

        @Override
        public void close() {
            closeQuietly(in);
        }
    }

    static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing useful to do: the data has been read or an error is already being reported
            }
        }
    }
}
