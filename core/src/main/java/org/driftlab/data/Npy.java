package org.driftlab.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.driftlab.DriftlabException;
import org.driftlab.tensor.Tensor;

/**
 * NumPy {@code .npy} and {@code .npz} files.
 *
 * <p>Reading accepts format versions 1.0, 2.0 and 3.0, C order only, and the dtypes {@code f4 f8 i1 i2 i4 i8 u1 u2
 * u4 u8 b1} in either byte order; values are widened to double. The header and the length are validated before the
 * data array is allocated. Writing produces version 1.0 (2.0 if the header is too long), C order, with the header
 * padded to a multiple of 64 bytes as NumPy does; float data is written as {@code <f8} and labels as {@code <i8}
 * (any supported dtype given in an {@link NpyArray} is honoured). All writes go through {@link AtomicFiles}.
 *
 * <p>An {@code .npz} file is a zip archive of {@code NAME.npy} members, stored uncompressed as {@code numpy.savez}
 * does (compressed members are read too).
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");
    private static final Pattern DTYPE = Pattern.compile("([<>|=])([fiub])(\\d+)");

    private Npy() {}

    /** Reads a .npy file. */
    public static NpyArray read(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(in, Files.size(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new DriftlabException("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw new DriftlabException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
        }
    }

    /** Parses the bytes of a .npy file; source names it in error messages. */
    public static NpyArray parse(byte[] bytes, String source) {
        try {
            return read(new java.io.ByteArrayInputStream(bytes), bytes.length, source);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads all arrays of a .npz file, keyed by member name without the {@code .npy} suffix, in archive order. */
    public static Map<String, NpyArray> readNpz(Path file) {
        Map<String, NpyArray> out = new LinkedHashMap<>();
        walkNpz(file, (key, in, size, source) -> {
            out.put(key, read(in, size, source));
            return true;
        });
        return out;
    }

    /**
     * The headers of every array in a .npz file, keyed as {@link #readNpz} keys them; the data are not read.
     *
     * @param file the archive
     * @return member name (without {@code .npy}) to its shape and dtype, in archive order
     */
    public static Map<String, Header> readNpzHeaders(Path file) {
        Map<String, Header> out = new LinkedHashMap<>();
        walkNpz(file, (key, in, size, source) -> {
            Parsed p = header(in, size, source);
            out.put(key, new Header(p.shape(), p.dtype().descr()));
            return true;
        });
        return out;
    }

    /**
     * One array of a .npz file, or null when there is none of that name.
     *
     * @param file the archive
     * @param key  the member name without {@code .npy}
     * @return the array, or null
     */
    public static NpyArray readNpzMember(Path file, String key) {
        NpyArray[] found = {null};
        walkNpz(file, (k, in, size, source) -> {
            if (!k.equals(key)) {
                return true;
            }
            found[0] = read(in, size, source);
            return false;
        });
        return found[0];
    }

    /** Visits a .npz file's array members; the visitor returns false to stop. */
    private interface MemberVisitor {
        boolean visit(String key, InputStream in, long size, String source) throws IOException;
    }

    private static void walkNpz(Path file, MemberVisitor visitor) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                String name = e.getName();
                String key = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
                try (InputStream in = new BufferedInputStream(zip.getInputStream(e), 1 << 16)) {
                    if (!visitor.visit(key, in, e.getSize(), file + "!" + name)) {
                        return;
                    }
                }
            }
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new DriftlabException("cannot read " + file + ": no such file");
        } catch (ZipException e) {
            throw new DataFormatException(file + ": not a valid .npz (zip) archive (" + AtomicFiles.describe(e) + ")",
                    e);
        } catch (IOException e) {
            throw new DriftlabException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
        }
    }

    /** Element type of a dtype descriptor. */
    private record Dtype(String descr, char kind, int size, ByteOrder order) {}

    private static Dtype dtype(String descr, String source) {
        Matcher m = DTYPE.matcher(descr);
        boolean ok = m.matches();
        int size = ok ? Integer.parseInt(m.group(3)) : 0;
        char kind = ok ? m.group(2).charAt(0) : '?';
        ok = ok && switch (kind) {
            case 'f' -> size == 4 || size == 8;
            case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
            case 'b' -> size == 1;
            default -> false;
        };
        if (!ok) {
            throw new DataFormatException(source + ": unsupported dtype '" + descr + "' (supported: f4, f8, i1, i2, "
                    + "i4, i8, u1, u2, u4, u8, b1, e.g. '<f8')");
        }
        ByteOrder order = m.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        return new Dtype(descr, kind, size, order);
    }

    /**
     * The header of a .npy array: what {@link #readNpzHeaders} reports without reading the data.
     *
     * @param shape the array shape
     * @param dtype the NumPy dtype descriptor, e.g. {@code <f8}
     */
    public record Header(int[] shape, String dtype) {
        /** Copies the shape. */
        public Header {
            shape = shape.clone();
        }

        /** A copy of the shape. */
        @Override
        public int[] shape() {
            return shape.clone();
        }
    }

    /** A parsed, validated header and where the data start: everything checked before the data is allocated. */
    private record Parsed(int[] shape, Dtype dtype, int count, long dataBytes, long expected) {}

    /**
     * Reads one array from a stream. length is the total byte count when known (else negative); it is checked
     * against the header before the data is allocated.
     */
    private static NpyArray read(InputStream in, long length, String source) throws IOException {
        Parsed p = header(in, length, source);
        Dtype dt = p.dtype();
        byte[] data = in.readNBytes((int) p.dataBytes());
        if (data.length < p.dataBytes()) {
            throw new DataFormatException(source + ": truncated (expected " + p.expected() + " bytes for " + dt.descr
                    + " " + Arrays.toString(p.shape()) + ", found " + (p.expected() - p.dataBytes() + data.length)
                    + ")");
        }
        if (length < 0 && in.read() != -1) {
            throw new DataFormatException(source + ": wrong length (expected " + p.expected() + " bytes for "
                    + dt.descr + " " + Arrays.toString(p.shape()) + ", found more)");
        }
        return new NpyArray(p.shape(), decode(data, p.count(), dt), dt.descr);
    }

    /** Reads and validates the preamble and header, leaving the stream at the first data byte. */
    private static Parsed header(InputStream in, long length, String source) throws IOException {
        byte[] pre = in.readNBytes(10);
        if (pre.length < 8 || !Arrays.equals(Arrays.copyOf(pre, 6), MAGIC)) {
            if (pre.length < 6 && Arrays.equals(pre, Arrays.copyOf(MAGIC, pre.length))) {
                throw new DataFormatException(source + ": truncated (expected at least 10 bytes of .npy header, found "
                        + pre.length + ")");
            }
            throw new DataFormatException(source + ": bad magic: not a .npy file (expected \\x93NUMPY, found "
                    + printable(pre) + ")");
        }
        int major = pre[6] & 0xFF;
        int minor = pre[7] & 0xFF;
        if (major < 1 || major > 3) {
            throw new DataFormatException(source + ": unsupported .npy format version " + major + "." + minor);
        }
        long headerLen;
        int prefix;
        if (major == 1) {
            if (pre.length < 10) {
                throw new DataFormatException(source + ": truncated (expected 10 bytes of .npy preamble, found "
                        + pre.length + ")");
            }
            headerLen = (pre[8] & 0xFF) | ((pre[9] & 0xFF) << 8);
            prefix = 10;
        } else {
            byte[] rest = in.readNBytes(2);
            if (pre.length < 10 || rest.length < 2) {
                throw new DataFormatException(source + ": truncated (expected 12 bytes of .npy preamble, found "
                        + (pre.length + rest.length) + ")");
            }
            headerLen = ByteBuffer.wrap(new byte[] {pre[8], pre[9], rest[0], rest[1]}).order(ByteOrder.LITTLE_ENDIAN)
                    .getInt() & 0xFFFFFFFFL;
            prefix = 12;
        }
        if (headerLen > (1 << 20) || (length >= 0 && prefix + headerLen > length)) {
            throw new DataFormatException(source + ": truncated or corrupt header (header length " + headerLen
                    + ", file length " + length + ")");
        }
        byte[] hb = in.readNBytes((int) headerLen);
        if (hb.length < headerLen) {
            throw new DataFormatException(source + ": truncated (expected " + (prefix + headerLen)
                    + " header bytes, found " + (prefix + hb.length) + ")");
        }
        String header = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!f.find() || !s.find()) {
            throw new DataFormatException(source + ": malformed .npy header: " + quote(header.trim()));
        }
        if (!d.find()) {
            throw new DataFormatException(source + ": unsupported dtype (structured or missing descr) in header: "
                    + quote(header.trim()));
        }
        Dtype dt = dtype(d.group(1), source);
        if (f.group(1).equals("True")) {
            throw new DataFormatException(source + ": fortran_order is True (column-major); only C-order arrays are "
                    + "supported (save numpy.ascontiguousarray(a) instead)");
        }
        int[] shape = parseShape(s.group(1), source);
        long count = 1;
        for (int dim : shape) {
            count *= dim;
            if (count > Integer.MAX_VALUE - 8) {
                break;
            }
        }
        long dataBytes = count * dt.size;
        if (count > Integer.MAX_VALUE - 8 || dataBytes > Integer.MAX_VALUE - 8) {
            throw new DataFormatException(source + ": wrong dimensions: shape " + Arrays.toString(shape)
                    + " is too large to load into one array");
        }
        long expected = prefix + headerLen + dataBytes;
        if (length >= 0 && length != expected) {
            throw new DataFormatException(source + ": " + (length < expected ? "truncated" : "wrong length")
                    + " (expected " + expected + " bytes for " + dt.descr + " " + Arrays.toString(shape) + ", found "
                    + length + ")");
        }
        return new Parsed(shape, dt, (int) count, dataBytes, expected);
    }

    /** A header quoted in a message: at most 200 characters (a header may be up to 1 MiB). */
    private static String quote(String header) {
        return header.length() <= 200 ? header : header.substring(0, 200) + "... (" + header.length() + " characters)";
    }

    private static int[] parseShape(String body, String source) {
        String[] parts = body.split(",");
        int[] tmp = new int[parts.length];
        int k = 0;
        for (String p : parts) {
            String t = p.trim();
            if (t.isEmpty()) {
                continue;
            }
            if (t.endsWith("L")) {
                t = t.substring(0, t.length() - 1); // Python 2 long literals
            }
            try {
                tmp[k++] = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw new DataFormatException(source + ": wrong dimensions: bad shape (" + body + ")");
            }
            if (tmp[k - 1] < 0) {
                throw new DataFormatException(source + ": wrong dimensions: negative size in shape (" + body + ")");
            }
        }
        return Arrays.copyOf(tmp, k);
    }

    private static double[] decode(byte[] data, int count, Dtype dt) {
        ByteBuffer b = ByteBuffer.wrap(data).order(dt.order);
        double[] v = new double[count];
        switch (dt.kind + "" + dt.size) {
            case "f8" -> b.asDoubleBuffer().get(v);
            case "f4" -> {
                for (int i = 0; i < count; i++) {
                    v[i] = b.getFloat(4 * i);
                }
            }
            case "i8" -> {
                for (int i = 0; i < count; i++) {
                    v[i] = b.getLong(8 * i);
                }
            }
            case "u8" -> {
                for (int i = 0; i < count; i++) {
                    long x = b.getLong(8 * i);
                    v[i] = x >= 0 ? x : (double) (x >>> 1) * 2.0 + (x & 1);
                }
            }
            case "i4" -> {
                for (int i = 0; i < count; i++) {
                    v[i] = b.getInt(4 * i);
                }
            }
            case "u4" -> {
                for (int i = 0; i < count; i++) {
                    v[i] = b.getInt(4 * i) & 0xFFFFFFFFL;
                }
            }
            case "i2" -> {
                for (int i = 0; i < count; i++) {
                    v[i] = b.getShort(2 * i);
                }
            }
            case "u2" -> {
                for (int i = 0; i < count; i++) {
                    v[i] = b.getShort(2 * i) & 0xFFFF;
                }
            }
            case "i1" -> {
                for (int i = 0; i < count; i++) {
                    v[i] = data[i];
                }
            }
            case "u1", "b1" -> {
                for (int i = 0; i < count; i++) {
                    v[i] = data[i] & 0xFF;
                }
            }
            default -> throw new IllegalStateException("dtype " + dt.descr);
        }
        return v;
    }

    private static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.length() == 0 ? "an empty file" : "0x" + sb;
    }

    // ------------------------------------------------------------------ writing

    /** The complete bytes of a .npy file holding a. */
    public static byte[] toBytes(NpyArray a) {
        Dtype dt = dtype(a.dtype(), "NpyArray");
        int[] shape = a.shape();
        StringBuilder sb = new StringBuilder("{'descr': '").append(dt.descr).append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            sb.append(shape[i]).append(shape.length == 1 ? "," : i + 1 < shape.length ? ", " : "");
        }
        sb.append("), }");
        // NumPy pads with spaces and ends the header with a newline so the data starts at a multiple of 64 bytes.
        int prefix = 10;
        int total = pad64(prefix + sb.length() + 1);
        int major = 1;
        if (total - prefix > 0xFFFF) {
            prefix = 12;
            total = pad64(prefix + sb.length() + 1);
            major = 2;
        }
        while (prefix + sb.length() + 1 < total) {
            sb.append(' ');
        }
        sb.append('\n');
        byte[] header = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        double[] v = a.values();
        long dataBytes = (long) v.length * dt.size;
        if (prefix + header.length + dataBytes > Integer.MAX_VALUE - 8) {
            throw new DriftlabException("array " + Arrays.toString(shape) + " is too large for one .npy buffer");
        }
        ByteBuffer b = ByteBuffer.allocate((int) (prefix + header.length + dataBytes)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) header.length);
        } else {
            b.putInt(header.length);
        }
        b.put(header);
        b.order(dt.order);
        encode(b, v, dt);
        return b.array();
    }

    private static int pad64(int n) {
        return (n + 63) / 64 * 64;
    }

    private static void encode(ByteBuffer b, double[] v, Dtype dt) {
        if (dt.kind == 'f') {
            for (double x : v) {
                if (dt.size == 8) {
                    b.putDouble(x);
                } else {
                    b.putFloat((float) x);
                }
            }
            return;
        }
        double lo = dt.kind == 'i' ? -Math.pow(2, 8 * dt.size - 1) : 0;
        double hi = dt.kind == 'b' ? 1 : dt.kind == 'i' ? Math.pow(2, 8 * dt.size - 1) - 1 : Math.pow(2, 8 * dt.size) - 1;
        for (int i = 0; i < v.length; i++) {
            double x = v[i];
            if (x != Math.rint(x) || x < lo || x > hi) {
                throw new IllegalArgumentException("cannot store element " + i + " = " + x + " as " + dt.descr);
            }
            long l = (long) x;
            switch (dt.size) {
                case 1 -> b.put((byte) l);
                case 2 -> b.putShort((short) l);
                case 4 -> b.putInt((int) l);
                default -> b.putLong(l);
            }
        }
    }

    /** Atomically writes a as a .npy file. */
    public static void write(Path file, NpyArray a) {
        AtomicFiles.write(file, toBytes(a));
    }

    /** Atomically writes a float64 .npy with the tensor's shape. */
    public static void write(Path file, Tensor t) {
        write(file, NpyArray.of(t));
    }

    /** Atomically writes a 1-D float64 .npy. */
    public static void write(Path file, double[] values) {
        write(file, NpyArray.of(values));
    }

    /** Atomically writes a 1-D int64 .npy (e.g. labels). */
    public static void writeInt64(Path file, int[] values) {
        write(file, NpyArray.ofInt64(values));
    }

    /**
     * Atomically writes several arrays as an uncompressed .npz (members {@code NAME.npy}, in map order), readable by
     * {@code numpy.load}.
     */
    public static void writeNpz(Path file, Map<String, NpyArray> arrays) {
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
                byte[] bytes = toBytes(e.getValue());
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                // STORED, like numpy.savez: the arrays are mostly incompressible doubles and loading stays fast.
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(bytes.length);
                entry.setCompressedSize(bytes.length);
                CRC32 crc = new CRC32();
                crc.update(bytes);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(bytes);
                zip.closeEntry();
            }
            // finish, not close: closing would close the atomic stream before it is committed.
            zip.finish();
        });
    }

    /**
     * Writes a data set in the layout of the torch peer's {@code --save-data}: {@code X} [N, d] float64 (inputs
     * flattened), {@code y} [N] int64 when there are labels, {@code Y} [N, K] float64 targets (one-hot when not
     * explicit).
     */
    public static void writeDataset(Path file, Dataset ds) {
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("X", NpyArray.of(ds.flatten().inputs()));
        if (ds.hasLabels()) {
            m.put("y", NpyArray.ofInt64(ds.labels()));
        }
        if (ds.hasLabels() || ds.hasExplicitTargets()) {
            m.put("Y", NpyArray.of(ds.targets()));
        }
        writeNpz(file, m);
    }
}
