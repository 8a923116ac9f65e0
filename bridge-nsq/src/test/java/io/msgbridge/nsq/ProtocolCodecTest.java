package io.msgbridge.nsq;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Commands are encoded and frames decoded as protocol V2 specifies. */
class ProtocolCodecTest {

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void lineCommandsEndInANewline() {
        assertThat(text(Commands.sub("t", "c"))).isEqualTo("SUB t c\n");
        assertThat(text(Commands.rdy(25))).isEqualTo("RDY 25\n");
        assertThat(text(Commands.fin("0123456789abcdef"))).isEqualTo("FIN 0123456789abcdef\n");
        assertThat(text(Commands.req("0123456789abcdef", Duration.ofSeconds(2)))).isEqualTo("REQ 0123456789abcdef 2000\n");
        assertThat(text(Commands.touch("0123456789abcdef"))).isEqualTo("TOUCH 0123456789abcdef\n");
        assertThat(text(Commands.NOP)).isEqualTo("NOP\n");
        assertThat(text(Commands.CLS)).isEqualTo("CLS\n");
    }

    @Test
    void pubAndDpubCarryASizedBody() {
        assertThat(Commands.pub("t", new byte[] {7, 8})).containsExactly('P', 'U', 'B', ' ', 't', '\n', 0, 0, 0, 2, 7, 8);
        assertThat(text(Commands.dpub("t", Duration.ofMillis(1500), new byte[] {1}))).startsWith("DPUB t 1500\n");
    }

    @Test
    void mpubBodyCountsTheCountFieldInItsSize() {
        byte[] command = Commands.mpub("t", List.of(new byte[] {1}, new byte[] {2, 3}));
        ByteBuffer body = ByteBuffer.wrap(command, "MPUB t\n".length(), command.length - "MPUB t\n".length());

        assertThat(body.getInt()).as("body size").isEqualTo(4 + 4 + 1 + 4 + 2);
        assertThat(body.getInt()).as("count").isEqualTo(2);
        assertThat(body.getInt()).isEqualTo(1);
        assertThat(body.get()).isEqualTo((byte) 1);
        assertThat(body.getInt()).isEqualTo(2);
        assertThat(Commands.mpubBodySize(2, 3)).isEqualTo(15);
    }

    @Test
    void framesAreReadBySizeAndTypeAndHeartbeatsRecognised() throws IOException {
        byte[] heartbeat = "_heartbeat_".getBytes(StandardCharsets.US_ASCII);
        byte[] error = "E_BAD_TOPIC PUB topic name \"a b\" is not valid".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer wire = ByteBuffer.allocate(8 + heartbeat.length + 8 + error.length);
        wire.putInt(4 + heartbeat.length).putInt(0).put(heartbeat).putInt(4 + error.length).putInt(1).put(error);
        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.array()));

        assertThat(reader.next().isHeartbeat()).isTrue();
        Frame e = reader.next();
        assertThat(e.type()).isEqualTo(Frame.Type.ERROR);
        assertThat(NsqError.parse(e.text())).isEqualTo(new NsqError("E_BAD_TOPIC", "PUB topic name \"a b\" is not valid"));
        assertThatThrownBy(reader::next).isInstanceOf(EOFException.class);
    }

    @Test
    void aMessageFrameDecodesTimestampAttemptsIdAndBody() throws IOException {
        byte[] body = {'a', 'b', 'c'};
        ByteBuffer wire = ByteBuffer.allocate(8 + NsqMessage.HEADER + body.length + 8 + NsqMessage.HEADER - 1);
        wire.putInt(4 + NsqMessage.HEADER + body.length).putInt(2)
                .putLong(1_700_000_000_123_456_789L).putShort((short) 3).put("0a0b0c0d0e0f0102".getBytes(StandardCharsets.US_ASCII)).put(body);
        wire.putInt(4 + NsqMessage.HEADER - 1).putInt(2).put(new byte[NsqMessage.HEADER - 1]);
        FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.array()));

        Frame frame = reader.next();

        assertThat(frame.type()).isEqualTo(Frame.Type.MESSAGE);
        NsqMessage m = frame.message();
        assertThat(m.id()).isEqualTo("0a0b0c0d0e0f0102");
        assertThat(m.attempts()).isEqualTo(3);
        assertThat(m.timestamp()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 123_456_789));
        assertThat(m.body()).containsExactly('a', 'b', 'c');
        assertThatThrownBy(reader::next).isInstanceOf(IOException.class).hasMessageContaining("shorter than its header");
    }

    @Test
    void onlyFinReqAndTouchFailuresLeaveTheConnectionOpen() {
        assertThat(NsqError.parse("E_FIN_FAILED x").fatal()).isFalse();
        assertThat(NsqError.parse("E_REQ_FAILED x").fatal()).isFalse();
        assertThat(NsqError.parse("E_TOUCH_FAILED x").fatal()).isFalse();
        assertThat(NsqError.parse("E_BAD_MESSAGE x").fatal()).isTrue();
        assertThat(NsqError.parse("E_INVALID").fatal()).isTrue();
    }

    @Test
    void anOversizedFrameIsAProtocolError() {
        ByteBuffer wire = ByteBuffer.allocate(8).putInt(FrameReader.MAX_FRAME + 1).putInt(0);
        assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(wire.array())).next()).isInstanceOf(IOException.class)
                .hasMessageContaining("invalid frame size");
    }
}
