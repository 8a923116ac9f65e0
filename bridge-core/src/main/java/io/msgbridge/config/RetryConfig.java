package io.msgbridge.config;

import java.time.Duration;

/**
 * How a record that failed at the sink is retried.
 *
 * @param attempts   the most attempts for one record (first try included) before it is dead-lettered;
 *                   failures that are only a broker being down are retried without limit
 * @param minBackoff the wait after the first failure; doubled after each further failure
 * @param maxBackoff the longest wait
 * @param jitter     whether each wait is drawn at random between half and all of its value
 */
public record RetryConfig(int attempts, Duration minBackoff, Duration maxBackoff, boolean jitter) {
    public static final RetryConfig DEFAULT =
            new RetryConfig(5, Duration.ofMillis(200), Duration.ofSeconds(30), true);
}
