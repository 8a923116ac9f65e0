package io.msgbridge.runtime;

import io.msgbridge.config.BridgeConfig;
import io.msgbridge.config.HttpConfig;
import io.msgbridge.config.MemoryConfig;
import io.msgbridge.config.OffsetsConfig;
import io.msgbridge.spi.Secret;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link Reload#plan} says about changes outside the pipelines; BridgeTest covers the pipelines. */
class ReloadTest {
    private static final Path FILE = Path.of("bridge.yaml");
    private static final OffsetsConfig.Postgres STORE = new OffsetsConfig.Postgres("jdbc:postgresql://db:5432/bridge",
            "bridge", new Secret("pw"), "bridge", 4, Duration.ofSeconds(1));

    private static BridgeConfig config(OffsetsConfig offsets, HttpConfig http, Duration shutdownTimeout) {
        return config(offsets, http, shutdownTimeout, MemoryConfig.DEFAULT);
    }

    private static BridgeConfig config(OffsetsConfig offsets, HttpConfig http, Duration shutdownTimeout,
                                       MemoryConfig memory) {
        return new BridgeConfig(FILE, offsets, http, shutdownTimeout, memory, List.of());
    }

    private static List<String> restartNeeded(BridgeConfig current, BridgeConfig next) {
        return Reload.plan(current, next, List.of()).restartNeeded();
    }

    @Test
    void anUnchangedFileNeedsNoRestart() {
        BridgeConfig config = config(STORE, HttpConfig.DEFAULT, Duration.ofSeconds(30));

        assertThat(restartNeeded(config, config(STORE, HttpConfig.DEFAULT, Duration.ofSeconds(30)))).isEmpty();
    }

    @Test
    void changesOutsideThePipelinesAreReportedAsNeedingARestart() {
        BridgeConfig current = config(STORE, HttpConfig.DEFAULT, Duration.ofSeconds(30));
        OffsetsConfig.Postgres otherPassword = new OffsetsConfig.Postgres(STORE.url(), STORE.user(), new Secret("new-pw"),
                STORE.schema(), STORE.poolSize(), STORE.commitInterval());
        BridgeConfig next = config(otherPassword, new HttpConfig(true, "0.0.0.0", 9090), Duration.ofSeconds(60),
                new MemoryConfig.Share(40));

        assertThat(restartNeeded(current, next)).containsExactly(
                "offsets: the offset store's settings changed; the pipelines keep the store they started with;"
                        + " not applied: restart the daemon to apply it",
                "http: changed from listen 127.0.0.1:8083 to listen 0.0.0.0:9090; the endpoint stays as it is;"
                        + " not applied: restart the daemon to apply it",
                "shutdown-timeout: changed from 30s to 60s; not applied: restart the daemon to apply it",
                "memory: changed from 50% of the heap to 40% of the heap; the budget stays as it is;"
                        + " not applied: restart the daemon to apply it");
        assertThat(String.join("\n", restartNeeded(current, next))).doesNotContain("new-pw").doesNotContain("pw)");
    }

    @Test
    void aChangedAdminTokenIsReportedWithoutItsValue() {
        BridgeConfig current = config(STORE, new HttpConfig(true, "127.0.0.1", 8083, Optional.of(new Secret("old-token"))),
                Duration.ofSeconds(30));
        BridgeConfig next = config(STORE, new HttpConfig(true, "127.0.0.1", 8083, Optional.of(new Secret("new-token"))),
                Duration.ofSeconds(30));

        assertThat(restartNeeded(current, next)).containsExactly("http.admin-token: changed; the endpoint stays as it is;"
                + " not applied: restart the daemon to apply it");
    }

    @Test
    void aCommitIntervalChangeNeedsARestartOnlyWhenItChangesTheLeaseTime() {
        BridgeConfig current = config(STORE, HttpConfig.DEFAULT, Duration.ofSeconds(30));
        BridgeConfig sameLease = config(withInterval(Duration.ofMillis(1500)), HttpConfig.DEFAULT, Duration.ofSeconds(30));
        BridgeConfig longerLease = config(withInterval(Duration.ofSeconds(3)), HttpConfig.DEFAULT, Duration.ofSeconds(30));

        assertThat(restartNeeded(current, sameLease)).isEmpty();
        assertThat(restartNeeded(current, longerLease)).containsExactly(
                "offsets.commit-interval: the lease time it sets changed from 15s to 30s (pipelines that take their"
                        + " commit interval from it use the new one); not applied: restart the daemon to apply it");
    }

    private static OffsetsConfig withInterval(Duration interval) {
        return new OffsetsConfig.Postgres(STORE.url(), STORE.user(), STORE.password(), STORE.schema(), STORE.poolSize(),
                interval);
    }
}
