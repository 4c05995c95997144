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
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.driftlab.DriftlabException;
import org.driftlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy/.npz reading and writing, checked against the exact bytes NumPy 1.24 writes, and atomic writes. */
class NpyTest {
    @TempDir
    Path dir;

    /** The bytes numpy.save writes: magic, version 1.0, header padded with spaces to 118 chars + newline, data. */
    static byte[] numpyBytes(String dict, byte[] data) {
        StringBuilder h = new StringBuilder(dict);
        while (h.length() < 117) {
            h.append(' ');
        }
        h.append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0});
        out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] le(int size, long... values) {
        ByteBuffer b = ByteBuffer.allocate(size * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (size) {
                case 1 -> b.put((byte) v);
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return b.array();
    }

    static byte[] f8(double... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    @Test
    void writesTheSameBytesAsNumpy() {
        byte[] expected = numpyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", f8(1.5, -2.0));
        assertEquals(128 + 16, expected.length);
        assertArrayEquals(expected, Npy.toBytes(NpyArray.of(new double[] {1.5, -2.0})));
    }

    @Test
    void readsNumpyWrittenBytesOfEachDtype() {
        NpyArray a = Npy.parse(numpyBytes("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }",
                le(4, 1, -2, 3, 4, 5, -6)), "i4.npy");
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(new double[] {1, -2, 3, 4, 5, -6}, a.values(), 0.0);
        assertEquals("<i4", a.dtype());
        assertTrue(a.isInteger());

        NpyArray u = Npy.parse(numpyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }",
                le(1, 0, 255, 7)), "u1.npy");
        assertArrayEquals(new double[] {0, 255, 7}, u.values(), 0.0);
        NpyArray s = Npy.parse(numpyBytes("{'descr': '|i1', 'fortran_order': False, 'shape': (2,), }",
                le(1, -1, 5)), "i1.npy");
        assertArrayEquals(new double[] {-1, 5}, s.values(), 0.0);
        NpyArray h = Npy.parse(numpyBytes("{'descr': '<i2', 'fortran_order': False, 'shape': (2,), }",
                le(2, -300, 300)), "i2.npy");
        assertArrayEquals(new double[] {-300, 300}, h.values(), 0.0);
        NpyArray l = Npy.parse(numpyBytes("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }",
                le(8, -(1L << 40))), "i8.npy");
        assertArrayEquals(new double[] {-(double) (1L << 40)}, l.values(), 0.0);
        ByteBuffer f4 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(-3f);
        NpyArray f = Npy.parse(numpyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }",
                f4.array()), "f4.npy");
        assertArrayEquals(new double[] {0.5, -3}, f.values(), 0.0);
        NpyArray scalar = Npy.parse(numpyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (), }",
                f8(3.25)), "s.npy");
        assertArrayEquals(new int[0], scalar.shape());
        assertEquals(3.25, scalar.toTensor().item(), 0.0);
    }

    @Test
    void readsVersion2Headers() {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }";
        StringBuilder h = new StringBuilder(dict);
        while ((12 + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        ByteBuffer b = ByteBuffer.allocate(12 + h.length() + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(h.length());
        b.put(h.toString().getBytes(StandardCharsets.US_ASCII)).putDouble(7.0);
        assertArrayEquals(new double[] {7.0}, Npy.parse(b.array(), "v2.npy").values(), 0.0);
    }

    @Test
    void roundTripsFilesAndArchives() {
        Tensor t = Tensor.of(new double[] {1, 2, 3, 4, 5, Math.PI}, 2, 3);
        Path p = dir.resolve("sub/t.npy");
        Npy.write(p, t);
        NpyArray back = Npy.read(p);
        assertArrayEquals(new int[] {2, 3}, back.shape());
        assertArrayEquals(t.data(), back.values(), 0.0);
        Npy.write(p, new double[] {9});
        assertArrayEquals(new double[] {9}, Npy.read(p).values(), 0.0);
        Npy.writeInt64(dir.resolve("y.npy"), new int[] {3, -1});
        NpyArray y = Npy.read(dir.resolve("y.npy"));
        assertEquals("<i8", y.dtype());
        assertArrayEquals(new int[] {3, -1}, y.toIntArray());

        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("X", NpyArray.of(t));
        m.put("y", NpyArray.ofInt64(new int[] {0, 1}));
        Path z = dir.resolve("d.npz");
        Npy.writeNpz(z, m);
        Map<String, NpyArray> read = Npy.readNpz(z);
        assertEquals(m, read);
        assertEquals(java.util.List.of("X", "y"), java.util.List.copyOf(read.keySet()));
    }

    @Test
    void datasetThroughNpzKeepsChecksum() {
        Dataset ds = Synthetic.blobs(30, 4, 3, 0.5, 7);
        Path z = dir.resolve("blobs.npz");
        Npy.writeDataset(z, ds);
        Dataset back = DataSources.readNpzDataset(z, "back");
        assertFalse(back.hasExplicitTargets(), "one-hot Y is recognised as implied");
        assertEquals(ds.checksum(), back.checksum());
        Dataset teacher = Synthetic.teacherStudent(10, 3, 2, 4, 1).dataset();
        Npy.writeDataset(z, teacher);
        Dataset tb = DataSources.readNpzDataset(z, "t");
        assertTrue(tb.hasExplicitTargets());
        assertEquals(teacher.checksum(), tb.checksum());
        Dataset lin = Synthetic.linearRegression(8, 2, 0.1, 3, false).dataset();
        Npy.writeDataset(z, lin);
        Dataset lb = DataSources.readNpzDataset(z, "l");
        assertNull(lb.labels());
        assertEquals(lin.checksum(), lb.checksum());
    }

    @Test
    void corruptNpyMessages() throws IOException {
        byte[] good = Npy.toBytes(NpyArray.of(new double[] {1, 2, 3}));
        Path trunc = dir.resolve("trunc.npy");
        Files.write(trunc, Arrays.copyOf(good, good.length - 8));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Npy.read(trunc));
        assertTrue(e.getMessage().contains(trunc.toString()) && e.getMessage().contains("truncated")
                && e.getMessage().contains("expected " + good.length + " bytes"), e.getMessage());

        Path magic = dir.resolve("magic.npy");
        byte[] bad = good.clone();
        bad[1] = 'X';
        Files.write(magic, bad);
        e = assertThrows(DataFormatException.class, () -> Npy.read(magic));
        assertTrue(e.getMessage().contains(magic.toString()) && e.getMessage().contains("bad magic"), e.getMessage());

        byte[] fortran = numpyBytes("{'descr': '<f8', 'fortran_order': True, 'shape': (1, 1), }", f8(1));
        e = assertThrows(DataFormatException.class, () -> Npy.parse(fortran, "f.npy"));
        assertTrue(e.getMessage().contains("f.npy") && e.getMessage().contains("fortran_order"), e.getMessage());

        byte[] complex = numpyBytes("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", new byte[16]);
        e = assertThrows(DataFormatException.class, () -> Npy.parse(complex, "c.npy"));
        assertTrue(e.getMessage().contains("unsupported dtype '<c16'"), e.getMessage());

        Path notZip = dir.resolve("x.npz");
        Files.write(notZip, good);
        e = assertThrows(DataFormatException.class, () -> Npy.readNpz(notZip));
        assertTrue(e.getMessage().contains(notZip.toString()), e.getMessage());
    }

    @Test
    void atomicWritesReplaceAndLeaveNoTemporaries() throws IOException {
        Path p = dir.resolve("out/result.json");
        AtomicFiles.writeString(p, "first");
        AtomicFiles.write(p, "second".getBytes(StandardCharsets.UTF_8));
        assertEquals("second", Files.readString(p));
        assertThrows(IOException.class, () -> {
            try (var out = AtomicFiles.newOutputStream(p)) {
                out.write("partial".getBytes(StandardCharsets.UTF_8));
                throw new IOException("simulated failure before commit");
            }
        });
        assertEquals("second", Files.readString(p), "an uncommitted stream must not replace the target");
        assertThrows(DriftlabException.class, () -> AtomicFiles.write(p, out -> {
            out.write(1);
            throw new IOException("boom");
        }));
        assertEquals("second", Files.readString(p));
        byte[] big = new byte[200_000];
        Arrays.fill(big, (byte) 3);
        try (var out = AtomicFiles.newOutputStream(p)) {
            out.write(big, 0, 10);
            out.write(big, 10, big.length - 10);
            out.commit();
        }
        assertArrayEquals(big, Files.readAllBytes(p));
        try (var files = Files.list(p.getParent())) {
            assertEquals(1, files.count(), "temporary files are cleaned up");
        }
    }
}
