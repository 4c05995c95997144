package org.driftlab.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.driftlab.DriftlabException;

/**
 * A result directory (a run, a study, a sweep, a sweep member) owned by one process at a time: an exclusive OS lock
 * ({@link FileChannel#tryLock}) on its {@value #FILE} file, held for the life of the command that writes there and
 * released on {@link #close} or by the operating system when the process dies, so a killed command never leaves a
 * stale lock. This is the one lock of driftlab: runs, studies, sweeps, sweep members and {@code resume} all take it.
 *
 * <p>Within one JVM the lock is re-entrant for the thread that holds it (a sweep member's thread locks the member
 * directory, then the run it starts there locks it again) and refused to every other thread, as to other
 * processes. The holder's process id is written into the lock file, so a refusal can say who holds it.
 *
 * <p>{@link #create} is how a command claims a new directory: the path must be new, or an empty directory (a lock
 * file and the temporaries of a start killed at its first write count as empty); it is
 * created and locked; and {@link #discard} removes it again when the command fails before it has written anything
 * worth resuming, so a refused or failed start leaves nothing behind. On a shared file system the lock needs working
 * POSIX locks (NFSv4, Lustre, CephFS).
 */
public final class DirectoryLock implements AutoCloseable {
    /** The lock file's name in a locked directory (kept after release: deleting it would race with a new locker). */
    public static final String FILE = ".lock";

    /** Locks held by this JVM, by directory: the holding thread and its re-entry count. */
    private static final Map<Path, Held> HELD = new HashMap<>();

    private static final class Held {
        final Thread thread;
        final FileChannel channel;
        int count = 1;

        Held(Thread thread, FileChannel channel) {
            this.thread = thread;
            this.channel = channel;
        }
    }

    private final Path dir;
    private final Path key;
    private final boolean created;
    private boolean open = true;

    private DirectoryLock(Path dir, Path key, boolean created) {
        this.dir = dir;
        this.key = key;
        this.created = created;
    }

    /**
     * Locks an existing directory, or throws what busy makes of a one-line message when another process or thread
     * holds it.
     *
     * @param dir  the directory (must exist)
     * @param busy turns the message ("DIR is in use by another driftlab (process N); ...") into the exception to throw
     * @return the held lock
     */
    public static DirectoryLock acquire(Path dir, Function<String, ? extends RuntimeException> busy) {
        return lock(dir, false, busy);
    }

    /**
     * Locks an existing directory; a busy one is a {@link DriftlabException}.
     *
     * @param dir the directory (must exist)
     * @return the held lock
     */
    public static DirectoryLock acquire(Path dir) {
        return acquire(dir, DriftlabException::new);
    }

    /**
     * Claims a directory for a new result: dir must not exist, or be an empty directory (a lock file alone counts as
     * empty: the trace of a start killed before it wrote anything). It is created (with its parents) and locked, and
     * checked again under the lock.
     *
     * @param dir  the directory to create
     * @param what what will be written there, for messages ("run", "study", "sweep")
     * @return the held lock; {@link #discard} undoes the creation
     */
    public static DirectoryLock create(Path dir, String what) {
        checkNew(dir, what);
        boolean created;
        try {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createDirectory(dir);
            created = true;
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new DriftlabException(dir + " is a file; give a new directory for the " + what);
            }
            created = false; // an empty directory, or one another process has just created: the lock decides
        } catch (IOException e) {
            throw new DriftlabException("cannot create " + dir + ": " + AtomicFiles.describe(e), e);
        }
        DirectoryLock lock = lock(dir, created, DriftlabException::new);
        try {
            requireEmpty(dir, what); // another process may have claimed and filled it meanwhile
            AtomicFiles.cleanTemporaries(dir);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        return lock;
    }

