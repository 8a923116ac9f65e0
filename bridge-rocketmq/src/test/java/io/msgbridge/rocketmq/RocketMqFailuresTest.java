package io.msgbridge.rocketmq;

import io.msgbridge.spi.BridgeException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.remoting.exception.RemotingConnectException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What an operator reads when a source cannot start: the advice must fit the cause. */
class RocketMqFailuresTest {
    private static final RocketMqConnectionOptions CONNECTION = RocketMqConnectionOptions.of("r", "127.0.0.1:19876");

    @Test
    void aNameServerThatCannotBeReachedIsNotReportedAsAMissingTopic() {
        // What the client throws when no NameServer answers: a topic "without queues", caused by the refused connection.
        var failure = new MQClientException("Can not find Message Queue for this topic, orders",
                new RemotingConnectException("127.0.0.1:19876"));

        BridgeException reported = RocketMqFailures.onStart("p: rocketmq source", CONNECTION, "cannot read topic orders", failure);

        assertThat(reported.getMessage()).contains("cannot reach the NameServer or broker").contains("check name-server")
                .doesNotContain("does not exist");
    }

    @Test
    void aTopicWithoutARouteIsReportedAsMissingWithHowToCreateIt() {
        var failure = new MQClientException("No route info of this topic: orders", null);

        BridgeException reported = RocketMqFailures.onStart("p: rocketmq source", CONNECTION, "cannot read topic orders", failure);

        assertThat(reported.getMessage()).contains("the topic does not exist").contains("mqadmin updateTopic");
    }
}
