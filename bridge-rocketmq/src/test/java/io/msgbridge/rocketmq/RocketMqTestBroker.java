package io.msgbridge.rocketmq;

import io.msgbridge.testing.BrokerProcesses;
import io.msgbridge.testing.Ports;
import io.msgbridge.testing.TestCertificates;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.remoting.RPCHook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache RocketMQ 5.5.0 NameServer and broker as child processes, for tests (see
 * {@code ../shared/BROKERS.md}). The server jars (rocketmq-namesrv, rocketmq-broker and their runtime
 * dependencies) are fetched by Maven into {@code ~/.m2} once; the class path that runs them is written to
 * {@code ~/.cache/msgbridge/rocketmq-5.5.0/classpath.txt} and kept off the tests' own class path.
 * {@link #shared()} starts at most one pair per test JVM, on free ports with data in a temp dir, and kills
 * both when the JVM exits. ACL 2.0 is on (user {@link #ACCESS_KEY}, a super user), so one broker serves the
 * credential tests too. NameServer and broker take TLS and plain connections on the same port (TLS
 * "permissive"), with a certificate signed by {@link #tlsCa()}. {@link #stop()} kills the broker (SIGKILL: its store is recovered at the next start;
 * SIGTERM takes 9-18 s of fixed sleeps) and {@link #start()} starts it again on the same ports and store.
 */
public final class RocketMqTestBroker implements AutoCloseable {
    public static final String VERSION = "5.5.0";
    public static final String ACCESS_KEY = "bridge";
    public static final String SECRET_KEY = "bridge-secret-key";
    private static final Duration READY_DEADLINE = Duration.ofSeconds(60);
    private static RocketMqTestBroker shared;

    private final Path data;
    private final String classpath;
    private final TestCertificates certificates;
    private final int nameServerPort;
    private final int brokerPort;
    private final boolean autoCreateTopics;
    private Process nameServer;
    private Process broker;

    private RocketMqTestBroker(Path data, String classpath, int firstPort, boolean autoCreateTopics) throws IOException {
        this.data = data;
        this.autoCreateTopics = autoCreateTopics;
        this.classpath = classpath;
        this.nameServerPort = firstPort + 1;
        this.brokerPort = firstPort + 2;
        Files.createDirectories(data.resolve("tmp"));
        this.certificates = TestCertificates.create(Files.createDirectories(data.resolve("tls")), "server");
        writeConfig();
    }

    /** The pair of this JVM, started on first use. */
    public static synchronized RocketMqTestBroker shared() {
        if (shared == null) {
            shared = launch(true);
        }
        return shared;
    }

    /**
     * A pair of its own whose broker creates no topics ({@code autoCreateTopicEnable=false}): a topic exists
     * once {@link RocketMqTestClient#createTopicOnBroker} created it. {@link #close()} it.
     */
    public static RocketMqTestBroker withoutTopicCreation() {
        return launch(false);
    }

    private static RocketMqTestBroker launch(boolean autoCreateTopics) {
        try {
            String classpath = serverClasspath();
            IllegalStateException first = null;
            for (int attempt = 0; attempt < 2; attempt++) {
                Path data = Files.createTempDirectory("rocketmq-test-");
                RocketMqTestBroker pair = new RocketMqTestBroker(data, classpath, fourFreePorts(), autoCreateTopics);
                Thread kill = new Thread(pair::kill, "rocketmq-test-broker-kill");
                Runtime.getRuntime().addShutdownHook(kill);
                try {
                    pair.startNameServer();
                    pair.start();
                    return pair;
                } catch (IllegalStateException e) {
                    Runtime.getRuntime().removeShutdownHook(kill);
                    pair.kill();
                    if (first != null) {
                        throw e;
                    }
                    System.err.println("the RocketMQ test broker did not start; trying once more on other ports. " + e.getMessage());
                    first = e;
                }
            }
            throw first;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The NameServer address, {@code 127.0.0.1:PORT}. */
    public String nameServer() {
        return "127.0.0.1:" + nameServerPort;
    }

    /** The broker's address, {@code 127.0.0.1:PORT}. */
    public String brokerAddress() {
        return "127.0.0.1:" + brokerPort;
    }

    /** The PEM file of the CA that signed the servers' TLS certificate (valid for 127.0.0.1). */
    public Path tlsCa() {
        return certificates.ca();
    }

    /** The ACL hook of the test user. */
    public static RPCHook rpcHook() {
        return new AclClientRPCHook(new SessionCredentials(ACCESS_KEY, SECRET_KEY));
    }

    /** Connection options on this pair, with the test user's credentials. */
    public RocketMqConnectionOptions options(String name) {
        return RocketMqConnectionOptions.of(name, nameServer()).withCredentials(ACCESS_KEY, SECRET_KEY);
    }

    /** A {@code connections} entry for this pair: {@code { type: rocketmq, ... }}. */
    public String connection() {
        return "{ type: rocketmq, name-server: [\"" + nameServer() + "\"], access-key: " + ACCESS_KEY
                + ", secret-key: \"" + SECRET_KEY + "\", operation-timeout: 2s }";
    }

    /** Starts the broker (after {@link #stop()}), on the same ports with its store kept; returns once it serves. */
    public synchronized void start() {
        broker = launch("broker", "org.apache.rocketmq.broker.BrokerStartup", "512m", "boot success",
                "-c", data.resolve("broker.conf").toString(), "-n", nameServer());
    }

    /** Kills the broker (SIGKILL); the NameServer stays up. */
    public synchronized void stop() {
        if (broker != null) {
            broker.destroyForcibly();
            try {
                broker.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            broker = null;
        }
    }

    public synchronized boolean running() {
        return broker != null && broker.isAlive();
    }

    private void startNameServer() {
        nameServer = launch("namesrv", "org.apache.rocketmq.namesrv.NamesrvStartup", "256m", "The Name Server boot success",
                "-c", data.resolve("namesrv.conf").toString());
    }

    private Process launch(String name, String main, String heap, String readyLine, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseSerialGC",
                "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
                "-Drocketmq.home.dir=" + data, "-Duser.home=" + data, "-Djava.io.tmpdir=" + data.resolve("tmp"),
                "-Dtls.server.mode=permissive", "-Dtls.test.mode.enable=false", "-Dtls.server.need.client.auth=none",
                "-Dtls.server.certPath=" + certificates.certificate("server"), "-Dtls.server.keyPath=" + certificates.key("server"),
                "-Drmq.logback.configurationFile=rmq." + name + ".logback.xml",
                "-Dlogback.statusListenerClass=org.apache.rocketmq.logging.ch.qos.logback.core.status.NopStatusListener",
                "-cp", classpath, main));
        command.addAll(List.of(args));
        Path log = data.resolve(name + ".out");
        try {
            Files.deleteIfExists(log);
            Process p = new ProcessBuilder(command).directory(data.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            awaitLine(p, log, readyLine, name);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the RocketMQ " + name, e);
        }
    }

    private static void awaitLine(Process p, Path log, String line, String name) throws IOException {
        long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            String out = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (out.contains(line)) {
                return;
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("RocketMQ " + name + " exited with " + p.exitValue() + " while starting:\n" + tail(out));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the RocketMQ " + name, e);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("RocketMQ " + name + " not ready within " + READY_DEADLINE + ":\n"
                + tail(Files.readString(log, StandardCharsets.UTF_8)));
    }

    private static String tail(String out) {
        List<String> lines = out.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Kills both processes and deletes the data, for a pair of its own; the shared pair goes at JVM exit. */
    @Override
    public synchronized void close() {
        kill();
    }

    /** Kills both processes and deletes the data. */
    private void kill() {
        BrokerProcesses.kill(broker);
        BrokerProcesses.kill(nameServer);
        BrokerProcesses.deleteTree(data);
    }

    private void writeConfig() throws IOException {
        Files.writeString(data.resolve("namesrv.conf"), """
                listenPort=%d
                bindAddress=127.0.0.1
                """.formatted(nameServerPort));
        String user = "{\"username\":\"" + ACCESS_KEY + "\",\"password\":\"" + SECRET_KEY + "\"}";
        String inner = "{\"accessKey\":\"" + ACCESS_KEY + "\",\"secretKey\":\"" + SECRET_KEY + "\"}";
        Files.writeString(data.resolve("broker.conf"), """
                brokerClusterName=TestCluster
                brokerName=broker-a
                brokerId=0
                brokerRole=ASYNC_MASTER
                flushDiskType=ASYNC_FLUSH
                listenPort=%d
                haListenPort=%d
                bindAddress=127.0.0.1
                brokerIP1=127.0.0.1
                storePathRootDir=%s
                storePathCommitLog=%s
                autoCreateTopicEnable=%s
                autoCreateSubscriptionGroup=true
                defaultTopicQueueNums=8
                mappedFileSizeCommitLog=67108864
                authenticationEnabled=true
                authenticationProvider=org.apache.rocketmq.auth.authentication.provider.DefaultAuthenticationProvider
                authenticationMetadataProvider=org.apache.rocketmq.auth.authentication.provider.LocalAuthenticationMetadataProvider
                initAuthenticationUser=%s
                innerClientAuthenticationCredentials=%s
                authorizationEnabled=true
                authorizationProvider=org.apache.rocketmq.auth.authorization.provider.DefaultAuthorizationProvider
                authorizationMetadataProvider=org.apache.rocketmq.auth.authorization.provider.LocalAuthorizationMetadataProvider
                """.formatted(brokerPort, brokerPort + 1, data.resolve("store"), data.resolve("store/commitlog"), autoCreateTopics, user, inner));
    }

    /** Four consecutive free ports: the broker's fast port, the NameServer, the broker, the broker's HA port. */
    private static int fourFreePorts() throws IOException {
        for (int tries = 0; tries < 100; tries++) {
            int first = Ports.free();
            if (free(first + 1) && free(first + 2) && free(first + 3)) {
                return first;
            }
        }
        throw new IOException("no four consecutive free ports found");
    }

    private static boolean free(int port) {
        try (ServerSocket probe = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The class path of the server jars, resolved by Maven once (a pom of its own under
     * {@code ~/.cache/msgbridge}) and kept there; resolved again when a jar of it is gone.
     */
    static synchronized String serverClasspath() throws IOException {
        Path home = Path.of(System.getProperty("user.home"), ".cache", "msgbridge", "rocketmq-" + VERSION);
        Path file = home.resolve("classpath.txt");
        if (Files.exists(file)) {
            String cp = Files.readString(file).strip();
            if (!cp.isEmpty() && java.util.Arrays.stream(cp.split(":")).allMatch(jar -> Files.exists(Path.of(jar)))) {
                return cp;
            }
        }
        Files.createDirectories(home);
        Files.writeString(home.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>io.msgbridge.test</groupId><artifactId>rocketmq-server</artifactId><version>1</version>
                  <dependencies>
                    <dependency><groupId>org.apache.rocketmq</groupId><artifactId>rocketmq-namesrv</artifactId><version>%1$s</version></dependency>
                    <dependency><groupId>org.apache.rocketmq</groupId><artifactId>rocketmq-broker</artifactId><version>%1$s</version></dependency>
                  </dependencies>
                </project>
                """.formatted(VERSION));
        Path partial = home.resolve("classpath.tmp");
        run(List.of("mvn", "-B", "-q", "-f", home.resolve("pom.xml").toString(), "dependency:build-classpath",
                "-Dmdep.outputFile=" + partial, "-Dmdep.includeScope=runtime"));
        Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return Files.readString(file).strip();
    }

    private static void run(List<String> command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}
