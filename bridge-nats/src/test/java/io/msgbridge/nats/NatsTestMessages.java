package io.msgbridge.nats;

import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Converts between bridge messages and raw jnats pieces in tests, independently of the code under test. */
final class NatsTestMessages {
    private NatsTestMessages() {
    }

    static io.nats.client.impl.NatsMessage toNats(Message m) {
        io.nats.client.impl.Headers headers = new io.nats.client.impl.Headers();
        m.headers().entries().forEach(h -> headers.add(h.name(), h.value()));
        if (m.key() != null) {
            headers.put(NatsConnectionOptions.DEFAULT_KEY_HEADER, m.key());
        }
        return io.nats.client.impl.NatsMessage.builder().subject(m.topic()).headers(headers).data(m.payload()).build();
    }

    static Message toBridge(String subject, io.nats.client.impl.Headers natsHeaders, byte[] data) {
        List<Headers.Header> entries = new ArrayList<>();
        String key = null;
        if (natsHeaders != null) {
            for (Map.Entry<String, List<String>> e : natsHeaders.entrySet()) {
                e.getValue().forEach(v -> entries.add(new Headers.Header(e.getKey(), v)));
            }
            key = natsHeaders.getFirst(NatsConnectionOptions.DEFAULT_KEY_HEADER);
        }
        return new Message(subject, key, data == null ? new byte[0] : data, Headers.of(entries), null);
    }
}
