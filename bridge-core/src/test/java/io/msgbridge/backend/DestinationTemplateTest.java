package io.msgbridge.backend;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DestinationTemplateTest {
    private static final DestinationTemplate.Names ANY = name -> null;
    /** Like RocketMQ's: letters only, anything else of a source topic becomes {@code _}. */
    private static final DestinationTemplate.Names LETTERS = new DestinationTemplate.Names() {
        @Override
        public String problem(String name) {
            return name.matches("[a-z_]+") ? null : "letters and _ only";
        }

        @Override
        public String fit(String sourceText) {
            return sourceText.replaceAll("[^a-z_]", "_");
        }
    };

    @Test
    void aFixedTopicIgnoresTheSource() {
        DestinationTemplate t = DestinationTemplate.of("persistent://public/default/all", ANY);

        assertThat(t.fixed()).isTrue();
        assertThat(t.render("x")).isEqualTo("persistent://public/default/all");
    }

    @Test
    void onlyAFixedTopicNamesATopicToRead() {
        assertThat(DestinationTemplate.of("orders", ANY).fixedTopic()).isEqualTo("orders");
        assertThatThrownBy(() -> DestinationTemplate.of("copy-{name}", ANY).fixedTopic())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a topic template names no topic to read; give a topic");
    }

    @Test
    void nameIsTheLocalNameAndTopicTheWholeSourceTopic() {
        assertThat(DestinationTemplate.of("persistent://public/mirror/copy-{name}", ANY).render("persistent://public/default/orders"))
                .isEqualTo("persistent://public/mirror/copy-orders");
        assertThat(DestinationTemplate.of("{topic}-copy", ANY).render("persistent://public/default/orders"))
                .isEqualTo("persistent://public/default/orders-copy");
        assertThat(DestinationTemplate.of("events-{name}", ANY).render("orders.created")).isEqualTo("events-orders.created");
    }

    @Test
    void theRewriteAppliesBeforeTheTemplate() {
        DestinationTemplate t = DestinationTemplate.of("{topic}", Optional.of(new DestinationTemplate.Rewrite(
                Pattern.compile("persistent://public/default/(.*)"), "persistent://public/backup/$1")), ANY);

        assertThat(t.render("persistent://public/default/orders")).isEqualTo("persistent://public/backup/orders");
        assertThat(t.render("persistent://other/ns/x")).isEqualTo("persistent://other/ns/x");
    }

    @Test
    void theBackendFitsTheSourceTopicButNotTheTemplatesOwnText() {
        assertThat(DestinationTemplate.of("copy.{topic}", LETTERS).render("persistent://public/default/orders"))
                .isEqualTo("copy.persistent___public_default_orders");
        assertThat(DestinationTemplate.of("copy_{name}", LETTERS).render("persistent://public/default/new.orders"))
                .isEqualTo("copy_new_orders");
    }

    @Test
    void theProblemIsTheBackendsVerdictOnASampleName() {
        assertThat(DestinationTemplate.of("copy_{name}", LETTERS).problem()).isNull();
        assertThat(DestinationTemplate.of("copy-{name}", LETTERS).problem()).isEqualTo("letters and _ only");
    }

    @Test
    void aBackendsOwnPlaceholdersStandForTheWholeSourceTopicAndNoOthers() {
        DestinationTemplate.Placeholders subject = new DestinationTemplate.Placeholders(List.of("{subject}", "{topic}"), Optional.empty());

        assertThat(DestinationTemplate.of("mirror.{subject}", subject, ANY).render("orders.eu")).isEqualTo("mirror.orders.eu");
        assertThat(DestinationTemplate.of("{topic}.copy", subject, ANY).render("a")).isEqualTo("a.copy");
        assertThat(DestinationTemplate.of("{name}", subject, ANY).fixed()).isTrue();
        assertThat(DestinationTemplate.of("mirror.{subject}", ANY).fixed()).isTrue();
    }

    @Test
    void templatesMadeFromTheSameTextPlaceholdersRewriteAndNamesAreEqual() {
        DestinationTemplate.Rewrite rewrite = new DestinationTemplate.Rewrite(Pattern.compile("(.*)-v1"), "$1");

        assertThat(DestinationTemplate.of("copy-{name}", Optional.of(rewrite), ANY))
                .isEqualTo(DestinationTemplate.of("copy-{name}", Optional.of(new DestinationTemplate.Rewrite(Pattern.compile("(.*)-v1"), "$1")), ANY))
                .hasSameHashCodeAs(DestinationTemplate.of("copy-{name}", Optional.of(new DestinationTemplate.Rewrite(Pattern.compile("(.*)-v1"), "$1")), ANY))
                .isNotEqualTo(DestinationTemplate.of("copy-{name}", Optional.of(new DestinationTemplate.Rewrite(Pattern.compile("(.*)-v2"), "$1")), ANY))
                .isNotEqualTo(DestinationTemplate.of("copy-{name}", ANY))
                .isNotEqualTo(DestinationTemplate.of("copy-{name}", Optional.of(rewrite), LETTERS));
    }
}
