package org.driftlab.landscape;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.driftlab.DriftlabException;

/**
 * The finished points of a landscape, appended one record at a time as workers finish them ({@code points.bin}):
 * an 8-byte header, then 28-byte records (point index, loss, accuracy as raw IEEE bits, CRC-32 of the 20 bytes
 * before it). A kill can only tear the record being written; {@link #open} keeps the valid prefix, cuts the rest
 * and continues after it, so a resumed landscape holds the same bits as an uninterrupted one. An append-only log
 * rather than one atomic file per point: a 101 × 101 grid would otherwise leave ten thousand files.
 */
final class PointLog implements Closeable {
    static final String FILE = "points.bin";
    private static final int MAGIC = 0x444C4C53; // "DLLS"
    private static final int VERSION = 1;
    private static final int HEADER = 8;
    private static final int RECORD = 28;

    private final FileChannel channel;
    private final Map<Integer, double[]> done;

    private PointLog(FileChannel channel, Map<Integer, double[]> done) {
        this.channel = channel;
        this.done = done;
    }

    /** Opens (creating) the log in dir, reads its valid records and cuts anything after them. */
    static PointLog open(Path dir, int points) {
        Path file = dir.resolve(FILE);
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            Map<Integer, double[]> done = new TreeMap<>();
            long size = ch.size();
            if (size < HEADER) {
                ch.truncate(0);
                ByteBuffer h = ByteBuffer.allocate(HEADER).putInt(MAGIC).putInt(VERSION).flip();
                writeFully(ch, h, 0);
                size = HEADER;
            } else {
                ByteBuffer h = ByteBuffer.allocate(HEADER);
                readFully(ch, h, 0);
                if (h.getInt(0) != MAGIC || h.getInt(4) != VERSION) {
                    ch.close();
                    throw new DriftlabException(file + " is not a landscape point log");
                }
            }
            long valid = HEADER;
            ByteBuffer r = ByteBuffer.allocate(RECORD);
            CRC32 crc = new CRC32();
            while (valid + RECORD <= size) {
                r.clear();
                readFully(ch, r, valid);
                crc.reset();
                crc.update(r.array(), 0, RECORD - 8);
                int index = r.getInt(0);
                if (r.getLong(RECORD - 8) != crc.getValue() || index < 0 || index >= points) {
                    break;
                }
                done.put(index, new double[] {r.getDouble(4), r.getDouble(12)});
                valid += RECORD;
            }
            ch.truncate(valid);
            ch.position(valid);
            return new PointLog(ch, done);
        } catch (IOException e) {
            throw new DriftlabException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** The points read at open: index → {loss, accuracy}. */
    Map<Integer, double[]> done() {
        return done;
    }

    /** Appends one finished point (thread-safe). */
    synchronized void append(int index, double loss, double accuracy) {
        ByteBuffer r = ByteBuffer.allocate(RECORD);
        r.putInt(index).putDouble(loss).putDouble(accuracy);
        CRC32 crc = new CRC32();
        crc.update(r.array(), 0, RECORD - 8);
        r.putLong(crc.getValue()).flip();
        try {
            while (r.hasRemaining()) {
                channel.write(r);
            }
        } catch (IOException e) {
            throw new DriftlabException("cannot write " + FILE + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new DriftlabException("cannot close " + FILE + ": " + e.getMessage(), e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b, at + b.position());
        }
    }
}
