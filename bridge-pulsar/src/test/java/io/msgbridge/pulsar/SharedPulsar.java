package io.msgbridge.pulsar;

import io.msgbridge.spi.Secret;
import org.apache.pulsar.client.api.PulsarClient;
import org.apache.pulsar.client.api.PulsarClientException;

import java.util.UUID;

/** The shared test broker (JWT auth on; the tests authenticate as admin), a client on it, and unique topic names. */
final class SharedPulsar {
    private SharedPulsar() {
    }

    static PulsarConnectionOptions options() {
        PulsarTestBroker broker = PulsarTestBroker.shared();
        return PulsarConnectionOptions.of("test", broker.serviceUrl())
                .withAuth(new PulsarAuth.Token(new Secret(broker.adminToken())));
    }

    private static PulsarClient client;

    /** A client on the shared broker for producing and reading back; shared by the tests of a JVM, never closed. */
    static synchronized PulsarClient client() throws PulsarClientException {
        if (client == null) {
            client = PulsarTestBroker.shared().clientBuilder().build();
        }
        return client;
    }

    /** A topic name nobody used before: {@code persistent://public/default/PREFIX-XXXXXXXX}. */
    static String uniqueTopic(String prefix) {
        return "persistent://public/default/" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
