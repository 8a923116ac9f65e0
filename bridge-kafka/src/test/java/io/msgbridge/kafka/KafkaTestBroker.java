package io.msgbridge.kafka;

import io.msgbridge.testing.BrokerProcesses;
import io.msgbridge.testing.Ports;
import io.msgbridge.testing.TestCertificates;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Kafka 4.4.0 broker (KRaft, broker and controller in one process) as a child process, for
 * tests (see {@code ../shared/BROKERS.md}). Kafka publishes no server tarball on Maven Central: the server
 * is {@code org.apache.kafka:kafka_2.13} and its runtime dependencies, which Maven copies once into
 * {@code ~/.cache/msgbridge/kafka-4.4.0/libs} (the jars themselves are cached in {@code ~/.m2}).
 * {@link #shared()} starts at most one broker per JVM, on free ports with data in a temp dir, and kills it
 * when the JVM exits. It has a plain listener ({@link #bootstrap()}) and a SASL/PLAIN one
 * ({@link #saslBootstrap()}: users {@code admin}/{@code admin-secret} and {@code alice}/{@code alice-secret}),
 * and a TLS one that requires a client certificate ({@link #tlsBootstrap()}: the CA {@link #tlsCa()} signed
 * the broker's certificate and the client's, {@link #clientCertificate()} with {@link #clientKey()}).
 * Topics are not created on first use (as in most production clusters): {@link #createTopic}.
 * {@link #stop()} and {@link #start()} restart it on the same ports with its data kept, for outage tests.
 */
public final class KafkaTestBroker {
    public static final String VERSION = "4.4.0";
    private static final Duration READY_DEADLINE = Duration.ofSeconds(90);
    /** Written to the log before each start, so that readiness is read from this start's lines only. */
    private static final String START_MARK = "=== test harness: starting the broker ===";
    private static KafkaTestBroker shared;

    private final Path libs;
    private final Path data;
    private final int port;
    private final int saslPort;
    private final int controllerPort;
    private final int tlsPort;
    private final TestCertificates certificates;
    private Process process;
    private Admin admin;

    private KafkaTestBroker(Path libs, Path data) throws IOException {
        this.libs = libs;
        this.data = data;
        this.port = Ports.free();
        this.saslPort = Ports.free();
        this.controllerPort = Ports.free();
        this.tlsPort = Ports.free();
        this.certificates = TestCertificates.create(Files.createDirectories(data.resolve("tls")), "broker", "client");
        Files.writeString(data.resolve("tls/broker-keystore.pem"), Files.readString(certificates.key("broker"))
                + Files.readString(certificates.certificate("broker")));
        writeConfig();
        format();
    }

    /** The broker of this JVM, started on first use. */
    public static synchronized KafkaTestBroker shared() {
        if (shared == null) {
            shared = launch();
        }
        return shared;
    }

    private static KafkaTestBroker launch() {
        try {
            Path data = Files.createTempDirectory("kafka-test-");
            KafkaTestBroker broker = new KafkaTestBroker(libraries(), data);
            Thread kill = new Thread(broker::kill, "kafka-test-broker-kill");
            Runtime.getRuntime().addShutdownHook(kill);
            try {
                broker.start();
                return broker;
            } catch (RuntimeException e) {
                Runtime.getRuntime().removeShutdownHook(kill);
                broker.kill();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:PORT} of the plain listener. */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** {@code 127.0.0.1:PORT} of the SASL/PLAIN listener (no TLS). */
    public String saslBootstrap() {
        return "127.0.0.1:" + saslPort;
    }

    /** {@code 127.0.0.1:PORT} of the TLS listener, which requires a client certificate signed by {@link #tlsCa()}. */
    public String tlsBootstrap() {
        return "127.0.0.1:" + tlsPort;
    }

    /** The PEM file of the CA that signed the broker's and the client's certificates. */
    public Path tlsCa() {
        return certificates.ca();
    }

    /** A client certificate (PEM) the TLS listener accepts. */
    public Path clientCertificate() {
        return certificates.certificate("client");
    }

    /** The client certificate's key (unencrypted PKCS#8 PEM). */
    public Path clientKey() {
        return certificates.key("client");
    }

    /** Starts the broker, or starts it again after {@link #stop()} on the same ports with its data; waits until it takes connections. */
    public synchronized void start() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xms256m", "-Xmx512m", "-XX:+UseG1GC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-cp", libs.resolve("*").toString(), "kafka.Kafka",
                data.resolve("server.properties").toString());
        ProcessBuilder pb = new ProcessBuilder(command).directory(data.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("broker.log").toFile()))
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Files.writeString(data.resolve("broker.log"), START_MARK + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka broker", e);
        }
        awaitReady();
    }

    /** SIGTERM; waits for the broker to exit. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /** An admin client on the plain listener; shared by the tests of a JVM, never closed. */
    public synchronized Admin admin() {
        if (admin == null) {
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
            admin = Admin.create(p);
        }
        return admin;
    }

    /**
     * Creates a topic with {@code partitions} partitions (one that exists already is left as it is) and
     * waits until every partition has a leader, so that what a test writes next goes to a partition that
     * takes it: on a loaded machine a new topic's leaders come a moment after the creation returns.
     */
    public void createTopic(String name, int partitions) {
        try {
            admin().createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + name, e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        }
        awaitLeaders(name);
    }

    private void awaitLeaders(String name) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "not described yet";
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription topic = admin().describeTopics(List.of(name)).allTopicNames().get(10, TimeUnit.SECONDS).get(name);
                List<Integer> leaderless = topic.partitions().stream().filter(p -> p.leader() == null || p.leader().isEmpty())
                        .map(TopicPartitionInfo::partition).toList();
                if (leaderless.isEmpty()) {
                    return;
                }
                last = "partitions without a leader: " + leaderless;
            } catch (Exception e) {
                last = e.toString();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the leaders of " + name, e);
            }
        }
        throw new IllegalStateException("topic " + name + " has no leader for every partition after 30 s: " + last);
    }

    /** Adds partitions to a topic, up to {@code total}. */
    public void addPartitions(String name, int total) {
        try {
            admin().createPartitions(Map.of(name, NewPartitions.increaseTo(total))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot add partitions to " + name, e);
        }
    }

    /**
     * A producer on the plain listener (bytes, acks=all, idempotent); the caller closes it. One request in
     * flight and long timeouts: on a loaded machine the broker can take longer than the client's default
     * 30 s to answer, and an idempotent producer whose request timed out with others in flight starts the
     * partition's sequence again, which the broker refuses as out of order until the batches expire.
     */
    public KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 120_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka broker exited with " + process.exitValue() + " while starting; the end of its log "
                        + data.resolve("broker.log") + ":\n" + BrokerProcesses.tail(data.resolve("broker.log"), 60));
            }
            if (portOpen(port) && portOpen(saslPort) && portOpen(tlsPort) && logSays("Kafka Server started")) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the broker", e);
            }
        }
        throw new IllegalStateException("Kafka broker not ready within " + READY_DEADLINE + "; the end of its log "
                + data.resolve("broker.log") + ":\n" + BrokerProcesses.tail(data.resolve("broker.log"), 60));
    }

    /** Whether the log says {@code text} since the last start (a restart appends to the same log). */
    private boolean logSays(String text) {
        try {
            String log = Files.readString(data.resolve("broker.log"), StandardCharsets.UTF_8);
            return log.indexOf(text, log.lastIndexOf(START_MARK)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** At JVM exit: kills the broker and deletes its data. */
    private void kill() {
        BrokerProcesses.kill(process);
        BrokerProcesses.deleteTree(data);
    }

    private void writeConfig() throws IOException {
        Files.writeString(data.resolve("server.properties"), """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%3$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,SASL_PLAINTEXT://127.0.0.1:%2$d,SSL://127.0.0.1:%5$d,CONTROLLER://127.0.0.1:%3$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d,SASL_PLAINTEXT://127.0.0.1:%2$d,SSL://127.0.0.1:%5$d
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                log.dirs=%4$s
                num.partitions=1
                auto.create.topics.enable=false
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=1
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                broker.session.timeout.ms=3000
                broker.heartbeat.interval.ms=500
                sasl.enabled.mechanisms=PLAIN
                listener.name.sasl_plaintext.sasl.enabled.mechanisms=PLAIN
                listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" user_admin="admin-secret" user_alice="alice-secret";
                listener.name.ssl.ssl.keystore.type=PEM
                listener.name.ssl.ssl.keystore.location=%6$s
                listener.name.ssl.ssl.truststore.type=PEM
                listener.name.ssl.ssl.truststore.location=%7$s
                listener.name.ssl.ssl.client.auth=required
                """.formatted(port, saslPort, controllerPort, data.resolve("logs"), tlsPort,
                data.resolve("tls/broker-keystore.pem"), certificates.ca()));
    }

    /** Formats the log directory for a new single-node cluster. */
    private void format() throws IOException {
        byte[] id = new byte[16];
        String clusterId;
        do {
            new SecureRandom().nextBytes(id);
            clusterId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        } while (clusterId.startsWith("-"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        run(List.of(java, "-cp", libs.resolve("*").toString(), "kafka.tools.StorageTool", "format", "-t", clusterId,
                "-c", data.resolve("server.properties").toString()), data.resolve("format.log"));
    }

    /** The server's jars, copied by Maven into the cache on first use. */
    static synchronized Path libraries() throws IOException {
        Path home = Path.of(System.getProperty("user.home"), ".cache", "msgbridge", "kafka-" + VERSION);
        Path libs = home.resolve("libs");
        if (Files.exists(home.resolve("complete"))) {
            return libs;
        }
        Files.createDirectories(home);
        Path pom = home.resolve("pom.xml");
        Files.writeString(pom, """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>io.msgbridge.test</groupId>
                  <artifactId>kafka-server</artifactId>
                  <version>%1$s</version>
                  <packaging>pom</packaging>
                  <!-- The Kafka server for tests; kafka_2.13 declares slf4j-api 1.7, the simple binding needs 2.0. -->
                  <dependencies>
                    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>%1$s</version></dependency>
                    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>2.0.17</version></dependency>
                    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-simple</artifactId><version>2.0.17</version></dependency>
                  </dependencies>
                </project>
                """.formatted(VERSION));
        Path unpack = Files.createTempDirectory(home, "libs-");
        run(List.of("mvn", "-B", "-q", "-f", pom.toString(), "dependency:copy-dependencies", "-DincludeScope=runtime",
                "-DoutputDirectory=" + unpack), home.resolve("fetch.log"));
        if (Files.exists(home.resolve("complete"))) {
            BrokerProcesses.deleteTree(unpack);
            return libs;
        }
        BrokerProcesses.deleteTree(libs);
        try {
            Files.move(unpack, libs, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // another test JVM of this machine finished the same copy first
            BrokerProcesses.deleteTree(unpack);
            if (!Files.exists(home.resolve("complete"))) {
                throw e;
            }
            return libs;
        }
        Files.writeString(home.resolve("complete"), VERSION);
        return libs;
    }

    private static void run(List<String> command, Path log) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed; see " + log + ":\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }

    private static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
