package io.msgbridge.nsq;

import java.net.URI;

/**
 * An nsqd that integration tests run against: the {@link NsqTestDouble}, or a real nsqd
 * ({@link RealNsqd}) when the environment variable {@code NSQD} names its binary.
 */
public interface NsqBroker extends AutoCloseable {

    /** {@code host:port} of the TCP protocol. */
    String tcpAddress();

    /** The HTTP API, e.g. {@code http://127.0.0.1:4151}. */
    URI httpAddress();

    /** For test names: {@code test double} or {@code nsqd}. */
    String kind();

    default NsqAddress address() {
        return NsqAddress.parse(tcpAddress());
    }

    @Override
    void close();
}
