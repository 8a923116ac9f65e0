package io.msgbridge.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

import java.io.IOException;
import java.util.UUID;

/** The shared nats-server with JetStream on 127.0.0.1:4222, and unique names for test isolation. */
final class SharedNats {
    static final String URL = "nats://127.0.0.1:4222";

    private SharedNats() {
    }

    static NatsConnectionOptions options() {
        return NatsConnectionOptions.of("shared", URL);
    }

    /** A unique token for stream and subject names: letters and digits only. */
    static String unique() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static Connection connect() throws IOException, InterruptedException {
        return Nats.connect(URL);
    }

    static Connection connect(String url) throws IOException, InterruptedException {
        return Nats.connect(url);
    }

    /** Creates a memory stream capturing {@code subjects}, with the default 2 minute duplicate window. */
    static void createStream(Connection conn, String name, String... subjects) throws IOException, JetStreamApiException {
        conn.jetStreamManagement().addStream(StreamConfiguration.builder()
                .name(name).subjects(subjects).storageType(StorageType.Memory).build());
    }

    static void deleteStream(Connection conn, String name) {
        try {
            conn.jetStreamManagement().deleteStream(name);
        } catch (IOException | JetStreamApiException e) {
            // already gone: nothing to clean up
        }
    }
}
