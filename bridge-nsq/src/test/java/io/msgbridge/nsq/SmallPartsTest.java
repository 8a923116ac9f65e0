package io.msgbridge.nsq;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RDY distribution, addresses, names, topic templates and lookupd answers. */
class SmallPartsTest {

    @Test
    void rdySpreadsTheWindowOverConnectionsWithinMaxRdyCount() {
        assertThat(RdyPlan.perConnection(10_000, 1, 2500)).isEqualTo(2500);
        assertThat(RdyPlan.perConnection(100, 3, 2500)).isEqualTo(33);
        assertThat(RdyPlan.perConnection(2, 5, 2500)).as("at least 1, or a connection would starve").isEqualTo(1);
        assertThat(RdyPlan.perConnection(100, 0, 2500)).isEqualTo(100);
    }

    @Test
    void rdyNarrowsToWhatFitsInTheReadAheadBytesAndToOneForMessagesOfHalfOfItOrMore() {
        assertThat(RdyPlan.byBytes(1000, 8L << 20, 1024)).as("small messages: the records share").isEqualTo(1000);
        assertThat(RdyPlan.byBytes(1000, 8L << 20, 64 * 1024)).isEqualTo(128);
        assertThat(RdyPlan.byBytes(1000, 8L << 20, 5L << 20)).isEqualTo(1);
        assertThat(RdyPlan.byBytes(1000, 1L << 20, 4L << 20)).as("larger than the whole share: still one").isEqualTo(1);
        assertThat(RdyPlan.byBytes(1000, 8L << 20, RdyPlan.UNKNOWN_SIZE)).as("before any message: nsqd's largest, 1 MiB").isEqualTo(8);
    }

    @Test
    void theSizeEstimateTakesALargeMessageAtOnceAndForgetsItOverSmallerOnes() {
        assertThat(RdyPlan.nextEstimate(RdyPlan.UNKNOWN_SIZE, 100)).as("the first message's size").isEqualTo(100);
        long estimate = RdyPlan.nextEstimate(1024, 512 * 1024);
        assertThat(estimate).isEqualTo(512 * 1024);
        for (int i = 0; i < 44; i++) {
            estimate = RdyPlan.nextEstimate(estimate, 1024);
        }
        assertThat(estimate).isBetween(256L * 1024 - 8192, 256L * 1024 + 8192);
        for (int i = 0; i < 1000; i++) {
            estimate = RdyPlan.nextEstimate(estimate, 1024);
        }
        assertThat(estimate).isEqualTo(1024);
    }

    @Test
    void addressesParseHostAndPort() {
        assertThat(NsqAddress.parse("10.0.0.1:4150")).isEqualTo(new NsqAddress("10.0.0.1", 4150));
        assertThat(NsqAddress.parse("[::1]:4150")).isEqualTo(new NsqAddress("::1", 4150));
        assertThat(new NsqAddress("::1", 4150)).hasToString("[::1]:4150");
        assertThatThrownBy(() -> NsqAddress.parse("nsqd")).hasMessageContaining("expected host:port");
        assertThatThrownBy(() -> NsqAddress.parse("nsqd:0")).hasMessageContaining("1..65535");
    }

    @Test
    void namesFollowNsqsRule() {
        assertThat(NsqNames.valid("opencoze_knowledge")).isTrue();
        assertThat(NsqNames.valid("src.a-b.events")).isTrue();
        assertThat(NsqNames.valid("tmp#ephemeral")).isTrue();
        assertThat(NsqNames.valid("a b")).isFalse();
        assertThat(NsqNames.valid("a/b")).isFalse();
        assertThat(NsqNames.valid("")).isFalse();
        assertThat(NsqNames.valid("x".repeat(65))).isFalse();
    }

    @Test
    void topicTemplatesRenderTheRecordsTopic() {
        assertThat(NsqNames.template("mirror.{topic}").render("orders")).isEqualTo("mirror.orders");
        assertThat(NsqNames.template("{subject}").render("a.b")).isEqualTo("a.b");
        assertThat(NsqNames.template("fixed").render("anything")).isEqualTo("fixed");
        assertThat(NsqNames.template("bad/{topic}").problem()).isEqualTo(NsqNames.RULE);
        assertThat(NsqNames.template("good_{topic}").problem()).isNull();
    }

    @Test
    void lookupdAnswersOfBothApiVersionsGiveTcpAddresses() throws Exception {
        String v1 = "{\"channels\":[\"c\"],\"producers\":[{\"broadcast_address\":\"nsqd-1\",\"hostname\":\"h\",\"tcp_port\":4150,\"http_port\":4151}]}";
        String legacy = "{\"status_code\":200,\"data\":{\"producers\":[{\"broadcast_address\":\"nsqd-2\",\"tcp_port\":4250}]}}";

        assertThat(LookupdClient.parse(v1.getBytes(StandardCharsets.UTF_8))).containsExactly(new NsqAddress("nsqd-1", 4150));
        assertThat(LookupdClient.parse(legacy.getBytes(StandardCharsets.UTF_8))).containsExactly(new NsqAddress("nsqd-2", 4250));
    }
}
