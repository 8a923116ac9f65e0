package io.msgbridge.offsets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * An OS lock ({@link FileChannel#tryLock()}) on a lock file, which holds the owner's {@code host:pid}
 * while locked so that whoever is refused can name the holder. The lock goes with the process: a
 * crashed daemon leaves no lock behind, only its stale owner text, which the next holder overwrites.
 * The lock file is never deleted (deleting it would let two processes lock two different files).
 *
 * <p>On POSIX systems, closing <em>any</em> descriptor of a file drops every lock this process holds
 * on it. So while this JVM holds a lock file, nothing in this JVM may open it: the locks held here
 * are remembered by path, and a second attempt or a {@link #holder} query is answered from memory.
 */
final class ProcessLock implements AutoCloseable {
    /** What a refusal names when the lock file is empty (its holder is between lock and write). */
    static final String UNKNOWN_OWNER = "unknown owner";

    private static final ConcurrentMap<Path, String> HELD_HERE = new ConcurrentHashMap<>();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private ProcessLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks the file and writes the owner into it; empty when another process (or this one) holds it. */
    static Optional<ProcessLock> tryAcquire(Path lockFile, String owner) throws IOException {
        Path key = key(lockFile);
        if (HELD_HERE.putIfAbsent(key, owner) != null) {
            return Optional.empty();
        }
        try {
            Optional<ProcessLock> acquired = lock(key, owner);
            if (acquired.isEmpty()) {
                HELD_HERE.remove(key);
            }
            return acquired;
        } catch (IOException | RuntimeException e) {
            HELD_HERE.remove(key);
            throw e;
        }
    }

    /** The owner written in the lock file, for a refusal message. */
    static String holder(Path lockFile) {
        Path key = key(lockFile);
        String here = HELD_HERE.get(key);
        if (here != null) {
            return here;
        }
        try {
            String text = Files.readString(key, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? UNKNOWN_OWNER : text;
        } catch (NoSuchFileException e) {
            return UNKNOWN_OWNER;
        } catch (IOException e) {
            return UNKNOWN_OWNER + " (" + e.getMessage() + ")";
        }
    }

    private static Optional<ProcessLock> lock(Path key, String owner) throws IOException {
        Files.createDirectories(key.getParent());
        FileChannel channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((owner + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return Optional.of(new ProcessLock(key, channel, lock));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static Path key(Path lockFile) {
        return lockFile.toAbsolutePath().normalize();
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            try {
                channel.close();
            } finally {
                HELD_HERE.remove(key);
            }
        }
    }
}
