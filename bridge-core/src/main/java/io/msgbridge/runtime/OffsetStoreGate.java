package io.msgbridge.runtime;

import io.msgbridge.offsets.Claim;
import io.msgbridge.offsets.OffsetStore;
import io.msgbridge.offsets.OffsetStoreException;
import io.msgbridge.offsets.StoredOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.SortedSet;

/**
 * The daemon's one offset store, shared by its pipelines, opened on first use: when PostgreSQL is
 * down at start, each pipeline waits for it (and reports not ready) instead of the daemon failing.
 */
public final class OffsetStoreGate {
    private static final Logger LOG = LoggerFactory.getLogger(OffsetStoreGate.class);
    private final OffsetStore store;
    private boolean open;

    public OffsetStoreGate(OffsetStore store) {
        this.store = store;
    }

    OffsetStore store() {
        return store;
    }

    private synchronized void ensureOpen() throws OffsetStoreException {
        if (!open) {
            store.open();
            open = true;
        }
    }

    Claim claim(String pipeline, String owner, boolean shared) throws OffsetStoreException {
        ensureOpen();
        return store.claim(pipeline, owner, shared);
    }

    Map<String, StoredOffset> load(String pipeline) throws OffsetStoreException {
        ensureOpen();
        return store.load(pipeline);
    }

    SortedSet<String> parkedKeys(String pipeline) throws OffsetStoreException {
        ensureOpen();
        return store.parkedKeys(pipeline);
    }

    void release(Claim claim) {
        try {
            store.release(claim);
        } catch (OffsetStoreException e) {
            LOG.warn("could not release the claim on pipeline {} (another daemon takes it once it expires): {}",
                    claim.pipeline(), e.getMessage());
        }
    }

    public void close() {
        store.close();
    }
}
