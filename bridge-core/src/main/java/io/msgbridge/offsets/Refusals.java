package io.msgbridge.offsets;

import java.time.Duration;
import java.time.Instant;

/** The refusals both stores give, worded once so operators see the same text whatever the store. */
final class Refusals {
    /** The owner a pipeline's claim passes to when an operator sets its position, fencing the last owner. */
    static final String OPERATOR = "operator (offsets set)";

    private Refusals() {
    }

    /**
     * A live claim of another owner. {@code remaining} is the lease's time left by the store's own clock
     * (PostgreSQL's, not this host's), so the refused daemon can ask again when it expires.
     */
    static OffsetStoreException claimedBy(String pipeline, String owner, long epoch, Instant until, Duration remaining) {
        return new OffsetStoreException("pipeline " + pipeline + " is claimed by " + owner + " (epoch " + epoch
                + ") until " + until + "; it runs there", remaining);
    }

    static OffsetStoreException lostTo(String pipeline, String owner, long epoch) {
        return new OffsetStoreException("claim of pipeline " + pipeline + " lost to " + owner + " (epoch " + epoch
                + ")", false, null);
    }

    static OffsetStoreException beingRun(String pipeline, String ownerDetail) {
        return new OffsetStoreException("pipeline " + pipeline + " is being run by a daemon (owner " + ownerDetail
                + "); stop it first", false, null);
    }
}
