package io.msgbridge.kafka;

import io.msgbridge.backend.ClientFailures;
import io.msgbridge.backend.DurationText;
import io.msgbridge.spi.BridgeException;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.RetriableException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;


/**
 * Maps what kafka-clients throws or fails a send with to the SPI's exceptions, with pipeline, connection
 * and topic in the message, and never a password:
 * <ul>
 *   <li>on start: refused authentication (SASL, TLS handshake), refused authorisation and an unsupported
 *       broker: permanent (the pipeline fails, others go on); no answer in time and anything else: retriable;</li>
 *   <li>on publish: a record too large, an invalid topic name, a record or timestamp the broker refuses,
 *       serialisation and authorisation errors: permanent (dead-lettered); a topic that does not exist
 *       (where the brokers do not create topics, the producer waits for its metadata until
 *       {@code max-block} and gives up), refused authentication and timeouts: the destination is
 *       unavailable (retried without using up attempts); not enough replicas, leader changes,
 *       disconnects and anything else: retriable, after the producer's own retries.</li>
 * </ul>
 */
final class KafkaFailures {
    private KafkaFailures() {
    }

    static BridgeException onStart(String where, KafkaConnectionOptions connection, Throwable failure) {
        Throwable t = ClientFailures.unwrap(failure);
        if (t instanceof BridgeException b) {
            return b;
        }
        String text = scrub(t.getClass().getSimpleName() + ": " + t.getMessage(), connection);
        if (t instanceof SslAuthenticationException) {
            return new PermanentException(where + ": the TLS handshake failed (check that tls.ca names the CA that signed "
                    + "the brokers' certificates, and the client certificate): " + text, t);
        }
        if (t instanceof AuthenticationException) {
            return new PermanentException(where + ": authentication refused (check sasl.username and sasl.password): " + text, t);
        }
        if (t instanceof AuthorizationException) {
            return new PermanentException(where + ": not authorized: " + text, t);
        }
        if (t instanceof UnsupportedVersionException) {
            return new PermanentException(where + ": the broker does not support what the bridge needs: " + text, t);
        }
        if (t instanceof TimeoutException || t instanceof java.util.concurrent.TimeoutException) {
            return RetriableException.unavailable(where + ": no answer from " + String.join(",", connection.bootstrapServers())
                    + " within " + DurationText.format(connection.requestTimeout()) + ": " + text, t);
        }
        return new RetriableException(where + ": " + text, t);
    }

    static BridgeException onPublish(String where, KafkaConnectionOptions connection, String topic, Throwable failure) {
        Throwable t = ClientFailures.unwrap(failure);
        if (t instanceof BridgeException b) {
            return b;
        }
        String text = scrub(t.getClass().getSimpleName() + ": " + t.getMessage(), connection);
        if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException) {
            return new PermanentException(where + ": topic " + topic + " refused the record as too large (max-request-size, "
                    + "the topic's max.message.bytes): " + text, t);
        }
        if (t instanceof InvalidTopicException) {
            return new PermanentException(where + ": \"" + topic + "\" is not a valid topic: " + text, t);
        }
        if (t instanceof AuthorizationException) {
            return new PermanentException(where + ": not authorized to write to topic " + topic + ": " + text, t);
        }
        if (t instanceof AuthenticationException) {
            return RetriableException.unavailable(where + ": authentication refused: " + text, t);
        }
        if (t instanceof SerializationException || t instanceof InvalidRecordException || t instanceof InvalidTimestampException) {
            return new PermanentException(where + ": topic " + topic + " refused the record: " + text, t);
        }
        if (t instanceof UnknownTopicOrPartitionException
                || t instanceof TimeoutException && String.valueOf(t.getMessage()).contains("not present in metadata")) {
            return RetriableException.unavailable(where + ": topic " + topic + " (or its partition) does not exist; "
                    + "create it, or let the brokers create topics (auto.create.topics.enable): " + text, t);
        }
        if (t instanceof TimeoutException) {
            return RetriableException.unavailable(where + ": no confirmation from topic " + topic + " in time: " + text, t);
        }
        return new RetriableException(where + ": write to topic " + topic + " failed: " + text, t);
    }

    /** {@code text} with the configured password, if any, replaced by {@code ****}. */
    static String scrub(String text, KafkaConnectionOptions connection) {
        return connection.sasl().map(sasl -> sasl.password().hideIn(text)).orElse(text);
    }
}
