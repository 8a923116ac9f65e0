package io.msgbridge.nats;

import io.msgbridge.spi.PermanentException;
import io.nats.client.impl.Headers;
import io.nats.client.support.IncomingHeadersProcessor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WireHeadersTest {

    @Test
    void writesTheBytesJnatsWritesForTheSameHeader() {
        Headers jnats = new Headers().put("Nats-Msg-Id", "pipe/orders/42");

        Headers wire = new WireHeaders.Builder().add("Nats-Msg-Id", "pipe/orders/42").build();

        assertThat(wire.getSerialized()).isEqualTo(jnats.getSerialized());
        assertThat(wire.serializedLength()).isEqualTo(jnats.serializedLength());
        byte[] dest = new byte[wire.serializedLength() + 3];
        assertThat(wire.serializeToArray(3, dest)).isEqualTo(wire.serializedLength());
        assertThat(new String(dest, 3, dest.length - 3, StandardCharsets.US_ASCII)).isEqualTo("NATS/1.0\r\nNats-Msg-Id:pipe/orders/42\r\n\r\n");
    }

    @Test
    void jnatsReadsBackEveryValueOfEveryNameInOrder() {
        Headers wire = new WireHeaders.Builder().add("a", "1").add("Sharding-Key", "k").add("a", "2").add("empty", "").build();

        Headers read = new IncomingHeadersProcessor(wire.getSerialized()).getHeaders();

        assertThat(read.get("a")).containsExactly("1", "2");
        assertThat(read.getFirst("Sharding-Key")).isEqualTo("k");
        assertThat(read.keySet()).containsExactlyInAnyOrder("a", "Sharding-Key", "empty");
    }

    @Test
    void answersReadsLikeJnatsHeadersAndRefusesChangesLikeItsReadOnlyCopy() {
        Headers wire = new WireHeaders.Builder().add("a", "1").add("a", "2").add("b", "3").build();

        assertThat(wire.isReadOnly()).isTrue();
        assertThat(wire.isEmpty()).isFalse();
        assertThat(wire.size()).isEqualTo(2);
        assertThat(wire.get("a")).containsExactly("1", "2");
        assertThat(wire.getLast("a")).isEqualTo("2");
        assertThat(wire.containsKeyIgnoreCase("B")).isTrue();
        assertThat(wire).isEqualTo(new Headers().add("a", "1", "2").add("b", "3"));
        assertThatThrownBy(() -> wire.put("c", "4")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> wire.remove("a")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nothingAddedMeansNoHeaders() {
        assertThat(new WireHeaders.Builder().build()).isNull();
    }

    @Test
    void aHeaderNatsCannotCarryFailsTheRecordNamingTheHeader() {
        assertThatThrownBy(() -> new WireHeaders.Builder().add("order id", "1").build())
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("header name \"order id\" cannot be sent to NATS");
        assertThatThrownBy(() -> new WireHeaders.Builder().add("a:b", "1").build())
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("without ':'");
        assertThatThrownBy(() -> new WireHeaders.Builder().add("city", "Zürich").build())
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("the value of header \"city\" cannot be sent to NATS");
        assertThatThrownBy(() -> new WireHeaders.Builder().add("note", "two\r\nlines").build())
                .isInstanceOf(PermanentException.class)
                .hasMessageContaining("without CR or LF");
    }
}
