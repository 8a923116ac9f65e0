package io.msgbridge.nsq;

import io.msgbridge.spi.BridgeException;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.RetriableException;

import java.util.Set;

/**
 * Maps nsqd's reply to a publish to the SPI's failures. {@code E_BAD_MESSAGE}, {@code E_BAD_TOPIC},
 * {@code E_BAD_BODY} and {@code E_UNAUTHORIZED} are about the record: permanent for a single record;
 * for an {@code MPUB} of several it is not known which record it was, so the batch is retriable and its
 * records are sent alone next time. Everything else ({@code E_PUB_FAILED}, a lost connection) is
 * retriable.
 */
final class PublishErrors {
    private static final Set<String> ABOUT_THE_RECORD = Set.of("E_BAD_MESSAGE", "E_BAD_TOPIC", "E_BAD_BODY", "E_UNAUTHORIZED");

    private PublishErrors() {
    }

    static boolean aboutTheRecord(NsqError error) {
        return ABOUT_THE_RECORD.contains(error.code());
    }

    static BridgeException of(NsqError error, PublishBatch batch, NsqAddress nsqd) {
        String message = "nsqd " + nsqd + " refused " + batch.verb() + " to topic " + batch.topic()
                + (batch.records().size() > 1 ? " (" + batch.records().size() + " records)" : "") + ": " + error;
        if (aboutTheRecord(error) && batch.records().size() == 1) {
            return new PermanentException(message);
        }
        return new RetriableException(aboutTheRecord(error) ? message + "; its records are sent one by one next" : message);
    }

    static RetriableException lost(NsqAddress nsqd, Exception cause) {
        return new RetriableException("connection to nsqd " + nsqd + " lost before the publish was confirmed"
                + (cause == null ? "" : ": " + cause.getMessage()), cause);
    }
}
