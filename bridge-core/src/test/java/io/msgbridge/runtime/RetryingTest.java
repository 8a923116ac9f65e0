package io.msgbridge.runtime;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.msgbridge.offsets.OffsetStoreException;
import io.msgbridge.spi.PermanentException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryingTest {
    private final List<Duration> waits = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final Retrying retrying = new Retrying(() -> false, errors::add, waits::add);

    /** A step that fails with each of {@code failures} in turn, then returns "done". */
    private static Retrying.Step<String> failingWith(Exception... failures) {
        AtomicInteger calls = new AtomicInteger();
        return () -> {
            int call = calls.getAndIncrement();
            if (call < failures.length) {
                throw failures[call];
            }
            return "done";
        };
    }

    @Test
    void aRefusedClaimIsAskedForAgainWhenTheLeaseExpires() throws Exception {
        OffsetStoreException refused = new OffsetStoreException("pipeline orders is claimed by host-b (epoch 3)",
                Duration.ofMillis(700));

        String result = retrying.call("claiming pipeline", failingWith(refused));

        assertThat(result).isEqualTo("done");
        assertThat(waits).containsExactly(Duration.ofMillis(700).plus(Retrying.EXPIRY_MARGIN));
        assertThat(errors).containsExactly("claiming pipeline failed: pipeline orders is claimed by host-b (epoch 3)");
    }

    @Test
    void aLeaseFarFromExpiringIsAskedForAgainEveryFewSecondsInCaseItIsReleasedEarly() throws Exception {
        OffsetStoreException refused = new OffsetStoreException("claimed", Duration.ofSeconds(14));

        retrying.call("claiming pipeline", failingWith(refused, refused));

        assertThat(waits).containsExactly(Retrying.MAX_HINTED_WAIT, Retrying.MAX_HINTED_WAIT);
    }

    @Test
    void failuresThatDoNotSayWhenTheyEndBackOffExponentially() throws Exception {
        OffsetStoreException outage = new OffsetStoreException("PostgreSQL unreachable", true, null);

        retrying.call("claiming pipeline", failingWith(outage, outage, outage, outage));

        assertThat(waits).hasSize(4);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(waits.get(3)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1600));
    }

    @Test
    void aStoreRefusalThatCannotEndByWaitingFailsAtOnceWithTheFix() {
        OffsetStoreException missingDatabase = new OffsetStoreException("PostgreSQL jdbc:postgresql://db/nope refused the"
                + " connection: database \"nope\" does not exist; create the database or fix offsets.postgres.url",
                false, null);

        assertThatThrownBy(() -> retrying.call("claiming pipeline", failingWith(missingDatabase)))
                .isInstanceOf(PermanentException.class)
                .hasMessage("claiming pipeline failed: PostgreSQL jdbc:postgresql://db/nope refused the connection:"
                        + " database \"nope\" does not exist; create the database or fix offsets.postgres.url")
                .hasCause(missingDatabase);
        assertThat(waits).isEmpty();
    }

    @Test
    void aRefusalThatMayEndIsWaitedOutHoweverLongItTakes() throws Exception {
        OffsetStoreException locked = new OffsetStoreException("offsets file /x is in use by another daemon",
                Duration.ofSeconds(1));
        Exception[] failures = new Exception[100];
        Arrays.fill(failures, locked);

        assertThat(retrying.call("claiming pipeline", failingWith(failures))).isEqualTo("done");
        assertThat(waits).hasSize(100);
    }

    @Test
    void aLongWaitIsLoggedAtAttemptsOneTwoFourEightWithTheNextDelay() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(Retrying.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        OffsetStoreException locked = new OffsetStoreException("offsets file /x is in use by another daemon",
                Duration.ofSeconds(1));
        Exception[] failures = new Exception[10];
        Arrays.fill(failures, locked);
        try {
            retrying.call("claiming pipeline", failingWith(failures));
        } finally {
            logger.detachAppender(log);
        }

        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "claiming pipeline failed: offsets file /x is in use by another daemon (attempt 1; waiting, next attempt in 1010ms)",
                "claiming pipeline failed: offsets file /x is in use by another daemon (attempt 2; waiting, next attempt in 1010ms)",
                "claiming pipeline failed: offsets file /x is in use by another daemon (attempt 4; waiting, next attempt in 1010ms)",
                "claiming pipeline failed: offsets file /x is in use by another daemon (attempt 8; waiting, next attempt in 1010ms)",
                "claiming pipeline: succeeded after 10 failed attempts");
    }
}
