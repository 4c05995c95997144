package org.driftlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX, CIFAR and CSV readers on small generated files, including every corruption the readers must name. */
class ReadersTest {
    @TempDir
    Path dir;

    /** IDX bytes: magic 0x0000 0x08 ndim, big-endian dims, then the payload. */
    static byte[] idx(int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(payload).array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(raw);
        }
        return bos.toByteArray();
    }

    static byte[] pixels(int n, int rows, int cols) {
        byte[] p = new byte[n * rows * cols];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) ((i * 37) % 256);
        }
        return p;
    }

    static byte[] labelBytes(int n, int k) {
        byte[] y = new byte[n];
        for (int i = 0; i < n; i++) {
            y[i] = (byte) (i % k);
        }
        return y;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static void assertMessage(RuntimeException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void idxRoundTripRawAndGzip() throws IOException {
        byte[] px = pixels(6, 2, 3);
        Path rawImages = write("img.idx", idx(new int[] {6, 2, 3}, px));
        // Deliberately no .gz extension: compression is detected from the magic bytes.
        Path gzImages = write("img-compressed.bin", gzip(idx(new int[] {6, 2, 3}, px)));
        Path labels = write("lab.idx.gz", gzip(idx(new int[] {6}, labelBytes(6, 3))));
        for (Path images : new Path[] {rawImages, gzImages}) {
            Dataset ds = IdxReader.read(images, labels, null, 4, 3, "t");
            assertEquals(4, ds.size());
            assertArrayEquals(new int[] {6}, ds.inputShape());
            assertArrayEquals(new int[] {0, 1, 2, 0}, ds.labels());
            for (int i = 0; i < 24; i++) {
                assertEquals((px[i] & 0xFF) / 255.0, ds.inputs().data()[i], 0.0);
            }
            Dataset picked = IdxReader.read(images, labels, new int[] {1, 5}, 0, 3, "t");
            assertArrayEquals(new int[] {1, 2}, picked.labels());
            assertEquals((px[30] & 0xFF) / 255.0, picked.inputs().get(1, 0), 0.0);
        }
        assertArrayEquals(new int[] {6, 2, 3}, IdxReader.imageDims(gzImages));
        assertEquals(255.0 * ((px[5] & 0xFF) / 255.0), IdxReader.readImages(rawImages, 1, 1.0).get(0, 1, 2), 1e-12);
    }

    @Test
    void idxBadMagic() throws IOException {
        byte[] b = idx(new int[] {2, 2, 2}, new byte[8]);
        b[0] = 0x12;
        Path p = write("bad.idx", b);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(p, 10, 1.0));
        assertMessage(e, p.toString(), "bad magic");
    }

    @Test
    void idxWrongDimensions() throws IOException {
        Path images = write("images-as-labels.idx", idx(new int[] {4}, new byte[4]));
        Path labels = write("labels.idx", idx(new int[] {4}, labelBytes(4, 2)));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> IdxReader.read(images, labels, null, 4, 2, "t"));
        assertMessage(e, images.toString(), "wrong dimensions", "3 dimensions", "found 1 dimension");
    }

    @Test
    void idxTruncatedRaw() throws IOException {
        byte[] full = idx(new int[] {5, 2, 2}, pixels(5, 2, 2));
        Path p = write("short.idx", Arrays.copyOf(full, full.length - 3));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(p, 5, 1.0));
        assertMessage(e, p.toString(), "truncated", "expected " + full.length + " bytes", "found " + (full.length - 3));
    }

    @Test
    void idxTruncatedGzipContent() throws IOException {
        // A valid gzip stream whose content is shorter than its IDX header announces.
        byte[] full = idx(new int[] {5, 2, 2}, pixels(5, 2, 2));
        Path p = write("short.idx.gz", gzip(Arrays.copyOf(full, full.length - 4)));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(p, 5, 1.0));
        assertMessage(e, p.toString(), "truncated", "expected " + full.length + " uncompressed bytes");
    }

    @Test
    void idxTruncatedGzipFile() throws IOException {
        byte[] gz = gzip(idx(new int[] {50, 4, 4}, pixels(50, 4, 4)));
        Path p = write("cut.idx.gz", Arrays.copyOf(gz, gz.length / 2));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(p, 1, 1.0));
        assertMessage(e, p.toString());
        assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("corrupt")
                || e.getMessage().contains("wrong length"), e.getMessage());
    }

    @Test
    void idxTrailingData() throws IOException {
        byte[] full = idx(new int[] {2, 2, 2}, pixels(2, 2, 2));
        Path p = write("long.idx", Arrays.copyOf(full, full.length + 5));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(p, 2, 1.0));
        assertMessage(e, p.toString(), "wrong length", "found " + (full.length + 5));
    }

    @Test
    void idxLabelOutOfRange() throws IOException {
        Path images = write("i.idx", idx(new int[] {3, 2, 2}, pixels(3, 2, 2)));
        Path labels = write("l.idx", idx(new int[] {3}, new byte[] {0, 10, 1}));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> IdxReader.read(images, labels, null, 3, 10, "t"));
        assertMessage(e, labels.toString(), "label out of range", "label 10", "0..9");
    }

    @Test
    void idxCountMismatch() throws IOException {
        Path images = write("i.idx", idx(new int[] {3, 2, 2}, pixels(3, 2, 2)));
        Path labels = write("l.idx", idx(new int[] {4}, labelBytes(4, 2)));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> IdxReader.read(images, labels, null, 3, 2, "t"));
        assertMessage(e, images.toString(), "mismatched image/label counts", "3 images", "4 labels");
    }

    @Test
    void missingFileIsUserError() {
        Path p = dir.resolve("nope.idx");
        org.driftlab.DriftlabException e = assertThrows(org.driftlab.DriftlabException.class,
                () -> IdxReader.readLabels(p));
        assertMessage(e, p.toString(), "no such file");
    }

    // ------------------------------------------------------------------ CIFAR

    static byte[] cifarRecords(int n, int labelOffset) {
        byte[] b = new byte[n * CifarReader.RECORD];
        for (int r = 0; r < n; r++) {
            b[r * CifarReader.RECORD] = (byte) ((r + labelOffset) % 10);
            for (int j = 0; j < CifarReader.PIXELS; j++) {
                b[r * CifarReader.RECORD + 1 + j] = (byte) ((r * 7 + j) % 256);
            }
        }
        return b;
    }

    @Test
    void cifarRoundTripAcrossBatches() throws IOException {
        for (int i = 1; i <= 5; i++) {
            write("data_batch_" + i + ".bin", cifarRecords(4, i));
        }
        write("test_batch.bin", cifarRecords(3, 0));
        var train = CifarReader.files(dir, true);
        Dataset ds = CifarReader.read(train, null, 6, "c");
        assertEquals(6, ds.size());
        assertArrayEquals(new int[] {3072}, ds.inputShape());
        assertArrayEquals(new int[] {1, 2, 3, 4, 2, 3}, ds.labels());
        assertEquals(10 / 255.0, ds.inputs().get(4, 10), 0.0); // record 0 of batch 2
        assertEquals((7 + 10) / 255.0, ds.inputs().get(5, 10), 0.0);
        assertEquals(20, CifarReader.readLabels(train).length);
        Dataset picked = CifarReader.read(train, new int[] {0, 19}, 0, "c");
        assertArrayEquals(new int[] {1, (3 + 5) % 10}, picked.labels());
        assertEquals(3, CifarReader.read(CifarReader.files(dir, false), null, 100, "c").size());
    }

    @Test
    void cifarLengthNotMultiple() throws IOException {
        byte[] b = cifarRecords(2, 0);
        Path p = write("test_batch.bin", Arrays.copyOf(b, b.length - 1));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CifarReader.read(java.util.List.of(p), null, 10, "c"));
        assertMessage(e, p.toString(), "truncated", "multiple of 3073", "found " + (b.length - 1));
    }

    @Test
    void cifarLabelOutOfRange() throws IOException {
        byte[] b = cifarRecords(2, 0);
        b[CifarReader.RECORD] = 11;
        Path p = write("test_batch.bin", b);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> CifarReader.read(java.util.List.of(p), null, 10, "c"));
        assertMessage(e, p.toString(), "label out of range", "record 1", "label 11");
    }

    // ------------------------------------------------------------------ CSV

    @Test
    void csvWithHeaderAndNamedLabel() throws IOException {
        Path p = write("t.csv", "a,label,b\n1,0,2.5\n# comment\n\n3,2,-1e-3\n".getBytes(StandardCharsets.UTF_8));
        // label 1 has no example: the three classes are declared
        Dataset ds = CsvReader.read(p, new CsvReader.Options("label", null, 3));
        assertEquals(2, ds.size());
        assertArrayEquals(new double[] {1, 2.5, 3, -1e-3}, ds.inputs().data(), 0.0);
        assertArrayEquals(new int[] {0, 2}, ds.labels());
        assertEquals(3, ds.numClasses());
    }

    @Test
    void csvWithoutHeaderDefaultsToLastColumn() throws IOException {
        Path p = write("t.csv", "1,2,1\n3,4,0\n".getBytes(StandardCharsets.UTF_8));
        Dataset ds = CsvReader.read(p);
        assertArrayEquals(new int[] {2}, ds.inputShape());
        assertArrayEquals(new int[] {1, 0}, ds.labels());
        Dataset byIndex = CsvReader.read(p, new CsvReader.Options("0", false, 4));
        assertArrayEquals(new int[] {1, 3}, byIndex.labels());
        Dataset none = CsvReader.read(p, new CsvReader.Options("none", null));
        assertNull(none.labels());
        assertArrayEquals(new int[] {3}, none.inputShape());
    }

    @Test
    void csvErrorsNameLineAndColumn() throws IOException {
        Path bad = write("bad.csv", "x,y,label\n1,2,0\n1,abc,1\n".getBytes(StandardCharsets.UTF_8));
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.read(bad));
        assertMessage(e, bad.toString(), "line 3", "column 2 ('y')", "not a number", "'abc'");
        Path ragged = write("ragged.csv", "1,2,0\n1,1\n".getBytes(StandardCharsets.UTF_8));
        e = assertThrows(DataFormatException.class, () -> CsvReader.read(ragged));
        assertMessage(e, ragged.toString(), "line 2", "ragged", "expected 3 columns, found 2");
        Path label = write("label.csv", "1,2,0.5\n".getBytes(StandardCharsets.UTF_8));
        e = assertThrows(DataFormatException.class, () -> CsvReader.read(label));
        assertMessage(e, label.toString(), "line 1", "label out of range");
        e = assertThrows(DataFormatException.class, () -> CsvReader.read(bad, new CsvReader.Options("z", null)));
        assertMessage(e, "no label column named 'z'", "x, y, label");
    }

    @Test
    void csvAsPandasAndQuoteAllExportersWriteIt() throws IOException {
        // pandas' to_csv quotes a header cell holding a comma; csv.QUOTE_ALL quotes every number; Windows tools
        // end lines with CRLF and Excel starts UTF-8 files with a byte-order mark
        String text = "\uFEFF\"width, cm\",\"say \"\"hi\"\"\",label\r\n\"1.5\",\"2\",\"1\"\r\n# note\r\n\r\n  3 ,\"4e0\", 0\r\n";
        Path p = write("pandas.csv", text.getBytes(StandardCharsets.UTF_8));
        Dataset ds = CsvReader.read(p, new CsvReader.Options("label", null));
        assertEquals(2, ds.size());
        assertArrayEquals(new double[] {1.5, 2, 3, 4}, ds.inputs().data(), 0.0);
        assertArrayEquals(new int[] {1, 0}, ds.labels());
        // the header's names, quotes undone, are what the label option and the errors use
        Dataset byName = CsvReader.read(p, new CsvReader.Options("say \"hi\"", null, 5));
        assertArrayEquals(new int[] {2, 4}, byName.labels());
        assertArrayEquals(new double[] {1.5, 1, 3, 0}, byName.inputs().data(), 0.0);
        Path bad = write("bad.csv", ("\uFEFF\"a,b\",c\r\n1,2\r\n\"x\",\"3\"\r\n").getBytes(StandardCharsets.UTF_8));
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.read(bad));
        assertMessage(e, bad.toString(), "line 3", "column 1 ('a,b')", "not a number: 'x'");
    }

    @Test
    void csvLineNumbersCountQuotedLineBreaksAndMalformedQuotesAreOneLine() throws IOException {
        // a header cell spanning two lines: the data rows are on lines 3 and 4
        Path p = write("multi.csv", "\"two\nlines\",label\n1,0\n2,x\n".getBytes(StandardCharsets.UTF_8));
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvReader.read(p));
        assertMessage(e, "line 4", "label out of range", "'x'");
        Path open = write("open.csv", "a,label\n1,0\n\"2,1\n".getBytes(StandardCharsets.UTF_8));
        e = assertThrows(DataFormatException.class, () -> CsvReader.read(open));
        assertMessage(e, open.toString(), "malformed CSV");
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        Path junk = write("junk.csv", "a,label\n\"1\"2,0\n".getBytes(StandardCharsets.UTF_8));
        e = assertThrows(DataFormatException.class, () -> CsvReader.read(junk));
        assertMessage(e, junk.toString(), "line 2", "malformed CSV");
    }
}
