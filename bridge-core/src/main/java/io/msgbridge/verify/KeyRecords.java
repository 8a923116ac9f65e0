package io.msgbridge.verify;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The records of one key on one side, in the order that side holds them: per record a digest of its
 * payload and where it stands (an index into the side's partition names and a sequence). Primitive
 * arrays, so a side of millions of records stays small.
 */
final class KeyRecords {
    private long[] digests = new long[4];
    private int[] partitions = new int[4];
    private long[] sequences = new long[4];
    private int size;

    void add(long digest, int partition, long sequence) {
        if (size == digests.length) {
            digests = Arrays.copyOf(digests, size * 2);
            partitions = Arrays.copyOf(partitions, size * 2);
            sequences = Arrays.copyOf(sequences, size * 2);
        }
        digests[size] = digest;
        partitions[size] = partition;
        sequences[size] = sequence;
        size++;
    }

    int size() {
        return size;
    }

    long digest(int i) {
        return digests[i];
    }

    int partition(int i) {
        return partitions[i];
    }

    long sequence(int i) {
        return sequences[i];
    }

    /** The first 8 bytes of the payload's SHA-256: what two records are compared by. */
    static long digestOf(byte[] payload) {
        return ByteBuffer.wrap(sha256().digest(payload)).getLong();
    }

    /**
     * An order-sensitive checksum of the records at {@code indexes}: SHA-256 over their digests in that
     * order, the first 16 hex digits. Equal on both sides exactly when the same payloads are there in
     * the same order.
     */
    String checksum(int[] indexes) {
        MessageDigest sha = sha256();
        ByteBuffer buffer = ByteBuffer.allocate(Long.BYTES);
        for (int i : indexes) {
            sha.update(buffer.clear().putLong(digests[i]).array());
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
