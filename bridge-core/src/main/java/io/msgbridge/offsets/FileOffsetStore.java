package io.msgbridge.offsets;

import io.msgbridge.config.OffsetsConfig;
import io.msgbridge.offsets.OffsetsDocument.ClaimEntry;
import io.msgbridge.spi.Position;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The embedded store for a single node: one JSON file, rewritten atomically on every change (see
 * {@link AtomicFile}).
 *
 * <h2>Two ways to open it</h2>
 * <ul>
 *   <li><b>Daemon</b>, {@link #FileOffsetStore(Path, Duration)}: {@link #open()} takes an OS lock on
 *   {@code <file>.lock} (writing {@code host:pid} into it) and holds it until {@link #close()}. A second
 *   process opening the same file is refused, non-retriably, naming the holder, with a hint to try
 *   again in {@link #LOCK_RECHECK}. Every operation works on the state in memory and writes it through.</li>
 *   <li><b>Operator</b>, {@link #forOperator(Path)}: for {@code bridge offsets list|set} beside a
 *   possibly running daemon. {@code list} and {@code load} read the file without any lock (the
 *   atomic rename guarantees a whole state). {@code set} takes the lock for its own write only, and
 *   refuses while a daemon holds it: "pipeline X is being run by a daemon (owner host:pid); stop it
 *   first". {@code claim}, {@code commit} and {@code release} are not for operators and throw
 *   {@link IllegalStateException}.</li>
 * </ul>
 *
 * <h2>Claims</h2>
 * The file records each pipeline's last claim (owner, epoch); each claim increments the epoch. Lease
 * expiry lives in memory only: holding the process lock proves that no other daemon is alive, so a
 * claim left in the file by an earlier process is expired by definition. Within the process, a claim
 * lives for the lease time since the last claim or commit, as in PostgreSQL.
 */
public final class FileOffsetStore implements OffsetStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileOffsetStore.class);

    private enum Mode { DAEMON, OPERATOR }

    /**
     * When a daemon refused the file because another process holds its lock asks again. The lock has
     * no expiry to wait for: it is free the moment its holder exits, so the waiting daemon looks often.
     */
    static final Duration LOCK_RECHECK = Duration.ofSeconds(1);

    private final OffsetsFile file;
    private final Path lockFile;
    private final Duration leaseTtl;
    private final InstantSource clock;
    private final Mode mode;
    private final ReentrantLock mutex = new ReentrantLock();
    private final Map<String, Instant> leaseExpiry = new HashMap<>();
    private ProcessLock processLock;
    private OffsetsDocument document;

    /** A store for the daemon; {@link #open()} locks the file for this process. */
    public FileOffsetStore(Path file, Duration leaseTtl) {
        this(file, leaseTtl, InstantSource.system(), Mode.DAEMON);
    }

    FileOffsetStore(Path file, Duration leaseTtl, InstantSource clock) {
        this(file, leaseTtl, clock, Mode.DAEMON);
    }

    private FileOffsetStore(Path file, Duration leaseTtl, InstantSource clock, Mode mode) {
        this.file = new OffsetsFile(Objects.requireNonNull(file, "file"));
        this.lockFile = this.file.path().resolveSibling(this.file.path().getFileName() + ".lock");
        this.leaseTtl = Objects.requireNonNull(leaseTtl, "leaseTtl");
        this.clock = clock;
        this.mode = mode;
    }

    /**
     * A store for operator commands on the file a daemon may be running with: reads without the lock,
     * {@code set} only while no daemon holds it. Not opened yet; {@link #open()} checks the file reads.
     */
    public static FileOffsetStore forOperator(Path file) {
        return new FileOffsetStore(file, OffsetsConfig.MIN_LEASE, InstantSource.system(), Mode.OPERATOR);
    }

    /** The offsets file. */
    public Path path() {
        return file.path();
    }

    /** The lock file next to it, {@code <file>.lock}, holding the daemon's {@code host:pid} while locked. */
    public Path lockFile() {
        return lockFile;
    }

    AtomicFile atomicFile() {
        return file.atomicFile();
    }

    @Override
    public void open() throws OffsetStoreException {
        mutex.lock();
        try {
            if (mode == Mode.OPERATOR) {
                file.read();
                return;
            }
            if (processLock != null) {
                return;
            }
            ProcessLock lock = acquireLock().orElseThrow(() -> new OffsetStoreException("offsets file " + path()
                    + " is in use by another daemon (owner " + ProcessLock.holder(lockFile) + ", lock file "
                    + lockFile + "): one process at a time uses an offsets file; stop the other one, or use PostgreSQL"
                    + " offsets, which several daemons and dlq replay can share", LOCK_RECHECK));
            try {
                file.atomicFile().discardStrayTemp();
                document = file.read();
            } catch (IOException | OffsetStoreException | RuntimeException e) {
                closeQuietly(lock, e);
                throw e instanceof OffsetStoreException ose ? ose : new OffsetStoreException(
                        "cannot open offsets file " + path() + ": " + e.getMessage(), true, e);
            }
            processLock = lock;
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public Claim claim(String pipeline, String owner, boolean shared) throws OffsetStoreException {
        mutex.lock();
        try {
            requireDaemon("claim");
            Instant now = clock.instant();
            Optional<ClaimEntry> current = document.claim(pipeline);
            Instant expiry = leaseExpiry.get(pipeline);
            if (current.isPresent() && expiry != null && now.isBefore(expiry) && !current.get().owner().equals(owner)) {
                throw Refusals.claimedBy(pipeline, current.get().owner(), current.get().epoch(), expiry,
                        Duration.between(now, expiry));
            }
            long epoch = current.map(ClaimEntry::epoch).orElse(0L) + 1;
            writeThrough(document.withClaim(pipeline, new ClaimEntry(owner, epoch)));
            leaseExpiry.put(pipeline, now.plus(leaseTtl));
            return new Claim(pipeline, owner, epoch, shared);
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public void release(Claim claim) throws OffsetStoreException {
        mutex.lock();
        try {
            requireDaemon("release");
            if (holds(claim)) {
                leaseExpiry.remove(claim.pipeline());
            }
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public Map<String, StoredOffset> load(String pipeline) throws OffsetStoreException {
        return current().offsets(pipeline).stream()
                .collect(Collectors.toUnmodifiableMap(StoredOffset::partition, Function.identity()));
    }

    @Override
    public SortedSet<String> parkedKeys(String pipeline) throws OffsetStoreException {
        return current().parkedKeys(pipeline);
    }

    @Override
    public void commit(Claim claim, Collection<OffsetCommit> offsets, Optional<Set<String>> parkedKeys) throws OffsetStoreException {
        mutex.lock();
        try {
            requireDaemon("commit");
            if (!holds(claim)) {
                ClaimEntry now = document.claim(claim.pipeline()).orElse(new ClaimEntry("nobody", 0));
                throw Refusals.lostTo(claim.pipeline(), now.owner(), now.epoch());
            }
            Instant now = clock.instant();
            OffsetsDocument next = offsets.isEmpty() ? document : document.withCommits(claim.pipeline(), offsets, now);
            if (parkedKeys.isPresent()) {
                next = next.withParkedKeys(claim.pipeline(), parkedKeys.get());
            }
            if (next != document) {
                writeThrough(next);
            }
            leaseExpiry.put(claim.pipeline(), now.plus(leaseTtl));
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public List<StoredOffset> list(Optional<String> pipeline) throws OffsetStoreException {
        OffsetsDocument snapshot = current();
        return pipeline.map(snapshot::offsets).orElseGet(snapshot::allOffsets);
    }

    @Override
    public void set(String pipeline, Position position) throws OffsetStoreException {
        mutex.lock();
        try {
            if (mode == Mode.OPERATOR) {
                setAsOperator(pipeline, position);
                return;
            }
            requireOpen();
            Instant now = clock.instant();
            Instant expiry = leaseExpiry.get(pipeline);
            Optional<ClaimEntry> claim = document.claim(pipeline);
            if (claim.isPresent() && expiry != null && now.isBefore(expiry)) {
                throw Refusals.beingRun(pipeline, claim.get().owner() + ", claimed until " + expiry);
            }
            writeThrough(fenced(document, pipeline).withPosition(pipeline, position, now));
            leaseExpiry.remove(pipeline);
        } finally {
            mutex.unlock();
        }
    }

    @Override
    public void close() {
        mutex.lock();
        try {
            if (processLock != null) {
                closeQuietly(processLock, null);
                processLock = null;
            }
            leaseExpiry.clear();
            document = null;
        } finally {
            mutex.unlock();
        }
    }

    private void setAsOperator(String pipeline, Position position) throws OffsetStoreException {
        Optional<ProcessLock> lock = acquireLock();
        if (lock.isEmpty()) {
            throw Refusals.beingRun(pipeline, ProcessLock.holder(lockFile));
        }
        try {
            file.atomicFile().discardStrayTemp();
            OffsetsDocument stored = file.read();
            file.write(fenced(stored, pipeline).withPosition(pipeline, position, clock.instant()));
        } catch (IOException e) {
            throw new OffsetStoreException("cannot set offsets in " + path() + ": " + e.getMessage(), true, e);
        } finally {
            closeQuietly(lock.get(), null);
        }
    }

    /** Increments the epoch of the pipeline's last claim, so that its owner can no longer commit. */
    private static OffsetsDocument fenced(OffsetsDocument document, String pipeline) {
        return document.claim(pipeline)
                .map(c -> document.withClaim(pipeline, new ClaimEntry(Refusals.OPERATOR, c.epoch() + 1)))
                .orElse(document);
    }

    private boolean holds(Claim claim) {
        return document.claim(claim.pipeline())
                .filter(c -> c.epoch() == claim.epoch() && c.owner().equals(claim.owner()))
                .isPresent();
    }

    private OffsetsDocument current() throws OffsetStoreException {
        if (mode == Mode.OPERATOR) {
            return file.read();
        }
        mutex.lock();
        try {
            requireOpen();
            return document;
        } finally {
            mutex.unlock();
        }
    }

    private void writeThrough(OffsetsDocument next) throws OffsetStoreException {
        file.write(next);
        document = next;
    }

    private Optional<ProcessLock> acquireLock() throws OffsetStoreException {
        try {
            return ProcessLock.tryAcquire(lockFile, LocalOwner.id());
        } catch (IOException e) {
            throw new OffsetStoreException("cannot lock offsets file " + path() + " (lock file " + lockFile + "): "
                    + e.getMessage(), false, e);
        }
    }

    private void requireDaemon(String operation) {
        if (mode == Mode.OPERATOR) {
            throw new IllegalStateException(operation + " needs a daemon store; " + path()
                    + " was opened for operator commands (list, set)");
        }
        requireOpen();
    }

    private void requireOpen() {
        if (processLock == null) {
            throw new IllegalStateException("offsets file " + path() + " is not open");
        }
    }

    private void closeQuietly(ProcessLock lock, Exception primary) {
        try {
            lock.close();
        } catch (IOException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            } else {
                LOG.warn("cannot release the lock on {}: {}", lockFile, e.toString());
            }
        }
    }
}
