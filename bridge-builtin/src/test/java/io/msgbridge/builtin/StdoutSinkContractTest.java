package io.msgbridge.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.msgbridge.spi.Headers;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.Sink;
import io.msgbridge.spi.SinkContract;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** The sink contract for {@link StdoutSink}, read back by parsing the JSON lines it wrote. */
class StdoutSinkContractTest extends SinkContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Override
    protected Sink newSink() {
        return new StdoutSink(new StdoutOptions(StdoutOptions.Format.JSON), out);
    }

    @Override
    protected String topic() {
        return "in";
    }

    /** Every publish completed once its line was flushed, so what was confirmed is all there. */
    @Override
    protected List<Message> readBack(int expected, Duration timeout) throws Exception {
        List<Message> messages = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).lines().toList()) {
            JsonNode node = JSON.readTree(line);
            List<Headers.Header> headers = new ArrayList<>();
            node.get("headers").forEach(h -> headers.add(new Headers.Header(h.get("name").asText(), h.get("value").asText())));
            byte[] payload = node.has("payload") ? node.get("payload").asText().getBytes(StandardCharsets.UTF_8)
                    : Base64.getDecoder().decode(node.get("payload_base64").asText());
            messages.add(new Message(node.get("topic").asText(), node.get("key").isNull() ? null : node.get("key").asText(),
                    payload, Headers.of(headers), null));
        }
        return messages;
    }
}
