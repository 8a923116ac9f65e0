package io.msgbridge.nats;

import io.nats.client.impl.Headers;
import io.nats.client.support.IncomingHeadersProcessor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InboundHeaderGuardTest {
    private static final String GOOD_HEADERS = "NATS/1.0\r\nSharding-Key: k-1\r\nNats-Msg-Id:abc\r\n\r\n";

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] hmsg(String subject, String reply, byte[] headers, byte[] payload) {
        String line = "HMSG " + subject + " 7 " + (reply == null ? "" : reply + " ") + headers.length + " "
                + (headers.length + payload.length) + "\r\n";
        return concat(ascii(line), headers, payload, ascii("\r\n"));
    }

    /** Feeds {@code input} through a guard in chunks of the given sizes (cycled), reading with the given lengths. */
    private static byte[] guarded(byte[] input, int[] chunks, int[] reads) throws IOException {
        InboundHeaderGuard guard = new InboundHeaderGuard(16);
        int[] at = {0};
        int[] chunk = {0};
        InboundHeaderGuard.Input source = (dst, off, len) -> {
            if (at[0] == input.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, chunks[chunk[0]++ % chunks.length]), input.length - at[0]);
            System.arraycopy(input, at[0], dst, off, n);
            at[0] += n;
            return n;
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int i = 0; ; i++) {
            int len = reads[i % reads.length];
            int n = guard.read(buffer, 0, len, source);
            if (n < 0) {
                return out.toByteArray();
            }
            assertThat(n).isBetween(1, len);
            out.write(buffer, 0, n);
        }
    }

    @Test
    void passesTheServersBytesThroughUnchangedWhateverTheReadSizes() throws IOException {
        byte[] payloadLookingLikeProtocol = ascii("HMSG x 1 3 3\r\nPING\r\nMSG a 1 2\r\n");
        byte[] input = concat(
                ascii("INFO {\"server_id\":\"x\",\"headers\":true}\r\n"),
                ascii("PING\r\n+OK\r\n"),
                ascii("MSG orders.eu 3 $JS.ACK.S.c.1.2.3.4.5 5\r\nhello\r\n"),
                hmsg("orders.eu", "_INBOX.r", ascii(GOOD_HEADERS), payloadLookingLikeProtocol),
                hmsg("status", null, ascii("NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 3\r\n\r\n"), new byte[0]),
                ascii("msg lower 1 0\r\n\r\n"),
                ascii("-ERR 'Unknown Protocol Operation'\r\nPONG\r\n"));
        Random random = new Random(42);
        int[][] chunkings = {{1}, {2, 3}, {7}, {16}, {5, 1, 11}, {input.length}};
        for (int[] chunks : chunkings) {
            for (int[] reads : new int[][] {{1}, {3, 1000}, {4096}, {random.nextInt(30) + 1, random.nextInt(30) + 1}}) {
                assertThat(guarded(input, chunks, reads)).as("chunks %s, reads %s", chunks[0], reads[0]).isEqualTo(input);
            }
        }
    }

    @Test
    void replacesAHeaderBlockJnatsCannotParseAndKeepsThePayloadAndTheLinesItCan() throws IOException {
        byte[] bad = ascii("NATS/1.0\r\nSharding-Key: k-7\r\nBad Header: x\r\n\r\n");
        assertThatThrownBy(() -> new IncomingHeadersProcessor(bad)).isInstanceOf(IllegalArgumentException.class);
        byte[] payload = ascii("{\"n\":1}");
        byte[] input = concat(hmsg("orders.eu", "$JS.ACK.S.c.1.9.9.0.0", bad, payload), ascii("PING\r\n"));

        byte[] out = guarded(input, new int[] {3}, new int[] {5});

        Frame frame = Frame.parse(out);
        assertThat(frame.line).startsWith("HMSG orders.eu 7 $JS.ACK.S.c.1.9.9.0.0 ")
                .endsWith(" " + frame.headers.length + " " + (frame.headers.length + payload.length));
        assertThat(new String(frame.payload, StandardCharsets.ISO_8859_1)).isEqualTo("{\"n\":1}");
        assertThat(new String(out, frame.end, out.length - frame.end, StandardCharsets.ISO_8859_1)).isEqualTo("PING\r\n");
        Headers parsed = new IncomingHeadersProcessor(frame.headers).getHeaders();
        assertThat(parsed.getFirst("Sharding-Key")).isEqualTo("k-7");
        assertThat(parsed.getFirst("bridge.raw-headers")).isEqualTo("NATS/1.0%0D%0ASharding-Key: k-7%0D%0ABad Header: x%0D%0A%0D%0A");
        assertThat(parsed.getFirst("bridge.unreadable")).endsWith(" Header key has invalid character: 0x20")
                .doesNotContain("\r");
        assertThat(parsed.keySet()).doesNotContain("Bad Header");
    }

    @Test
    void percentEncodesBytesOutsidePrintableAsciiInTheRawHeaderBlock() {
        byte[] utf8 = "NATS/1.0\r\nCity: Zürich 100%\r\n\r\n".getBytes(StandardCharsets.UTF_8);

        String problem = UnreadableHeaders.problem(utf8, utf8.length);
        byte[] replacement = UnreadableHeaders.replacement(utf8, problem);

        Headers parsed = new IncomingHeadersProcessor(replacement).getHeaders();
        assertThat(problem).isNotNull();
        assertThat(parsed.getFirst("bridge.raw-headers")).isEqualTo("NATS/1.0%0D%0ACity: Z%C3%BCrich 100%25%0D%0A%0D%0A");
        assertThat(parsed.keySet()).containsExactlyInAnyOrder("bridge.raw-headers", "bridge.unreadable");
    }

    @Test
    void acceptsWhatJnatsParsesWithoutReplacingIt() {
        for (String block : new String[] {GOOD_HEADERS, "NATS/1.0\r\n\r\n", "NATS/1.0\r\nEmpty:\r\nSpaced:   \r\nKey :v\r\n\r\n",
                "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 0\r\n\r\n", "NATS/1.0\r\nA: b:c\tdef\r\n\r\n"}) {
            byte[] bytes = ascii(block);
            assertThat(UnreadableHeaders.problem(bytes, bytes.length)).as(block).isNull();
        }
    }

    @Test
    void aHeaderOfTheMarkersNameFromAnotherClientIsNotTakenForTheGuardsMark() {
        byte[] forged = ascii("NATS/1.0\r\nbridge.unreadable: 0000 forged\r\n\r\n");
        Headers parsed = new IncomingHeadersProcessor(forged).getHeaders();

        assertThat(UnreadableHeaders.isMarker("bridge.unreadable", parsed.getFirst("bridge.unreadable"))).isFalse();
    }

    /** The first HMSG of a byte stream: its line, header block and payload. */
    private record Frame(String line, byte[] headers, byte[] payload, int end) {
        static Frame parse(byte[] bytes) {
            int lf = 0;
            while (bytes[lf] != '\n') {
                lf++;
            }
            String line = new String(bytes, 0, lf - 1, StandardCharsets.ISO_8859_1);
            String[] tokens = line.split(" ");
            int headerSize = Integer.parseInt(tokens[tokens.length - 2]);
            int total = Integer.parseInt(tokens[tokens.length - 1]);
            int start = lf + 1;
            byte[] headers = java.util.Arrays.copyOfRange(bytes, start, start + headerSize);
            byte[] payload = java.util.Arrays.copyOfRange(bytes, start + headerSize, start + total);
            assertThat(new String(bytes, start + total, 2, StandardCharsets.ISO_8859_1)).isEqualTo("\r\n");
            return new Frame(line, headers, payload, start + total + 2);
        }
    }
}
