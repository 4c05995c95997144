package org.driftlab.experiment;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.driftlab.DriftlabException;

/**
 * Atomic file writes: the bytes go to a temporary file in the same directory (named {@code .tmp-*}, never the
 * final name), are forced to disk, then renamed over the target. A reader sees the old file or the new one,
 * never a partial one. Also a minimal NumPy {@code .npy} v1.0 writer for flat float64 vectors.
 */
public final class AtomicFiles {
    /** Prefix of temporary files; {@link #cleanTemporaries(Path)} removes leftovers of a killed process. */
    public static final String TMP_PREFIX = ".tmp-";

    private AtomicFiles() {}

    /** Body that writes the whole content to a stream. */
    @FunctionalInterface
    public interface Writer {
        /** Writes the content. */
        void write(OutputStream out) throws IOException;
    }

    /** Writes target atomically through a temporary file in the same directory. */
    public static void write(Path target, Writer body) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, TMP_PREFIX + target.getFileName() + "-", "");
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE);
                 OutputStream out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16)) {
                body.write(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new DriftlabException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort; a leftover is removed on the next resume
                }
            }
        }
    }

    /** Writes a UTF-8 text file atomically. */
    public static void writeString(Path target, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    /** Writes a 1-D float64 little-endian NumPy .npy (format 1.0) atomically. */
    public static void writeNpy(Path target, double[] values) {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + values.length + ",), }";
        int unpadded = 6 + 2 + 2 + dict.length() + 1; // magic, version, header length, dict, newline
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        for (double v : values) {
            b.putDouble(v);
        }
        write(target, out -> out.write(b.array()));
    }

    /** Reads a file written by {@link #writeNpy} (tests and resume checks). */
    public static double[] readNpy(Path file) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            if ((b.get(0) & 0xff) != 0x93 || b.get(6) != 1) {
                throw new DriftlabException(file + ": not a NumPy .npy v1 file");
            }
            int headerLen = b.getShort(8) & 0xffff;
            String header = new String(b.array(), 10, headerLen, StandardCharsets.US_ASCII);
            if (!header.contains("'<f8'")) {
                throw new DriftlabException(file + ": expected float64 little-endian, header " + header.trim());
            }
            int start = 10 + headerLen;
            double[] v = new double[(b.capacity() - start) / 8];
            for (int i = 0; i < v.length; i++) {
                v[i] = b.getDouble(start + 8 * i);
            }
            return v;
        } catch (IOException e) {
            throw new DriftlabException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Deletes temporary files left in dir by a killed writer. */
    public static void cleanTemporaries(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith(TMP_PREFIX)).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new DriftlabException("cannot clean " + dir + ": " + e.getMessage(), e);
        }
    }
}
