package io.msgbridge.offsets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A file replaced whole and atomically: the new content goes to a temp file in the same directory,
 * which is fsynced, renamed over the old file, and the directory fsynced. A crash at any point leaves
 * either the old or the new content, never a mix; a crash before the rename leaves a stray temp file,
 * which the next writer discards.
 */
final class AtomicFile {
    /** Runs between the fsync of the temp file and the rename; tests use it to fail a write there. */
    @FunctionalInterface
    interface BeforeRename {
        void run(Path temp) throws IOException;
    }

    private final Path file;
    private final Path temp;
    private volatile BeforeRename beforeRename = temp -> { };

    AtomicFile(Path file) {
        this.file = file.toAbsolutePath();
        this.temp = this.file.resolveSibling(this.file.getFileName() + ".tmp");
    }

    Path path() {
        return file;
    }

    Path tempPath() {
        return temp;
    }

    void beforeRename(BeforeRename hook) {
        this.beforeRename = hook;
    }

    /** The current content, or empty when the file does not exist yet. */
    Optional<byte[]> read() throws IOException {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Deletes a temp file left by a writer that crashed before its rename. Only the lock holder may. */
    boolean discardStrayTemp() throws IOException {
        return Files.deleteIfExists(temp);
    }

    void write(byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            beforeRename.run(temp);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
    }
}
