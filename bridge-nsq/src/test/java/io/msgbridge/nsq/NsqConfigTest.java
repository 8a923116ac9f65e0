package io.msgbridge.nsq;

import io.msgbridge.config.ConfigLoader;
import io.msgbridge.config.Problem;
import io.msgbridge.spi.Connector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code type: nsq} sections through the real config loader: every problem reported at once. */
class NsqConfigTest {
    private static final List<Connector> CONNECTORS = ServiceLoader.load(Connector.class).stream().map(ServiceLoader.Provider::get).toList();

    @TempDir
    Path dir;

    private List<String> problems(String yaml) throws Exception {
        Path file = dir.resolve("bridge.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(file, Map.of("SECRET", "hunter2")::get, CONNECTORS).problems().stream().map(Problem::toString).toList();
    }

    @Test
    void aValidSectionWithEveryKeyLoads() throws Exception {
        assertThat(problems("""
                connections:
                  legacy:
                    type: nsq
                    lookupd: [ "http://127.0.0.1:4161" ]
                    lookupd-poll-interval: 15s
                    auth-secret: ${SECRET}
                    tls: { }
                    msg-timeout: 30s
                    heartbeat-interval: 10s
                    client-id: bridge-1
                    hostname: host-a
                    connect-timeout: 2s
                    reconnect-wait: 1s
                pipelines:
                  - name: p
                    from: { connection: legacy, topic: opencoze_knowledge, channel: bridge }
                    to: { connection: legacy, topic: "mirror.{topic}", defer: 5s, batch: 50, max-message-size: 1MiB }
                    key: json:/KnowledgeID
                """)).isEmpty();
    }

    @Test
    void everyProblemOfAConnectionSectionIsReportedWithoutTheSecret() throws Exception {
        List<String> problems = problems("""
                connections:
                  legacy:
                    type: nsq
                    nsqd: [ "127.0.0.1", "host:99999" ]
                    lookupd: [ "127.0.0.1:4161" ]
                    auth-secret: ${SECRET}
                    heartbeat-interval: 5m
                    colour: blue
                pipelines:
                  - name: p
                    from: { connection: legacy, topic: t, channel: c }
                    to: { connection: legacy, topic: u }
                """);

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("connections.legacy.nsqd").contains("invalid address \"127.0.0.1\""))
                .anySatisfy(p -> assertThat(p).contains("invalid address \"host:99999\": port must be in 1..65535"))
                .anySatisfy(p -> assertThat(p).contains("invalid address \"127.0.0.1:4161\": expected http://host:port"))
                .anySatisfy(p -> assertThat(p).contains("give nsqd (TCP addresses) or lookupd (HTTP addresses), not both"))
                .anySatisfy(p -> assertThat(p).contains("heartbeat-interval").contains("at most 60s"))
                .anySatisfy(p -> assertThat(p).contains("unknown key \"colour\""));
        assertThat(String.join("\n", problems)).doesNotContain("hunter2");
    }

    @Test
    void everyProblemOfSourceAndSinkSectionsIsReported() throws Exception {
        List<String> problems = problems("""
                connections:
                  legacy: { type: nsq, nsqd: [ "127.0.0.1:4150" ] }
                pipelines:
                  - name: p
                    from: { connection: legacy, topic: "bad topic", channel: "" }
                    to: { connection: legacy, topic: "a/{topic}", defer: 2h, batch: 0 }
                """);

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("pipelines[0].from.topic").contains("[.a-zA-Z0-9_-]"))
                .anySatisfy(p -> assertThat(p).contains("pipelines[0].from.channel"))
                .anySatisfy(p -> assertThat(p).contains("pipelines[0].to.topic").contains("a/{topic}"))
                .anySatisfy(p -> assertThat(p).contains("pipelines[0].to.defer").contains("at most 1h"))
                .anySatisfy(p -> assertThat(p).contains("pipelines[0].to.batch"));
    }

    @Test
    void aConnectionNeedsNsqdOrLookupd() throws Exception {
        assertThat(problems("""
                connections:
                  legacy: { type: nsq }
                pipelines:
                  - name: p
                    from: { connection: legacy, topic: t, channel: c }
                    to: { connection: legacy, topic: u }
                """)).anySatisfy(p -> assertThat(p).contains("one of nsqd (TCP addresses such as 127.0.0.1:4150) or lookupd"));
    }
}
