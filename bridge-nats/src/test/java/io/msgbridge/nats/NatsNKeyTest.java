package io.msgbridge.nats;

import io.msgbridge.spi.PermanentException;
import io.nats.client.Connection;
import io.nats.client.NKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** NKey authentication from a seed file, against a real nats-server that knows only the user's public key. */
@Tag("integration")
class NatsNKeyTest {
    @TempDir
    static Path dir;

    private static NatsTestServer server;
    private static NKey user;

    @BeforeAll
    static void server() throws Exception {
        user = NKey.createUser(new SecureRandom());
        Path conf = dir.resolve("nats-nkey.conf");
        Files.writeString(conf, "authorization { users: [ { nkey: " + new String(user.getPublicKey()) + " } ] }\n");
        server = NatsTestServer.start("-c", conf.toString());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static NatsConnectionOptions withSeedFile(char[] seed) throws Exception {
        Path seedFile = Files.createTempFile(dir, "user", ".nk");
        Files.writeString(seedFile, new String(seed) + "\n");
        return NatsConnectionOptions.of("keyed", server.url()).withAuth(new NatsAuth.NKeySeedFile(seedFile));
    }

    @Test
    void connectsWithTheUsersSeedFile() throws Exception {
        NatsConnectionOptions options = withSeedFile(user.getSeed());
        Connection connection = NatsConnectionFactory.connect(options, "nkey-test", new ConnectionEvents("nkey-test", "test", options), ConnectionUse.RECEIVER);
        try {
            assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        } finally {
            connection.close();
        }
    }

    @Test
    void anotherUsersSeedIsRefusedWithAnErrorThatNamesTheConnectionAndNotTheSeed() throws Exception {
        char[] stranger = NKey.createUser(new SecureRandom()).getSeed();
        NatsConnectionOptions options = withSeedFile(stranger);

        assertThatThrownBy(() -> NatsConnectionFactory.connect(options, "nkey-test",
                new ConnectionEvents("nkey-test", "test", options), ConnectionUse.RECEIVER))
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("connection 'keyed'")
                .hasMessageNotContaining(new String(stranger));
    }
}
