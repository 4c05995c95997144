package org.driftlab.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.driftlab.DriftlabException;

/**
 * Atomic file replacement: content goes to a temporary file in the target's directory, is forced to disk, and is
 * then renamed over the target with {@code ATOMIC_MOVE, REPLACE_EXISTING}. A reader therefore sees either the old
 * file or the complete new one, never a half-written result, even if the process is killed mid-write. Missing parent
 * directories are created. I/O failures become a {@link DriftlabException} naming the target.
 */
public final class AtomicFiles {
    /** Prefix of every temporary file; {@link #cleanTemporaries(Path)} removes leftovers of a killed writer. */
    public static final String TMP_PREFIX = ".tmp-";

    private AtomicFiles() {}

    /** Deletes temporary files a killed writer left in dir (called before a run directory is reused). */
    public static void cleanTemporaries(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.getFileName().toString().startsWith(TMP_PREFIX)).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new DriftlabException("cannot clean " + dir + ": " + describe(e), e);
        }
    }

    /** Writes content to an output stream; may throw IOException. */
    @FunctionalInterface
    public interface StreamWriter {
        /**
         * Writes the whole content.
         *
         * @param out the temporary file's stream; do not close it
         * @throws IOException to abandon the write (the target is left as it was)
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Atomically replaces target with bytes. */
    public static void write(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    /** Atomically replaces target with text encoded as UTF-8. */
    public static void writeString(Path target, String text) {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Atomically replaces target with whatever writer produces. If writer throws, the target is left untouched and
     * the temporary file is removed.
     */
    public static void write(Path target, StreamWriter writer) {
        try (AtomicOutputStream out = newOutputStream(target)) {
            writer.writeTo(out);
            out.commit();
        } catch (IOException e) {
            throw new DriftlabException("cannot write " + target + ": " + describe(e), e);
        }
    }

    /**
     * Opens a stream whose content replaces target only when {@link AtomicOutputStream#commit()} is called. Closing
     * without committing discards the content, so the idiom
     * {@code try (var out = AtomicFiles.newOutputStream(p)) { ...; out.commit(); }} never publishes a partial file
     * when an exception escapes the block.
     */
    public static AtomicOutputStream newOutputStream(Path target) {
        if (target.toString().isBlank()) { // an empty option value: never a file in the current directory
            throw new DriftlabException("the output file name is empty; give a file to write");
        }
        try {
            return new AtomicOutputStream(target);
        } catch (IOException e) {
            throw new DriftlabException("cannot write " + target + ": " + describe(e), e);
        }
    }

    /**
     * What went wrong with a file, in words a user can act on and without the exception's class name: "no such file
     * or directory", "permission denied", "is a directory", "no space left on device", "not valid UTF-8 text".
     *
     * @param e the file system's or a parser's exception
     * @return a short lower-case phrase
     */
    public static String describe(Throwable e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof java.nio.file.NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof java.nio.file.DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return lower(f.getReason()); // e.g. "Is a directory", "Read-only file system", "No space left on device"
        }
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return "not valid UTF-8 text";
        }
        if (e instanceof java.io.EOFException) {
            return "unexpected end of file";
        }
        String m = e.getMessage();
        if (e instanceof java.util.zip.ZipException) {
            return m == null ? "corrupt data" : lower(m);
        }
        return m == null || m.isBlank() ? "input/output error" : lower(m);
    }

    private static String lower(String m) {
        return m.length() > 1 && Character.isUpperCase(m.charAt(0)) && Character.isLowerCase(m.charAt(1))
                ? Character.toLowerCase(m.charAt(0)) + m.substring(1) : m;
    }

    /** An output stream onto a temporary file that is renamed over its target by {@link #commit()}. */
    public static final class AtomicOutputStream extends OutputStream {
        private final Path target;
        private final Path temp;
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        private boolean committed;
        private boolean closed;

        private AtomicOutputStream(Path target) throws IOException {
            this.target = target.toAbsolutePath();
            Path dir = this.target.getParent();
            Files.createDirectories(dir);
            // Same directory as the target, so the final rename stays within one file system and can be atomic.
            this.temp = createTemp(dir, TMP_PREFIX + this.target.getFileName() + "-");
            this.channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        }

        /**
         * A new empty file named prefix + a random number. Not Files.createTempFile: that makes the file readable by
         * its owner only, and the rename would carry those permissions to every result file; this one gets the
         * permissions of any file the user creates (the umask).
         */
        private static Path createTemp(Path dir, String prefix) throws IOException {
            for (int attempt = 0; ; attempt++) {
                Path p = dir.resolve(prefix + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current()
                        .nextLong(), 36) + ".tmp");
                try {
                    return Files.createFile(p);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    if (attempt > 100) {
                        throw e;
                    }
                }
            }
        }

        @Override
        public void write(int b) throws IOException {
            ensureOpen();
            if (!buffer.hasRemaining()) {
                drain();
            }
            buffer.put((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ensureOpen();
            if (len > buffer.remaining()) {
                drain();
                if (len > buffer.capacity()) {
                    ByteBuffer whole = ByteBuffer.wrap(b, off, len);
                    while (whole.hasRemaining()) {
                        channel.write(whole);
                    }
                    return;
                }
            }
            buffer.put(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            ensureOpen();
            drain();
        }

        private void drain() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }

        private void ensureOpen() throws IOException {
            if (closed || committed) {
                throw new IOException("stream for " + target + " is already closed");
            }
        }

        /** Flushes, forces the data to disk, closes, and renames the temporary file over the target. */
        public void commit() throws IOException {
            ensureOpen();
            drain();
            channel.force(true);
            channel.close();
            committed = true;
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // Some file systems (e.g. certain network mounts) refuse atomic renames; a plain replace is the
                // best that is available there.
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        }

        /** Discards the content unless {@link #commit()} was called. */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (!committed) {
                try {
                    channel.close();
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
        }
    }
}
