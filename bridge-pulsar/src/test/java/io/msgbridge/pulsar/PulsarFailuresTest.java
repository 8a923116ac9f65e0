package io.msgbridge.pulsar;

import io.msgbridge.spi.BridgeException;
import io.msgbridge.spi.PermanentException;
import io.msgbridge.spi.RetriableException;
import io.msgbridge.spi.Secret;
import org.apache.pulsar.client.api.PulsarClientException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class PulsarFailuresTest {
    private static final PulsarAuth AUTH = new PulsarAuth.Token(new Secret("tok-123"));

    private static BridgeException publish(Throwable t) {
        return PulsarFailures.onPublish("p: pulsar sink", AUTH, "persistent://public/default/t", new CompletionException(t));
    }

    @Test
    void invalidOrTooBigMessagesAndRefusedTopicsArePermanent() {
        assertThat(publish(new PulsarClientException.InvalidMessageException("Message size is bigger than 5242880 bytes")))
                .isInstanceOf(PermanentException.class).hasMessageContaining("too big").hasMessageContaining("persistent://public/default/t");
        assertThat(publish(new PulsarClientException.AuthorizationException("not authorized")))
                .isInstanceOf(PermanentException.class).hasMessageContaining("not authorized to publish to topic persistent://public/default/t");
        assertThat(publish(new PulsarClientException.TopicTerminatedException("terminated"))).isInstanceOf(PermanentException.class);
        assertThat(publish(new PulsarClientException.ChecksumException("corrupted"))).isInstanceOf(PermanentException.class)
                .hasMessageContaining("corrupted in its buffer");
    }

    @Test
    void timeoutsFullQueuesAndDisconnectsAreRetriable() {
        assertThat(publish(new PulsarClientException.TimeoutException("send timeout"))).isInstanceOf(RetriableException.class);
        assertThat(publish(new PulsarClientException.ProducerQueueIsFullError("queue full"))).isInstanceOf(RetriableException.class);
        assertThat(publish(new PulsarClientException.NotConnectedException())).isInstanceOf(RetriableException.class);
        assertThat(publish(new PulsarClientException.AlreadyClosedException("closed"))).isInstanceOf(RetriableException.class);
        assertThat(publish(new PulsarClientException.ProducerBusyException("name in use"))).isInstanceOf(RetriableException.class);
    }

    @Test
    void aRefusedConnectionUnderTheClientsOwnExceptionIsAnUnreachableBroker() {
        Throwable refused = new PulsarClientException(new CompletionException(
                new java.net.ConnectException("finishConnect(..) failed with error(-111): Connection refused")));

        assertThat(PulsarFailures.unreachable(refused)).isTrue();
        assertThat(PulsarFailures.unreachable(new PulsarClientException("Topic not found"))).isFalse();
    }

    @Test
    void aMissingTopicIsAnOutageOfTheDestinationNotTheRecordsFault() {
        BridgeException e = publish(new PulsarClientException.TopicDoesNotExistException("Topic Not Found."));

        assertThat(e).isInstanceOfSatisfying(RetriableException.class, r -> assertThat(r.unavailable()).isTrue())
                .hasMessageContaining("topic persistent://public/default/t does not exist")
                .hasMessageContaining("pulsar-admin topics create persistent://public/default/t");
        assertThat(publish(new PulsarClientException.TimeoutException("send timeout")))
                .isInstanceOfSatisfying(RetriableException.class, r -> assertThat(r.unavailable()).isFalse());
    }

    @Test
    void refusedCredentialsFailTheStartPermanentlyWithoutTheToken() {
        BridgeException e = PulsarFailures.onStart("p: pulsar source on connection 'x'", AUTH, "cannot subscribe",
                new PulsarClientException.AuthenticationException("bad token tok-123"));

        assertThat(e).isInstanceOf(PermanentException.class).hasMessageContaining("connection 'x'")
                .hasMessageContaining("authentication refused").hasMessageNotContaining("tok-123");
    }

    @Test
    void aBusySubscriptionIsWaitedFor() {
        assertThat(PulsarFailures.onStart("p", AUTH, "cannot subscribe", new PulsarClientException.ConsumerBusyException("busy")))
                .isInstanceOf(RetriableException.class).hasMessageContaining("held by another consumer");
    }
}
