package io.msgbridge.offsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.msgbridge.spi.Position;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileOffsetStoreTest extends OffsetStoreContract {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("data").resolve("offsets.json");
    }

    @Override
    protected OffsetStore newStore(Duration leaseTtl) {
        return new FileOffsetStore(file(), leaseTtl);
    }

    @Override
    protected void failWritesOfPartition(OffsetStore store, String partition) {
        ((FileOffsetStore) store).atomicFile().beforeRename(temp -> {
            if (Files.readString(temp).contains("\"" + partition + "\"")) {
                throw new IOException("injected failure before rename");
            }
        });
    }

    @Test
    void aCrashBetweenWriteAndRenameLeavesTheOldStateAndTheTempFileIsDiscarded() throws Exception {
        OffsetStore first = open(LONG_LEASE);
        first.commit(first.claim(PIPELINE, OWNER_A), List.of(commitOf("p0", 1, 1)));
        first.close();
        Path temp = file().resolveSibling("offsets.json.tmp");
        Files.writeString(temp, Files.readString(file()).replace("\"1\"", "\"99\"").substring(0, 40));

        OffsetStore reopened = open(LONG_LEASE);

        assertThat(reopened.load(PIPELINE).get("p0").position().offset()).isEqualTo("1");
        assertThat(temp).doesNotExist();
    }

    @Test
    void aWriteThatFailsBeforeTheRenameKeepsTheOldStateOnDiskAndInMemory() throws Exception {
        FileOffsetStore store = (FileOffsetStore) open(LONG_LEASE);
        Claim claim = store.claim(PIPELINE, OWNER_A);
        store.commit(claim, List.of(commitOf("p0", 1, 1)));
        String before = Files.readString(file());
        store.atomicFile().beforeRename(temp -> {
            throw new IOException("No space left on device");
        });

        assertThatThrownBy(() -> store.commit(claim, List.of(commitOf("p0", 2, 1))))
                .isInstanceOfSatisfying(OffsetStoreException.class, e -> {
                    assertThat(e.retriable()).isTrue();
                    assertThat(e).hasMessage("cannot write offsets file " + file().toAbsolutePath()
                            + ": No space left on device; the previous state is kept");
                });

        assertThat(Files.readString(file())).isEqualTo(before);
        assertThat(file().resolveSibling("offsets.json.tmp")).doesNotExist();
        assertThat(store.load(PIPELINE).get("p0").position().offset()).isEqualTo("1");
    }

    @Test
    void theFileHoldsEachPipelinesClaimAndPartitionsAsJson() throws Exception {
        OffsetStore store = open(LONG_LEASE);
        Claim claim = store.claim(PIPELINE, OWNER_A);
        store.commit(claim, List.of(commitOf("p0", 7, 7),
                new OffsetCommit(position("nsq", "0a1b", Position.NO_SEQUENCE), 2)));

        JsonNode orders = new ObjectMapper().readTree(file().toFile()).path("pipelines").path(PIPELINE);

        assertThat(orders.path("claim").path("owner").asText()).isEqualTo(OWNER_A);
        assertThat(orders.path("claim").path("epoch").asLong()).isEqualTo(1);
        assertThat(orders.path("partitions")).hasSize(2);
        JsonNode nsq = orders.path("partitions").get(0);
        assertThat(nsq.path("partition").asText()).isEqualTo("nsq");
        assertThat(nsq.path("offset").asText()).isEqualTo("0a1b");
        assertThat(nsq.has("sequence")).isFalse();
        assertThat(nsq.path("records").asLong()).isEqualTo(2);
        assertThat(Instant.parse(nsq.path("committed_at").asText())).isNotNull();
        assertThat(orders.path("partitions").get(1).path("sequence").asLong()).isEqualTo(7);
        assertThat(orders.has("parked_keys")).as("absent while no key is parked").isFalse();

        store.commit(claim, List.of(), Optional.of(Set.of("k2", "k1")));

        JsonNode parked = new ObjectMapper().readTree(file().toFile()).path("pipelines").path(PIPELINE).path("parked_keys");
        assertThat(parked.toString()).isEqualTo("[\"k1\",\"k2\"]");
    }

    @Test
    void theLockFileNamesTheDaemonWhileItRuns() throws Exception {
        FileOffsetStore store = (FileOffsetStore) open(LONG_LEASE);

        assertThat(store.lockFile()).hasFileName("offsets.json.lock");
        assertThat(readInAnotherProcess(store.lockFile()).strip()).isEqualTo(LocalOwner.id());
    }

    @Test
    void aSecondDaemonInThisProcessIsRefusedAndTheLockStillHoldsAgainstOtherProcesses() throws Exception {
        open(LONG_LEASE);

        assertRefused(() -> open(LONG_LEASE), "offsets file " + file().toAbsolutePath()
                + " is in use by another daemon (owner " + LocalOwner.id() + ", lock file ");
        Process other = startHolder();
        String firstLine;
        try {
            firstLine = firstLine(other);
        } finally {
            other.getOutputStream().close();
            assertThat(other.waitFor(30, TimeUnit.SECONDS)).as("other process exited").isTrue();
        }
        assertThat(firstLine).startsWith("refused offsets file " + file().toAbsolutePath()
                + " is in use by another daemon (owner " + LocalOwner.id() + ", lock file ");
    }

    @Test
    void aSecondProcessIsRefusedNamingTheLockHolderWhileOperatorsMayStillList() throws Exception {
        Process holder = startHolder();
        try {
            String holderOwner = awaitReady(holder);
            assertThat(holderOwner).endsWith(":" + holder.pid());

            assertRefused(() -> open(LONG_LEASE), "offsets file " + file().toAbsolutePath()
                    + " is in use by another daemon (owner " + holderOwner + ", lock file ");
            assertThatThrownBy(() -> open(LONG_LEASE)).as("a daemon waiting for the file looks again soon")
                    .isInstanceOfSatisfying(OffsetStoreException.class,
                            e -> assertThat(e.retryAfter()).contains(FileOffsetStore.LOCK_RECHECK));
            try (FileOffsetStore operator = FileOffsetStore.forOperator(file())) {
                operator.open();
                assertThat(operator.list(Optional.empty())).extracting(StoredOffset::position)
                        .containsExactly(position("p0", "5", 5));
                assertThatThrownBy(() -> operator.set(PIPELINE, position("p0", "1", 1)))
                        .isInstanceOfSatisfying(OffsetStoreException.class, e -> assertThat(e.retriable()).isFalse())
                        .hasMessage("pipeline orders is being run by a daemon (owner " + holderOwner
                                + "); stop it first");
            }
        } finally {
            holder.getOutputStream().close();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).as("holder process exited").isTrue();
        }
        try (FileOffsetStore operator = FileOffsetStore.forOperator(file())) {
            operator.open();
            operator.set(PIPELINE, position("p0", "1", 1));
        }
        OffsetStore daemon = open(LONG_LEASE);
        assertThat(daemon.load(PIPELINE).get("p0").position()).isEqualTo(position("p0", "1", 1));
        assertThat(daemon.load(PIPELINE).get("p0").records()).isEqualTo(5);
    }

    @Test
    void anOperatorStoreCannotClaimOrCommit() throws Exception {
        try (FileOffsetStore operator = FileOffsetStore.forOperator(file())) {
            operator.open();

            assertThatThrownBy(() -> operator.claim(PIPELINE, OWNER_A))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("was opened for operator commands");
        }
    }

    @Test
    void aLeaseExpiresAfterItsTtlOnTheInjectedClock() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
        FileOffsetStore store = new FileOffsetStore(file(), Duration.ofSeconds(15), clock);
        store.open();
        try {
            Claim stale = store.claim(PIPELINE, OWNER_A);
            clock.advance(Duration.ofSeconds(10));
            store.commit(stale, List.of());
            clock.advance(Duration.ofSeconds(10));

            assertRefused(() -> store.claim(PIPELINE, OWNER_B),
                    "pipeline orders is claimed by host-a:101 (epoch 1) until 2026-11-23T10:00:25Z; it runs there");
            clock.advance(Duration.ofSeconds(5));
            Claim taken = store.claim(PIPELINE, OWNER_B);

            assertThat(taken.epoch()).isEqualTo(2);
            assertRefused(() -> store.commit(stale, List.of()), "claim of pipeline orders lost to host-b:202 (epoch 2)");
        } finally {
            store.close();
        }
    }

    @Test
    void aClaimLeftInTheFileByAnEarlierProcessHasExpired() throws Exception {
        OffsetStore crashed = open(LONG_LEASE);
        Claim old = crashed.claim(PIPELINE, OWNER_A);
        crashed.close();

        OffsetStore restarted = open(LONG_LEASE);

        assertThat(restarted.claim(PIPELINE, OWNER_B).epoch()).isEqualTo(old.epoch() + 1);
    }

    @Test
    void anUnreadableFileIsRefusedNamingTheFile() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "{\"version\": 1, \"pipelines\": {\"orders\": {\"partitions\": [{\"partition\": \"p0\"}]}}}");

        assertRefused(() -> open(LONG_LEASE), "offsets file " + file().toAbsolutePath() + " is not valid: ");
        assertThatThrownBy(() -> open(LONG_LEASE)).hasMessageContaining("offset of partition p0 is missing");
    }

    private Process startHolder() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                FileStoreHolder.class.getName(), file().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static String awaitReady(Process holder) throws Exception {
        String line = firstLine(holder);
        assertThat(line).as("first line of the holder process").startsWith("ready ");
        return line.substring("ready ".length());
    }

    private static String firstLine(Process process) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> readLine(out)).get(30, TimeUnit.SECONDS);
    }

    /** Reads a file without opening it in this JVM, where closing it would drop this JVM's lock on it. */
    private static String readInAnotherProcess(Path path) throws Exception {
        Process cat = new ProcessBuilder("cat", path.toString()).start();
        String content = new String(cat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cat.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return content;
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
