package io.msgbridge.pulsar;

import org.apache.pulsar.client.api.MessageId;
import org.apache.pulsar.client.api.MessageIdAdv;
import org.apache.pulsar.client.impl.MessageIdImpl;
import org.apache.pulsar.common.naming.TopicName;

import java.io.IOException;
import java.util.Base64;
import java.util.Comparator;

/**
 * Pulsar {@link MessageId}s as the bridge stores them.
 *
 * <p><b>Offset token:</b> the URL-safe base64 (no padding) of {@link MessageId#toByteArray()}, which keeps
 * ledger, entry, batch index and batch size and round-trips through {@link MessageId#fromByteArray}.
 * For operators ({@code bridge offsets set}), {@code LEDGER:ENTRY} is accepted as well: it stands for
 * that whole entry.
 *
 * <p><b>Sequence:</b> ledger ids of a topic grow as the broker rolls ledgers, entry ids grow within a
 * ledger and batch indexes within an entry, so {@code ledger << 32 | entry << 12 | (batchIndex + 1)}
 * grows with the partition's order. It fits while ledger &lt; 2^31, entry &lt; 2^20 (the broker rolls a
 * ledger at 50,000 entries by default) and batch index &lt; 4095; a message outside that range gets
 * {@link io.msgbridge.spi.Position#NO_SEQUENCE}.
 */
final class MessageIds {
    private static final long MAX_LEDGER = (1L << 31) - 1;
    private static final long MAX_ENTRY = (1L << 20) - 1;
    private static final int MAX_BATCH_INDEX = (1 << 12) - 2;

    /** Orders message ids of one partition by ledger, entry and batch index. */
    static final Comparator<MessageIdAdv> ORDER = Comparator.comparingLong(MessageIdAdv::getLedgerId)
            .thenComparingLong(MessageIdAdv::getEntryId)
            .thenComparingInt(MessageIdAdv::getBatchIndex);

    private MessageIds() {
    }

    static String token(MessageId id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.toByteArray());
    }

    /**
     * The message id a token stands for, on {@code partition} (a full topic partition name).
     *
     * @throws IllegalArgumentException when the token is neither form
     */
    static MessageIdAdv parse(String token, String partition) {
        if (token.matches("\\d+:\\d+")) {
            String[] parts = token.split(":");
            return new MessageIdImpl(Long.parseLong(parts[0]), Long.parseLong(parts[1]), TopicName.getPartitionIndex(partition));
        }
        try {
            return (MessageIdAdv) MessageId.fromByteArray(Base64.getUrlDecoder().decode(token));
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("not a Pulsar message id token: \"" + token
                    + "\" (expected base64 of MessageId.toByteArray(), or LEDGER:ENTRY)", e);
        }
    }

    /** The packed sequence of {@code id}, or {@link io.msgbridge.spi.Position#NO_SEQUENCE} when it does not fit. */
    static long sequence(MessageId id) {
        if (!(id instanceof MessageIdAdv adv)) {
            return io.msgbridge.spi.Position.NO_SEQUENCE;
        }
        long ledger = adv.getLedgerId();
        long entry = adv.getEntryId();
        int batch = Math.max(-1, adv.getBatchIndex());
        if (ledger < 0 || ledger > MAX_LEDGER || entry < 0 || entry > MAX_ENTRY || batch > MAX_BATCH_INDEX) {
            return io.msgbridge.spi.Position.NO_SEQUENCE;
        }
        return ledger << 32 | entry << 12 | (batch + 1);
    }

    /** For logs: {@code ledger:entry} or {@code ledger:entry:batch}. */
    static String readable(MessageId id) {
        if (id instanceof MessageIdAdv adv) {
            return adv.getLedgerId() + ":" + adv.getEntryId() + (adv.getBatchIndex() >= 0 ? ":" + adv.getBatchIndex() : "");
        }
        return id.toString();
    }
}
