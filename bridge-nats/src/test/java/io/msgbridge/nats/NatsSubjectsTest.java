package io.msgbridge.nats;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NatsSubjectsTest {

    @Test
    void aSubjectTemplateReplacesSubjectAndTopicWithTheRecordsTopic() {
        assertThat(NatsSubjects.template("mirror.{subject}").render("orders.eu")).isEqualTo("mirror.orders.eu");
        assertThat(NatsSubjects.template("{topic}.copy").render("a")).isEqualTo("a.copy");
        assertThat(NatsSubjects.template("dlq.fixed").render("anything")).isEqualTo("dlq.fixed");
        assertThat(NatsSubjects.template("a..b").problem()).contains("empty token");
    }

    @Test
    void aSinkSubjectIsLiteralWithoutWhiteSpaceOrEmptyTokens() {
        assertThat(NatsSubjects.template("mirror.{subject}").problem()).isNull();
        assertThat(NatsSubjects.template("mirror.>").problem()).isEqualTo("must not contain wildcards: a sink publishes to a literal subject");
        assertThat(NatsSubjects.template("a.*.{topic}").problem()).isEqualTo("must not contain wildcards: a sink publishes to a literal subject");
        assertThat(NatsSubjects.template("a b").problem()).isEqualTo("must not contain white space");
        assertThat(NatsSubjects.template(".{subject}").problem()).isEqualTo("must not have an empty token (leading, trailing or double dot)");
    }

    @Test
    void aSubjectWithAStarOrGreaterThanTokenMatchesMoreThanOne() {
        assertThat(NatsSubjects.hasWildcard("orders.>")).isTrue();
        assertThat(NatsSubjects.hasWildcard("orders.*.eu")).isTrue();
        assertThat(NatsSubjects.hasWildcard("orders.a>b")).isFalse();
    }

    @Test
    void equalSubjectsMakeEqualTemplatesSoAReloadKeepsAnUnchangedSink() {
        assertThat(NatsSinkOptions.of("mirror.{subject}", SinkMode.JETSTREAM)).isEqualTo(NatsSinkOptions.of("mirror.{subject}", SinkMode.JETSTREAM));
        assertThat(NatsSubjects.template("a.{subject}")).isNotEqualTo(NatsSubjects.template("a.{topic}"));
    }
}
