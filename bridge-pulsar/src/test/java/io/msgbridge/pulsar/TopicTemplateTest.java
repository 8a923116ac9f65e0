package io.msgbridge.pulsar;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class TopicTemplateTest {
    @Test
    void aFixedTopicIgnoresTheSource() {
        assertThat(TopicTemplate.of("persistent://public/default/all").render("x")).isEqualTo("persistent://public/default/all");
    }

    @Test
    void nameIsTheLocalNameAndTopicTheWholeSourceTopic() {
        assertThat(TopicTemplate.of("persistent://public/mirror/copy-{name}").render("persistent://public/default/orders"))
                .isEqualTo("persistent://public/mirror/copy-orders");
        assertThat(TopicTemplate.of("{topic}-copy").render("persistent://public/default/orders"))
                .isEqualTo("persistent://public/default/orders-copy");
        assertThat(TopicTemplate.of("events-{name}").render("orders.created")).isEqualTo("events-orders.created");
    }

    @Test
    void theRewriteAppliesBeforeTheTemplate() {
        TopicTemplate t = TopicTemplate.of("{topic}", Optional.of(new TopicTemplate.Rewrite(
                Pattern.compile("persistent://public/default/(.*)"), "persistent://public/backup/$1")));

        assertThat(t.render("persistent://public/default/orders")).isEqualTo("persistent://public/backup/orders");
        assertThat(t.render("persistent://other/ns/x")).isEqualTo("persistent://other/ns/x");
    }
}
