package io.msgbridge.pulsar;

import io.msgbridge.backend.ClientFailures;
import io.msgbridge.spi.BridgeException;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.RetriableException;
import org.apache.pulsar.client.api.PulsarClientException;


/**
 * Maps what pulsar-client throws or fails a future with to the SPI's exceptions, with pipeline,
 * connection and topic in the message, and never a token:
 * <ul>
 *   <li>on start: refused authentication, refused authorisation, an invalid service URL or client
 *       configuration: permanent (the pipeline fails, others go on); a subscription held by another
 *       consumer and anything else (timeouts, a broker that is down): retriable;</li>
 *   <li>on publish: {@code InvalidMessageException} (also "message too big"), not authorized on that
 *       topic, a terminated topic, an incompatible schema, not allowed, a message the client found
 *       corrupted in its own buffer: permanent (dead-lettered);
 *       a topic that does not exist where the broker does not create topics on first use:
 *       {@linkplain RetriableException#unavailable unavailable} (an outage of the destination, retried
 *       until someone creates it, never dead-lettered); timeouts, {@code ProducerQueueIsFullError}, not
 *       connected, closed, lookup and connect failures, a producer name still held after a crash, quota
 *       and anything else: retriable.</li>
 * </ul>
 */
final class PulsarFailures {
    private PulsarFailures() {
    }

    static BridgeException onStart(String where, PulsarAuth auth, String what, Throwable failure) {
        Throwable t = ClientFailures.unwrap(failure);
        if (t instanceof BridgeException b) {
            return b;
        }
        String text = scrub(what + ": " + t.getClass().getSimpleName() + ": " + t.getMessage(), auth);
        if (t instanceof PulsarClientException.AuthenticationException) {
            return new PermanentException(where + ": authentication refused (check the token): " + text, t);
        }
        if (t instanceof PulsarClientException.AuthorizationException) {
            return new PermanentException(where + ": not authorized: " + text, t);
        }
        if (t instanceof PulsarClientException.InvalidServiceURL
                || t instanceof PulsarClientException.InvalidConfigurationException
                || t instanceof PulsarClientException.InvalidTopicNameException) {
            return new PermanentException(where + ": " + text, t);
        }
        if (t instanceof PulsarClientException.ConsumerBusyException) {
            return new RetriableException(where + ": the subscription is held by another consumer; waiting: " + text, t);
        }
        return new RetriableException(where + ": " + text, t);
    }

    static BridgeException onPublish(String where, PulsarAuth auth, String topic, Throwable failure) {
        Throwable t = ClientFailures.unwrap(failure);
        if (t instanceof BridgeException b) {
            return b;
        }
        String text = scrub(t.getClass().getSimpleName() + ": " + t.getMessage(), auth);
        if (t instanceof PulsarClientException.InvalidMessageException) {
            return new PermanentException(where + ": topic " + topic + " refused the message (too big or invalid): " + text, t);
        }
        if (t instanceof PulsarClientException.AuthorizationException) {
            return new PermanentException(where + ": not authorized to publish to topic " + topic + ": " + text, t);
        }
        if (t instanceof PulsarClientException.ChecksumException) {
            /*
             * The client fails only this message and sends the ones queued behind it
             * (ProducerImpl.recoverChecksumError): retried, it could come after them, and a deduplicating
             * producer's broker would drop it as a duplicate. Dead-lettered, it is kept (the runtime's copy
             * is sound).
             */
            return new PermanentException(where + ": the client found the message for topic " + topic
                    + " corrupted in its buffer before sending it: " + text, t);
        }
        if (t instanceof PulsarClientException.TopicTerminatedException
                || t instanceof PulsarClientException.IncompatibleSchemaException
                || t instanceof PulsarClientException.NotAllowedException
                || t instanceof PulsarClientException.InvalidTopicNameException) {
            return new PermanentException(where + ": topic " + topic + " refused the message: " + text, t);
        }
        if (t instanceof PulsarClientException.TopicDoesNotExistException || t instanceof PulsarClientException.NotFoundException) {
            return RetriableException.unavailable(where + ": topic " + topic + " does not exist, and the broker does not create"
                    + " topics on first use (allowAutoTopicCreation=false, or the namespace's auto-topic-creation policy);"
                    + " create it (pulsar-admin topics create " + topic + ") or allow auto-creation; retrying until then: "
                    + text, t);
        }
        if (t instanceof PulsarClientException.TimeoutException) {
            return new RetriableException(where + ": no confirmation from topic " + topic + " in time: " + text, t);
        }
        return new RetriableException(where + ": publish to topic " + topic + " failed: " + text, t);
    }

    /**
     * Whether {@code failure} comes of a broker that cannot be reached (refused, no route, unknown host).
     * When its operation timeout ends the client's own retries, it reports that as a plain
     * {@code PulsarClientException} whose causes name the socket's failure.
     */
    static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.SocketException || t instanceof java.net.UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /** {@code text} with every occurrence of a configured token replaced by {@code ****}. */
    static String scrub(String text, PulsarAuth auth) {
        return auth instanceof PulsarAuth.Token token ? token.token().hideIn(text) : text;
    }
}
