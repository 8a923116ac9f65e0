package io.msgbridge.offsets;

import io.msgbridge.spi.Position;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A second process for {@link FileOffsetStoreTest}: opens the offsets file given as argument as a
 * daemon, claims and commits pipeline {@code orders}, prints {@code ready <owner>}, and holds the file
 * until its standard input closes. Prints {@code refused <message>} instead when it cannot open it.
 */
public final class FileStoreHolder {
    private FileStoreHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (FileOffsetStore store = new FileOffsetStore(Path.of(args[0]), Duration.ofMinutes(5))) {
            try {
                store.open();
            } catch (OffsetStoreException e) {
                System.out.println("refused " + e.getMessage());
                return;
            }
            Claim claim = store.claim("orders", LocalOwner.id());
            store.commit(claim, List.of(new OffsetCommit(new Position("p0", "5", 5), 5)));
            System.out.println("ready " + LocalOwner.id());
            System.out.flush();
            while (System.in.read() != -1) {
                continue;
            }
        }
    }
}
