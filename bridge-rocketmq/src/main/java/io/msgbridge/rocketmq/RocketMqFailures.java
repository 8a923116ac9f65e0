package io.msgbridge.rocketmq;

import io.msgbridge.backend.ClientFailures;
import io.msgbridge.spi.BridgeException;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.RetriableException;
import org.apache.rocketmq.client.common.ClientErrorCode;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.remoting.exception.RemotingConnectException;
import org.apache.rocketmq.remoting.exception.RemotingException;
import org.apache.rocketmq.remoting.exception.RemotingTimeoutException;
import org.apache.rocketmq.remoting.exception.RemotingTooMuchRequestException;
import org.apache.rocketmq.remoting.protocol.ResponseCode;


/**
 * Maps what rocketmq-client throws to the SPI's exceptions, with pipeline, connection and topic in the
 * message, and never the secret key:
 * <ul>
 *   <li>on start: refused credentials or permission ({@code NO_PERMISSION}, "check signature failed"):
 *       permanent (the pipeline fails, others go on); a NameServer or broker that cannot be reached, and
 *       no route to the topic yet: unavailable, each with its own advice (the client reports an
 *       unreachable NameServer as a topic without queues, so reachability is checked first); anything
 *       else (timeouts): retriable;</li>
 *   <li>on publish: a message the client or broker refuses ({@code MESSAGE_ILLEGAL}: too large, empty,
 *       invalid), no permission for the topic or a topic the broker does not allow sending to
 *       ({@code NO_PERMISSION}): permanent (dead-lettered); a topic that does not exist (no route, or
 *       {@code TOPIC_NOT_EXIST} where the broker creates no topics): unavailable; timeouts, a busy broker,
 *       flow control, a broker that cannot be reached and anything else: retriable.</li>
 * </ul>
 */
final class RocketMqFailures {
    private RocketMqFailures() {
    }

    /** A failure at start, or while reading. */
    static BridgeException onStart(String where, RocketMqConnectionOptions connection, String what, Throwable failure) {
        Throwable t = ClientFailures.unwrap(failure);
        if (t instanceof BridgeException b) {
            return b;
        }
        String text = scrub(what + ": " + describe(t), connection);
        int code = code(t);
        if (code == ResponseCode.NO_PERMISSION || mentionsAuthentication(t)) {
            return new PermanentException(where + ": credentials or permission refused (check access-key and secret-key,"
                    + " and the user's permission on the topic and group): " + text, t);
        }
        if (unreachable(t)) {
            return RetriableException.unavailable(where + ": " + what + ": cannot reach the NameServer or broker (check"
                    + " name-server and that they run; the pipeline starts once they answer): " + text, t);
        }
        if (code == ResponseCode.TOPIC_NOT_EXIST || noRoute(t)) {
            return RetriableException.unavailable(where + ": " + what + ": the topic does not exist (no route to it);"
                    + " create it (mqadmin updateTopic), the pipeline starts once it exists: " + text, t);
        }
        return new RetriableException(where + ": " + text, t);
    }

    static BridgeException onPublish(String where, RocketMqConnectionOptions connection, String topic, Throwable failure) {
        Throwable t = ClientFailures.unwrap(failure);
        if (t instanceof BridgeException b) {
            return b;
        }
        String text = scrub(describe(t), connection);
        int code = code(t);
        if (code == ResponseCode.MESSAGE_ILLEGAL) {
            return new PermanentException(where + ": topic " + topic + " refused the message (too large or invalid): " + text, t);
        }
        if (code == ResponseCode.NO_PERMISSION) {
            return new PermanentException(where + ": not allowed to publish to topic " + topic + ": " + text, t);
        }
        if (code == ResponseCode.TOPIC_NOT_EXIST || code == ClientErrorCode.NOT_FOUND_TOPIC_EXCEPTION || noRoute(t)) {
            return RetriableException.unavailable(where + ": topic " + topic + " does not exist (no route to it);"
                    + " create it (mqadmin updateTopic) or let the broker create topics (autoCreateTopicEnable): " + text, t);
        }
        if (unreachable(t)) {
            return RetriableException.unavailable(where + ": cannot reach the broker of topic " + topic + ": " + text, t);
        }
        if (t instanceof RemotingTimeoutException || t instanceof RemotingTooMuchRequestException) {
            return new RetriableException(where + ": no answer from the broker of topic " + topic + " in time: " + text, t);
        }
        return new RetriableException(where + ": publish to topic " + topic + " failed: " + text, t);
    }

    /** Whether the failure says the broker or NameServer could not be reached (the client is disconnected). */
    static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RemotingConnectException) {
                return true;
            }
            int code = code(t);
            if (code == ResponseCode.SERVICE_NOT_AVAILABLE) {
                return true;
            }
            if (t instanceof MQClientException e && (e.getResponseCode() == -1 || e.getResponseCode() == 0)
                    && e.getCause() instanceof RemotingException cause && unreachable(cause)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the client found no route to the topic: "No route info of this topic" from a plain send, "No
     * route info for this topic" from a send to a selected queue (the sink's), or no queue of it.
     */
    private static boolean noRoute(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No route info of this topic") || m.contains("No route info for this topic")
                    || m.contains("Can not find Message Queue for this topic"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean mentionsAuthentication(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("check signature failed") || m.contains("authentication"))) {
                return true;
            }
        }
        return false;
    }

    /** The response code of the first RocketMQ exception in the chain that has one, else 0. */
    static int code(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MQBrokerException b && b.getResponseCode() != 0) {
                return b.getResponseCode();
            }
            if (t instanceof MQClientException c && c.getResponseCode() > 0) {
                return c.getResponseCode();
            }
        }
        return 0;
    }

    /** The exception's class and message on one line, without RocketMQ's "See ... FAQ" link. */
    private static String describe(Throwable t) {
        String message = t instanceof MQClientException c && c.getErrorMessage() != null ? c.getErrorMessage()
                : t instanceof MQBrokerException b && b.getErrorMessage() != null ? "CODE " + b.getResponseCode() + ": " + b.getErrorMessage()
                : t.getMessage();
        String text = t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        int faq = text.indexOf("\nSee ");
        text = faq >= 0 ? text.substring(0, faq) : text;
        Throwable cause = t.getCause();
        if (cause != null && cause != t && (t instanceof MQClientException)) {
            text += " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
        }
        return text.replaceAll("\\s+", " ").strip();
    }

    /** {@code text} with the configured secret key replaced by {@code ****}. */
    static String scrub(String text, RocketMqConnectionOptions connection) {
        return connection.credentials().map(c -> c.secretKey().hideIn(text)).orElse(text);
    }
}
