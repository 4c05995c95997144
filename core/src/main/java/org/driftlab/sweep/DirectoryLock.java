package org.driftlab.sweep;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;
import org.driftlab.DriftlabException;

/**
 * A directory held by one process (or thread) at a time: an OS file lock on its {@code .lock} file, released on
 * {@link #close} or when the process dies, so a killed sweep never leaves a stale lock behind. On a shared file
 * system it needs working POSIX locks (NFSv4, Lustre, CephFS).
 */
final class DirectoryLock implements AutoCloseable {
    private final FileChannel channel;

    private DirectoryLock(FileChannel channel) {
        this.channel = channel;
    }

    /** Locks dir (which must exist), or throws what busy supplies when someone else holds it. */
    static DirectoryLock acquire(Path dir, Supplier<? extends RuntimeException> busy) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(dir.resolve(SweepDirectory.LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) { // held by this JVM
                lock = null;
            }
            if (lock == null) {
                ch.close();
                throw busy.get();
            }
            return new DirectoryLock(ch);
        } catch (IOException e) {
            try {
                if (ch != null) {
                    ch.close();
                }
            } catch (IOException ignored) {
                // the lock attempt already failed; that error is the one to report
            }
            throw new DriftlabException("cannot lock " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Releases the lock (closing the channel releases it). */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new DriftlabException("cannot release a directory lock: " + e.getMessage(), e);
        }
    }
}
