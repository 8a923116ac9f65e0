package io.msgbridge.runtime;

import io.msgbridge.config.KeySpec;
import io.msgbridge.spi.Message;
import io.msgbridge.spi.PermanentException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyExtractorTest {

    private static String key(String pointer, String payload) {
        return KeyExtractor.of(new KeySpec.JsonPointer(pointer))
                .keyOf(Message.of("t", payload.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            /key           | {"key":"k1","pad":"xyz"}                                   | k1
            /key           | {"pad":{"key":"inner","a":[1,{"key":2}]},"key":"outer"}    | outer
            /order/id      | {"a":[{"id":9}],"order":{"x":{"id":1},"id":42}}            | 42
            /order/id      | {"order":{"id":1.5}}                                       | 1.5
            /flag          | {"flag":true}                                              | true
            /items/1       | {"items":["a","b","c"]}                                    | b
            /items/1/sku   | {"items":[{"sku":"s0"},{"sku":"s1"}]}                      | s1
            /0             | {"0":"zero"}                                               | zero
            /a~1b/c~0d     | {"a/b":{"c~d":"escaped"}}                                  | escaped
            /obj           | {"obj":{"b":1, "a":[true,null]}}                           | '{"b":1,"a":[true,null]}'
            /key           | {"key":"first","key":"second"}                             | first
            /key           | {"key":"kept"} trailing garbage                             | kept
            """)
    void takesTheValueAtThePointer(String pointer, String payload, String expected) {
        assertThat(key(pointer, payload)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            /key           | {"other":"x"}                   | payload has no value at /key
            /key           | {"key":null}                    | payload has no value at /key
            /key/x         | {"key":"scalar"}                | payload has no value at /key/x
            /items/3       | {"items":["a"]}                 | payload has no value at /items/3
            /items/x       | {"items":["a"]}                 | payload has no value at /items/x
            /key           | "just a string"                 | payload has no value at /key
            /key           | not json                        | payload is not JSON, cannot take key /key
            /key           | {"pad":"unterminated            | payload is not JSON, cannot take key /key
            /items/2       | {"items":[1,2                   | payload is not JSON, cannot take key /items/2
            /key           | ''                              | payload is empty, cannot take key /key
            """)
    void failsTheRecordWhenThereIsNoKey(String pointer, String payload, String message) {
        assertThatThrownBy(() -> key(pointer, payload == null ? "" : payload))
                .isInstanceOf(PermanentException.class)
                .hasMessageStartingWith(message);
    }
}
