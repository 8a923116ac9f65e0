package io.msgbridge.nsq;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The {@link NsqTestDouble} answers as nsqd does, on the wire and over HTTP. */
@Tag("integration")
class NsqTestDoubleTest {
    private NsqTestDouble nsqd;
    private final String topic = NsqBrokers.uniqueTopic("double");

    @BeforeEach
    void start() throws IOException {
        nsqd = NsqTestDouble.start();
    }

    @AfterEach
    void stop() {
        nsqd.close();
    }

    @Test
    void finOfAnUnknownMessageIsANonFatalError() throws Exception {
        try (RawNsqReader client = new RawNsqReader(nsqd, topic, "c")) {
            client.send("FIN 0000000000000bad\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.nextReply(Duration.ofSeconds(5))).isEqualTo("ERROR:E_FIN_FAILED FIN 0000000000000bad failed");

            client.send("TOUCH 0000000000000bad\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.nextReply(Duration.ofSeconds(5))).startsWith("ERROR:E_TOUCH_FAILED");
            new NsqHttp(nsqd).pub(topic, "still open".getBytes(StandardCharsets.UTF_8));
            assertThat(client.nextReply(Duration.ofSeconds(5))).startsWith("MESSAGE:");
        }
    }

    @Test
    void rdyAboveMaxRdyCountIsFatal() throws Exception {
        try (RawNsqReader client = new RawNsqReader(nsqd, topic, "c")) {
            client.send("RDY 2501\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.nextReply(Duration.ofSeconds(5))).isEqualTo("ERROR:E_INVALID RDY count 2501 out of range 0-2500");
            assertThat(client.nextReply(Duration.ofSeconds(5))).as("closed after a fatal error").isNull();
        }
    }

    @Test
    void anEmptyPubIsABadMessage() throws Exception {
        try (RawNsqReader client = new RawNsqReader(nsqd, topic, "c")) {
            client.send(RawNsqReader.sized("PUB " + topic + "\n", new byte[0]));
            assertThat(client.nextReply(Duration.ofSeconds(5))).isEqualTo("ERROR:E_BAD_MESSAGE PUB invalid message body size 0");
        }
    }

    @Test
    void aClientThatNeverAnswersHeartbeatsIsDisconnected() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", nsqd.address().port())) {
            socket.getOutputStream().write("  V2".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(RawNsqReader.sized("IDENTIFY\n",
                    "{\"heartbeat_interval\":1000,\"feature_negotiation\":true}".getBytes(StandardCharsets.UTF_8)));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            socket.setSoTimeout(10_000);
            int heartbeats = 0;
            try {
                while (true) {
                    byte[] data = new byte[in.readInt() - 4];
                    in.readInt();
                    in.readFully(data);
                    if (new String(data, StandardCharsets.UTF_8).equals("_heartbeat_")) {
                        heartbeats++;
                    }
                }
            } catch (EOFException | java.net.SocketException closed) {
                assertThat(heartbeats).as("heartbeats before the close").isBetween(1, 3);
            }
        }
    }

    @Test
    void httpAnswersPingPubAndStatsAsNsqdDoes() throws Exception {
        NsqHttp http = new NsqHttp(nsqd);
        assertThat(http.get("/ping").body()).isEqualTo("OK");
        assertThat(http.postRaw("/pub?topic=" + topic, new byte[0]).body()).isEqualTo("{\"message\":\"MSG_EMPTY\"}");
        assertThat(http.postRaw("/pub", new byte[] {1}).statusCode()).isEqualTo(400);
        assertThat(http.postRaw("/pub?topic=bad/topic", new byte[] {1}).body()).contains("INVALID_TOPIC");
        assertThat(http.postRaw("/pub?topic=" + topic, new byte[1024 * 1024 + 1]).statusCode()).isEqualTo(413);

        http.createChannel(topic, "c");
        http.post("/mpub?topic=" + topic, "a\nb\nc\n".getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(5)).until(() -> http.channelStats(topic, "c").path("depth").asInt() == 3);
        assertThat(http.topicMessageCount(topic)).isEqualTo(3);
    }
}
