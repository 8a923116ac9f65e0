package io.msgbridge.offsets;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;

/**
 * Where each pipeline stands, committed atomically. Thread-safe: the committers of several pipelines
 * and the operator commands call it concurrently. Every method may block on I/O.
 */
public interface OffsetStore extends AutoCloseable {

    /**
     * Prepares the store (PostgreSQL: connects, creates and migrates the schema; file: reads the file).
     *
     * @throws OffsetStoreException retriable when the store cannot be reached
     */
    void open() throws OffsetStoreException;

    /**
     * Claims a pipeline for this daemon, with a fencing epoch higher than any before. A claim held by
     * another owner that is still alive (renewed within the lease time) is refused with a non-retriable
     * exception naming that owner, whose {@link OffsetStoreException#retryAfter()} is the lease's time
     * left. A live claim of the same owner is taken over at once: the owner is an {@link InstanceId},
     * and the process of that instance that held the claim is gone or is fenced off by the new epoch.
     */
    default Claim claim(String pipeline, String owner) throws OffsetStoreException {
        return claim(pipeline, owner, false);
    }

    /**
     * {@link #claim(String, String)}, or with {@code shared}, a claim of this owner beside the live
     * claims of other owners that also claimed the pipeline shared: their sources share the partitions
     * (a consumer group), each commits the partitions it reads, and a commit never moves a partition's
     * stored position back (a partition given up may still be committed late by its last owner). A
     * shared claim is refused while a live claim takes the pipeline for one daemon alone, and the
     * other way round. A store of one daemon (the file) takes a shared claim as a claim.
     */
    Claim claim(String pipeline, String owner, boolean shared) throws OffsetStoreException;

    /** Gives a claim up (on clean shutdown), so another daemon or {@code offsets set} may take it at once. */
    void release(Claim claim) throws OffsetStoreException;

    /** The committed state of a pipeline's partitions, keyed by partition. */
    Map<String, StoredOffset> load(String pipeline) throws OffsetStoreException;

    /**
     * The keys the pipeline had parked ({@code on-poison: park-key}) at its last commit, sorted: their
     * later records must stay held after a restart or a move to another daemon, until an operator
     * releases or skips them.
     */
    SortedSet<String> parkedKeys(String pipeline) throws OffsetStoreException;

    /**
     * Commits all given partitions of one pipeline in one transaction and renews the claim; an empty
     * collection only renews the claim. {@code parkedKeys}, when present, replaces the pipeline's
     * parked keys in the same transaction, so a commit past a record that parked its key also keeps
     * the key parked. Refused (non-retriable) when the claim has been taken over.
     */
    void commit(Claim claim, Collection<OffsetCommit> offsets, Optional<Set<String>> parkedKeys) throws OffsetStoreException;

    /** {@link #commit(Claim, Collection, Optional)} leaving the parked keys as they are. */
    default void commit(Claim claim, Collection<OffsetCommit> offsets) throws OffsetStoreException {
        commit(claim, offsets, Optional.empty());
    }

    /** Every stored partition, of one pipeline or all, ordered by pipeline and partition. */
    List<StoredOffset> list(Optional<String> pipeline) throws OffsetStoreException;

    /**
     * Sets a pipeline partition's stored position (operator command). Refused, naming the owner, while
     * a daemon holds a live claim on the pipeline.
     */
    void set(String pipeline, io.msgbridge.spi.Position position) throws OffsetStoreException;

    /** Releases connections and files. Idempotent. */
    @Override
    void close();
}
