package io.msgbridge.builtin;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadTemplateTest {

    private static String render(PayloadTemplate template, long seq, String key) {
        return new String(template.render(seq, key), StandardCharsets.UTF_8);
    }

    @Test
    void theDefaultIsJsonWithTheSequenceNumberAndTheKey() {
        assertThat(render(new PayloadTemplate(PayloadTemplate.DEFAULT_TEXT, OptionalInt.empty()), 42, "key-2"))
                .isEqualTo("{\"seq\":42,\"key\":\"key-2\"}");
    }

    @Test
    void everyPlaceholderIsReplacedAndBracesOfJsonStayAsTheyAre() {
        PayloadTemplate template = new PayloadTemplate("{\"id\": {seq}, \"again\": {seq}, \"k\": \"{key}\"}", OptionalInt.empty());

        assertThat(render(template, 7, "key-1")).isEqualTo("{\"id\": 7, \"again\": 7, \"k\": \"key-1\"}");
    }

    @Test
    void aSizeMakesEveryPayloadExactlyThatLongPaddedWithSpacesOrCut() {
        PayloadTemplate template = new PayloadTemplate("n={seq}", OptionalInt.of(8));

        assertThat(render(template, 5, "k")).isEqualTo("n=5     ");
        assertThat(render(template, 123_456_789, "k")).isEqualTo("n=123456");
        assertThat(new PayloadTemplate("x", OptionalInt.of(0)).render(1, "k")).isEmpty();
    }

    @Test
    void aWordInBracesThatIsNoPlaceholderIsAProblem() {
        assertThat(PayloadTemplate.problem("{\"a\": {seq}, \"b\": \"{key}\"}")).isEmpty();
        assertThat(PayloadTemplate.problem("{sequence} {Key}")).contains("unknown placeholder {sequence}, {Key}: the placeholders are {seq} and {key}");
    }
}
