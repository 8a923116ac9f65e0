package io.msgbridge.system;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With offsets in PostgreSQL, a daemon killed with SIGKILL leaves its pipelines' leases live for the
 * lease time (15 s). Restarted on the same host (the same instance id), it takes them over at once;
 * a daemon of another instance waiting for them (not ready meanwhile) takes over when the lease expires,
 * not a backoff later, from the last committed position. Either way nothing is lost, and the JetStream
 * sink drops what is sent again.
 */
class RecoveryAfterKillTest {
    private static final Pattern RECORDS_OUT = Pattern.compile("\"recordsOut\":(\\d+)");
    private static final int RECORDS = 50_000;
    private static final Duration LEASE = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private final String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private DaemonConfig config;

    @BeforeEach
    void writeConfig() throws Exception {
        config = DaemonConfig.postgres(dir, "recovery", """
                connections:
                  js: { type: nats, servers: [%s] }
                pipelines:
                  - name: copy
                    from: { connection: js, stream: SRC_%s }
                    to: { connection: js, subject: "dst.%s.{subject}" }
                    max-in-flight: { records: 500 }
                """.formatted(JetStreamFixture.URL, id, id));
    }

    @AfterEach
    void dropSchema() throws Exception {
        config.close();
    }

    /** Records the daemon's pipeline has had confirmed by the sink since that daemon started. */
    private static long recordsOut(DaemonProcess daemon) {
        Matcher m = RECORDS_OUT.matcher(daemon.get("/pipelines").body());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /**
     * Publishes half the records, kills {@code owner} once it has copied some of them, then publishes the
     * other half while no daemon runs: the kill lands while records move (a daemon copies as fast as
     * they are published, so with all of them published first it could be done before the kill), and
     * the restarted daemon or the standby has records left to copy whatever the timing. Returns when
     * the kill was ({@link System#nanoTime()}).
     */
    private long killMidRun(JetStreamFixture nats, DaemonProcess owner) throws Exception {
        nats.publishKeyed("src." + id + ".events", RECORDS / 2, 50);
        owner.await("some records copied", Duration.ofMinutes(2), () -> nats.count("DST_" + id) >= RECORDS / 50);
        owner.kill();
        long killedAt = System.nanoTime();
        nats.publishKeyed("src." + id + ".events", RECORDS / 2, 50);
        return killedAt;
    }

    private void assertAllCopiedOnceInOrder(JetStreamFixture nats, DaemonProcess daemon) throws Exception {
        daemon.await("every record copied", Duration.ofMinutes(3), () -> nats.count("DST_" + id) >= RECORDS);
        assertThat(daemon.terminate(Duration.ofSeconds(60))).isZero();
        assertThat(nats.count("DST_" + id)).isEqualTo(RECORDS);
        JetStreamFixture.assertPerKeyOrderWithoutGapsOrDuplicates(nats.readAll("DST_" + id));
    }

    @Test
    void aDaemonRestartedAfterSigkillMovesRecordsAgainWithinFiveSecondsWithNothingLost() throws Exception {
        try (JetStreamFixture nats = new JetStreamFixture()) {
            nats.createStream("SRC_" + id, "src." + id + ".>");
            nats.createStream("DST_" + id, "dst." + id + ".>");
            try (DaemonProcess first = config.run()) {
                first.awaitReady(Duration.ofSeconds(60));
                killMidRun(nats, first);
            }

            long restartedAt = System.nanoTime();
            try (DaemonProcess restarted = config.run()) {
                restarted.await("records moving again within 5 s of the restart (the killed daemon's lease has "
                        + LEASE.toSeconds() + " s left)", Duration.ofSeconds(5), () -> recordsOut(restarted) > 0);
                Duration flowing = Duration.ofNanos(System.nanoTime() - restartedAt);
                assertThat(flowing).isLessThan(LEASE);
                assertThat(restarted.output()).contains("took over the live claim of instance");
                assertAllCopiedOnceInOrder(nats, restarted);
            }
        }
    }

    @Test
    void aStandbyDaemonOfAnotherInstanceTakesOverWhenTheKilledOwnersLeaseExpires() throws Exception {
        DaemonConfig standbyConfig = config.beside(dir.resolve("standby"));
        try (JetStreamFixture nats = new JetStreamFixture();
             DaemonProcess owner = config.run("--instance-id", "owner")) {
            nats.createStream("SRC_" + id, "src." + id + ".>");
            nats.createStream("DST_" + id, "dst." + id + ".>");
            owner.awaitReady(Duration.ofSeconds(60));
            try (DaemonProcess standby = standbyConfig.run("--instance-id", "standby")) {
                standby.await("standby waiting for the claim", Duration.ofSeconds(60),
                        () -> standby.get("/pipelines").body().contains("is claimed by owner"));
                assertThat(standby.get("/health/ready").statusCode()).as("a standby is not ready").isEqualTo(503);

                long killedAt = killMidRun(nats, owner);

                Duration deadline = LEASE.plusSeconds(4);
                standby.await("the standby moving records within " + deadline.toSeconds() + " s of the kill (lease "
                        + LEASE.toSeconds() + " s)", deadline, () -> recordsOut(standby) > 0);
                assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(deadline);
                standby.awaitReady(Duration.ofSeconds(10));
                assertAllCopiedOnceInOrder(nats, standby);
            }
        }
    }
}
