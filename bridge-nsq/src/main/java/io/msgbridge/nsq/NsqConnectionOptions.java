package io.msgbridge.nsq;

import io.msgbridge.spi.Secret;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A checked {@code connections.NAME} section of {@code type: nsq}.
 *
 * @param name              the connection's name in the config
 * @param nsqd              nsqd TCP addresses to connect to directly; empty when {@code lookupd} is used
 * @param lookupd           nsqlookupd HTTP addresses polled for a topic's producers; empty when {@code nsqd} is used
 * @param authSecret        the secret sent with {@code AUTH} when nsqd requires it
 * @param tls               TLS settings when {@code tls_v1} is to be negotiated
 * @param msgTimeout        the message timeout asked for in IDENTIFY
 * @param heartbeatInterval the heartbeat interval asked for in IDENTIFY
 * @param clientId          IDENTIFY {@code client_id}
 * @param hostname          IDENTIFY {@code hostname}
 * @param connectTimeout    how long a TCP connect and handshake may take
 * @param lookupdPoll       how often nsqlookupd is asked for producers
 * @param reconnectWait     the first wait before reconnecting to a lost nsqd; doubles up to 30 s
 */
public record NsqConnectionOptions(String name, List<NsqAddress> nsqd, List<URI> lookupd, Optional<Secret> authSecret,
                                   Optional<NsqTls> tls, Duration msgTimeout, Duration heartbeatInterval, String clientId,
                                   String hostname, Duration connectTimeout, Duration lookupdPoll, Duration reconnectWait) {
    public static final Duration DEFAULT_MSG_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(30);

    public NsqConnectionOptions {
        Objects.requireNonNull(name, "name");
        nsqd = List.copyOf(nsqd);
        lookupd = List.copyOf(lookupd);
        Objects.requireNonNull(authSecret, "authSecret");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(msgTimeout, "msgTimeout");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(lookupdPoll, "lookupdPoll");
        Objects.requireNonNull(reconnectWait, "reconnectWait");
    }

    /** Direct connections to these nsqd, with defaults for the rest. */
    public static NsqConnectionOptions of(List<NsqAddress> nsqd) {
        return new NsqConnectionOptions("nsq", nsqd, List.of(), Optional.empty(), Optional.empty(), DEFAULT_MSG_TIMEOUT,
                DEFAULT_HEARTBEAT, "msgbridge", localHostname(), Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofMillis(500));
    }

    public NsqConnectionOptions withMsgTimeout(Duration timeout) {
        return new NsqConnectionOptions(name, nsqd, lookupd, authSecret, tls, timeout, heartbeatInterval, clientId, hostname,
                connectTimeout, lookupdPoll, reconnectWait);
    }

    public NsqConnectionOptions withHeartbeatInterval(Duration interval) {
        return new NsqConnectionOptions(name, nsqd, lookupd, authSecret, tls, msgTimeout, interval, clientId, hostname,
                connectTimeout, lookupdPoll, reconnectWait);
    }

    public NsqConnectionOptions withAuthSecret(Secret secret) {
        return new NsqConnectionOptions(name, nsqd, lookupd, Optional.of(secret), tls, msgTimeout, heartbeatInterval, clientId,
                hostname, connectTimeout, lookupdPoll, reconnectWait);
    }

    public NsqConnectionOptions withLookupd(List<URI> addresses, Duration poll) {
        return new NsqConnectionOptions(name, List.of(), addresses, authSecret, tls, msgTimeout, heartbeatInterval, clientId,
                hostname, connectTimeout, poll, reconnectWait);
    }

    /** Where this connection finds nsqd, for logs: no secrets. */
    public String describeServers() {
        return nsqd.isEmpty() ? "lookupd " + lookupd : "nsqd " + nsqd;
    }

    static String localHostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