    /**
     * Checks, without creating anything, that {@link #create} can claim dir: a path that does not exist, or an empty
     * directory. Commands call it before printing anything, so a refusal is their only output.
     *
     * @param dir  the directory a command will create
     * @param what what will be written there ("run", "study", "sweep")
     */
    public static void checkNew(Path dir, String what) {
        if (dir.toString().isBlank()) {
            throw new DriftlabException("the output directory is empty; give a directory for the " + what);
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new DriftlabException(dir + " is a file; give a new directory for the " + what);
        }
        requireEmpty(dir, what);
        for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new DriftlabException("cannot create " + dir + ": " + p + " is a file");
                }
                if (!Files.isWritable(p)) {
                    throw new DriftlabException("cannot create " + dir + ": " + p + " is not writable");
                }
                break;
            }
        }
    }

    /** An existing directory must hold nothing ({@link #holdsNothing}). */
    private static void requireEmpty(Path dir, String what) {
        if (Files.isDirectory(dir) && !holdsNothing(dir)) {
            throw new DriftlabException(dir + " already exists and is not empty; give a new or empty directory "
                    + "for the " + what + " (to continue an interrupted one: driftlab resume " + dir + ")");
        }
    }

    /**
     * True when the directory holds nothing but a lock file and temporaries of {@link AtomicFiles}: what a start
     * killed between taking its lock and its first write leaves (never a result; {@link #create} claims such a
     * directory as a new one and removes the temporaries under the lock). The one definition of an empty result
     * directory, for every command that claims or resumes one.
     *
     * @param dir an existing directory
     * @return whether a new result may be started there
     */
    public static boolean holdsNothing(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .allMatch(n -> n.equals(FILE) || n.startsWith(AtomicFiles.TMP_PREFIX));
        } catch (IOException e) {
            throw new DriftlabException("cannot read " + dir + ": " + AtomicFiles.describe(e), e);
        }
    }

    private static DirectoryLock lock(Path dir, boolean created, Function<String, ? extends RuntimeException> busy) {
        Path key;
        try {
            key = dir.toRealPath();
        } catch (IOException e) {
            throw new DriftlabException("cannot lock " + dir + ": " + AtomicFiles.describe(e), e);
        }
        synchronized (HELD) {
            Held h = HELD.get(key);
            if (h != null) {
                if (h.thread != Thread.currentThread()) {
                    throw busy.apply(dir + " is in use by another " + "task of this driftlab (" + h.thread.getName()
                            + "); wait for it to finish");
                }
                h.count++;
                return new DirectoryLock(dir, key, created);
            }
            FileChannel ch = null;
            try {
                ch = FileChannel.open(key.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = ch.tryLock();
                } catch (OverlappingFileLockException e) { // held through another channel of this JVM
                    lock = null;
                }
                if (lock == null) {
                    String holder = holder(ch);
                    ch.close();
                    throw busy.apply(dir + " is in use by another driftlab" + holder + "; wait for it to finish, or "
                            + "choose another directory");
                }
                ch.truncate(0);
                ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                HELD.put(key, new Held(Thread.currentThread(), ch));
                return new DirectoryLock(dir, key, created);
            } catch (IOException e) {
                closeQuietly(ch);
                throw new DriftlabException("cannot lock " + dir + ": " + AtomicFiles.describe(e), e);
            }
        }
    }

    /** " (process N)" from the holder's lock file, or "" when it cannot be read. */
    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(24);
            ch.read(b, 0);
            String pid = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
            return pid.matches("[0-9]{1,19}") ? " (process " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** True when {@link #create} made the directory (rather than finding it empty). */
    public boolean created() {
        return created;
    }

    /**
     * Undoes {@link #create}: deletes what was written into the directory, the directory itself when this lock
     * created it, and releases the lock. For a command that failed before it wrote anything worth resuming.
     */
    public void discard() {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir) && !p.equals(dir.resolve(FILE))) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            close();
            throw new DriftlabException("cannot remove " + dir + " after the failed start: " + AtomicFiles.describe(e),
                    e);
        }
        boolean last = release();
        if (created && last) {
            try {
                Files.deleteIfExists(dir.resolve(FILE));
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                throw new DriftlabException("cannot remove " + dir + " after the failed start: "
                        + AtomicFiles.describe(e), e);
            }
        }
    }

    /** Releases the lock (the outermost release of a re-entered lock closes the file and frees it). */
    @Override
    public void close() {
        release();
    }

    /** Releases; true when this was the outermost hold (the lock is free now). */
    private boolean release() {
        if (!open) {
            return false;
        }
        open = false;
        synchronized (HELD) {
            Held h = HELD.get(key);
            if (h != null && --h.count == 0) {
                HELD.remove(key);
                closeQuietly(h.channel);
                return true;
            }
            return false;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // releasing: the OS frees the lock with the descriptor either way
            }
        }
    }
}
