package io.msgbridge.spi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretTest {
    @Test
    void hidesEveryOccurrenceOfTheSecretInAClientMessage() {
        Secret token = new Secret("s3cr3t");

        assertThat(token.hideIn("auth s3cr3t refused (token s3cr3t)")).isEqualTo("auth **** refused (token ****)");
        assertThat(token.hideIn(null)).isNull();
        assertThat(new Secret("").hideIn("nothing to hide")).isEqualTo("nothing to hide");
    }
}
