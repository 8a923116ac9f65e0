package io.msgbridge.nats;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@link WireHeaders} relies on in jnats' {@link Headers}, which it subclasses: every public method is
 * either answered by WireHeaders or is a change that its read-only superclass refuses, and jnats publishes a
 * read-only {@code Headers} as it is, writing what {@link Headers#serializeToArray} gives. A jnats upgrade that
 * breaks one of these fails here, saying which; without these checks it would send messages without their
 * headers or answer reads from the empty superclass.
 */
@Tag("integration")
class JnatsHeadersContractTest {
    /** Public methods that change headers: the read-only superclass refuses them, as on jnats' own read-only copy. */
    private static final Set<String> CHANGES = Set.of("add", "put", "remove", "clear");

    private static final Headers WIRE = new WireHeaders.Builder().add("Nats-Msg-Id", "p/orders/7").add("a", "1").add("a", "2").build();

    @Test
    void everyPublicMethodOfJnatsHeadersIsAnsweredByWireHeadersOrRefusedAsAChange() {
        List<String> unanswered = Arrays.stream(Headers.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
                .filter(m -> !CHANGES.contains(m.getName()))
                .filter(m -> !declaredByWireHeaders(m))
                .map(Method::toGenericString)
                .toList();

        assertThat(unanswered)
                .withFailMessage("jnats %s: its Headers has public methods that WireHeaders does not answer, so they would answer from"
                        + " its empty superclass: %s. Override them in WireHeaders (reads from parsed()), or, for a method that"
                        + " changes headers, add its name to CHANGES here", Nats.CLIENT_VERSION, unanswered)
                .isEmpty();
    }

    @Test
    void theChangesAreRefusedLikeOnJnatsReadOnlyCopy() {
        for (String name : CHANGES) {
            assertThat(Arrays.stream(Headers.class.getMethods()).anyMatch(m -> m.getName().equals(name)))
                    .withFailMessage("jnats %s: its Headers no longer has %s(...): remove it from CHANGES", Nats.CLIENT_VERSION, name)
                    .isTrue();
        }
        assertThatThrownBy(() -> WIRE.add("b", "3")).as("add on WireHeaders").isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> WIRE.put("b", "3")).as("put on WireHeaders").isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> WIRE.remove("a")).as("remove on WireHeaders").isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(WIRE::clear).as("clear on WireHeaders").isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void jnatsPublishesWireHeadersAsTheyAreOnTheCorePathAndThroughTheMessageBuilder() throws Exception {
        String subject = "wire.headers." + SharedNats.unique();
        try (Connection conn = SharedNats.connect()) {
            Subscription sub = conn.subscribe(subject);
            conn.flush(Duration.ofSeconds(5));

            conn.publish(subject, WIRE, "core".getBytes(StandardCharsets.UTF_8));
            conn.publish(NatsMessage.builder().subject(subject).headers(WIRE).data("built").build());

            for (String path : List.of("core", "built")) {
                Message received = sub.nextMessage(Duration.ofSeconds(5));
                assertThat(received).withFailMessage("the %s publish did not arrive", path).isNotNull();
                assertThat(new String(received.getData(), StandardCharsets.UTF_8)).isEqualTo(path);
                assertThat(received.getHeaders())
                        .withFailMessage("jnats %s sent the %s publish with headers %s instead of %s: it no longer writes a read-only"
                                + " Headers as it is with serializedLength() and serializeToArray() (it may copy it, which reads the"
                                + " empty superclass); make WireHeaders answer what jnats now asks, or build jnats' own Headers in"
                                + " WireHeaders.Builder.build()", Nats.CLIENT_VERSION, path, received.getHeaders(), WIRE)
                        .isEqualTo(new Headers().add("Nats-Msg-Id", "p/orders/7").add("a", "1", "2"));
            }
        }
    }

    private static boolean declaredByWireHeaders(Method m) {
        try {
            WireHeaders.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
