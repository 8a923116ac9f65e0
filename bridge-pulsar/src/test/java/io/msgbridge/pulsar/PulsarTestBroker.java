package io.msgbridge.pulsar;

import io.msgbridge.testing.BrokerProcesses;
import io.msgbridge.testing.Ports;
import io.msgbridge.testing.TestCertificates;
import org.apache.pulsar.client.api.AuthenticationFactory;
import org.apache.pulsar.client.api.ClientBuilder;
import org.apache.pulsar.client.api.PulsarClient;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Pulsar 4.0.8 standalone broker as a child process, for tests (see
 * {@code ../shared/BROKERS.md}). The distribution is fetched once with {@code mvn dependency:get}
 * into {@code ~/.m2} and unpacked into {@code ~/.cache/msgbridge/pulsar-4.0.8}, reused across runs.
 * {@link #shared()} starts at most one broker per JVM (the slow part of a suite), on free ports with
 * data in a temp dir, and kills it when the JVM exits. It has JWT authentication and authorisation on
 * (super user {@code admin}: {@link #adminToken()}, {@link #clientBuilder()}), so that one broker
 * serves the auth tests too, broker deduplication on, and a TLS listener besides the plain one
 * ({@link #tlsServiceUrl()}, certificate signed by a test CA: {@link #tlsCa()}). {@link #stop()} and {@link #start()} restart
 * it on the same ports with its data kept, for outage tests.
 */
public final class PulsarTestBroker {
    public static final String VERSION = "4.0.8";
    private static final Duration READY_DEADLINE = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static PulsarTestBroker shared;

    private final Path home;
    private final Path data;
    private final int brokerPort;
    private final int webPort;
    private final int bookiePort;
    private final int tlsPort;
    private final TestCertificates certificates;
    private final byte[] secretKey;
    private Process process;

    private PulsarTestBroker(Path home, Path data, boolean auth) throws IOException {
        this.home = home;
        this.data = data;
        this.brokerPort = Ports.free();
        this.webPort = Ports.free();
        this.bookiePort = Ports.free();
        this.tlsPort = Ports.free();
        Path tls = Files.createDirectories(data.resolve("tls"));
        this.certificates = TestCertificates.create(tls, "broker");
        if (auth) {
            secretKey = new byte[32];
            new SecureRandom().nextBytes(secretKey);
        } else {
            secretKey = null;
        }
        writeConfig();
    }

    /** The broker of this JVM, with JWT auth (super user {@code admin}), started on first use. */
    public static synchronized PulsarTestBroker shared() {
        if (shared == null) {
            shared = launch(true);
        }
        return shared;
    }

    /**
     * Starts a broker on fresh ports and data; a broker that exits while starting is tried once more
     * on other ports, with the first one's log tail on stderr (a start that fails twice throws it).
     */
    private static PulsarTestBroker launch(boolean auth) {
        try {
            try {
                return launchOnce(auth);
            } catch (BrokerExited first) {
                System.err.println("the Pulsar test broker exited while starting; starting another on other ports. " + first.getMessage());
                return launchOnce(auth);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PulsarTestBroker launchOnce(boolean auth) throws IOException {
        Path data = Files.createTempDirectory("pulsar-test-");
        PulsarTestBroker broker = new PulsarTestBroker(distribution(), data, auth);
        Thread kill = new Thread(broker::kill, "pulsar-test-broker-kill");
        Runtime.getRuntime().addShutdownHook(kill);
        try {
            broker.start(true);
            return broker;
        } catch (RuntimeException e) {
            Runtime.getRuntime().removeShutdownHook(kill);
            broker.kill();
            throw e;
        }
    }

    /** The broker process ended before it was ready; the message holds the end of its log. */
    private static final class BrokerExited extends IllegalStateException {
        BrokerExited(String message) {
            super(message);
        }
    }

    public String serviceUrl() {
        return "pulsar://127.0.0.1:" + brokerPort;
    }

    /** The TLS listener: its certificate is signed by {@link #tlsCa()} and valid for 127.0.0.1. */
    public String tlsServiceUrl() {
        return "pulsar+ssl://127.0.0.1:" + tlsPort;
    }

    /** The PEM file of the CA that signed the broker's certificate. */
    public Path tlsCa() {
        return certificates.ca();
    }

    public String webUrl() {
        return "http://127.0.0.1:" + webPort;
    }

    /** Whether this broker requires a token. */
    public boolean authEnabled() {
        return secretKey != null;
    }

    /** A JWT (HS256) for {@code subject}, signed with this broker's secret key. */
    public String token(String subject) {
        if (secretKey == null) {
            throw new IllegalStateException("this broker has no authentication");
        }
        return jwt(subject, secretKey);
    }

    /** A token of the super user {@code admin}. */
    public String adminToken() {
        return token("admin");
    }

    /** A client builder on this broker, authenticated as {@code admin} when auth is on. */
    public ClientBuilder clientBuilder() {
        ClientBuilder builder = PulsarClient.builder().serviceUrl(serviceUrl());
        return secretKey == null ? builder : builder.authentication(AuthenticationFactory.token(adminToken()));
    }

    /** A well-formed JWT signed with a key this broker does not know. */
    public static String foreignToken(String subject) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return jwt(subject, key);
    }

    /** Starts the broker again after {@link #stop()}, on the same ports, keeping its data. */
    public synchronized void start() {
        start(false);
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

    /** Creates a partitioned topic ({@code persistent://public/default/NAME}) through the admin API. */
    public void createPartitionedTopic(String name, int partitions) {
        admin("PUT", "/admin/v2/persistent/public/default/" + name + "/partitions", Integer.toString(partitions));
    }

    /**
     * Creates namespace {@code public/NAME} in which the broker does not create topics on first use
     * (its auto-topic-creation policy overrides the broker's {@code allowAutoTopicCreation=true}).
     */
    public void createNamespaceWithoutAutoTopicCreation(String name) {
        admin("PUT", "/admin/v2/namespaces/public/" + name, null);
        admin("POST", "/admin/v2/namespaces/public/" + name + "/autoTopicCreation", "{\"allowAutoTopicCreation\":false}");
    }

    /** The names of the producers connected to {@code topic} (a full {@code persistent://} name), from the topic's stats. */
    public List<String> publishers(String topic) {
        String path = "/admin/v2/" + topic.replace("://", "/") + "/stats";
        try {
            HttpResponse<String> response = send("GET", path, null);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + ": " + response.statusCode() + " " + response.body());
            }
            List<String> names = new ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"producerName\"\\s*:\\s*\"([^\"]*)\"").matcher(response.body());
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The subscriptions on {@code topic} (a full {@code persistent://} name; of all its partitions when it
     * is partitioned), or empty when the topic does not exist.
     */
    public Optional<List<String>> subscriptions(String topic) {
        String path = "/admin/v2/" + topic.replace("://", "/") + "/subscriptions";
        try {
            HttpResponse<String> response = send("GET", path, null);
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + ": " + response.statusCode() + " " + response.body());
            }
            List<String> names = new ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"([^\"]*)\"").matcher(response.body());
            while (m.find()) {
                names.add(m.group(1));
            }
            return Optional.of(names);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Freezes the broker (SIGSTOP to it and its child processes): connections stay open, nothing is
     * answered, as with a broker stuck in a long pause. {@link #thaw()} undoes it.
     */
    public synchronized void freeze() {
        signal("STOP");
    }

    /** Lets a {@link #freeze() frozen} broker go on (SIGCONT). */
    public synchronized void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + name, Long.toString(process.pid())));
        process.descendants().forEach(p -> command.add(Long.toString(p.pid())));
        try {
            Process kill = new ProcessBuilder(command).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    private void start(boolean wipe) {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/pulsar").toString(), "standalone", "-nfw", "-nss",
                "--metadata-dir", data.resolve("metadata").toString(),
                "--bookkeeper-dir", data.resolve("bookkeeper").toString(),
                "--bookkeeper-port", Integer.toString(bookiePort)));
        if (wipe) {
            command.add("--wipe-data");
        }
        ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("broker.log").toFile()))
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("PULSAR_MEM", "-Xms256m -Xmx1g -XX:MaxDirectMemorySize=1g");
        pb.environment().put("PULSAR_GC", "-XX:+UseG1GC");
        pb.environment().put("PULSAR_GC_LOG", " ");
        pb.environment().put("PULSAR_LOG_DIR", data.resolve("logs").toString());
        pb.environment().put("PULSAR_STANDALONE_CONF", data.resolve("standalone.conf").toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Pulsar broker " + home, e);
        }
        awaitReady();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new BrokerExited("Pulsar broker exited with " + process.exitValue() + " while starting; the end of its log "
                        + data.resolve("broker.log") + ":\n" + BrokerProcesses.tail(data.resolve("broker.log"), 60));
            }
            if (portOpen(brokerPort) && portOpen(tlsPort) && adminOk("/admin/v2/namespaces/public/default")) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the broker", e);
            }
        }
        throw new IllegalStateException("Pulsar broker not ready within " + READY_DEADLINE + "; the end of its log "
                + data.resolve("broker.log") + ":\n" + BrokerProcesses.tail(data.resolve("broker.log"), 60));
    }

    private boolean adminOk(String path) {
        try {
            return send("GET", path, null).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private void admin(String method, String path, String body) {
        try {
            HttpResponse<String> response = send(method, path, body);
            if (response.statusCode() / 100 != 2 && response.statusCode() != 409) {
                throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(webUrl() + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (secretKey != null) {
            request.header("Authorization", "Bearer " + token("admin"));
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** At JVM exit: kills the broker and deletes its data. */
    private void kill() {
        BrokerProcesses.kill(process);
        BrokerProcesses.deleteTree(data);
    }

    private void writeConfig() throws IOException {
        StringBuilder conf = new StringBuilder("""
                clusterName=standalone
                bindAddress=127.0.0.1
                advertisedAddress=127.0.0.1
                brokerServicePort=%d
                webServicePort=%d
                managedLedgerDefaultEnsembleSize=1
                managedLedgerDefaultWriteQuorum=1
                managedLedgerDefaultAckQuorum=1
                brokerDeduplicationEnabled=true
                allowAutoTopicCreation=true
                allowAutoTopicCreationType=non-partitioned
                brokerServicePortTls=%d
                tlsCertificateFilePath=%s
                tlsKeyFilePath=%s
                tlsTrustCertsFilePath=%s
                """.formatted(brokerPort, webPort, tlsPort, certificates.certificate("broker"), certificates.key("broker"), certificates.ca()));
        if (secretKey != null) {
            Path key = data.resolve("secret.key");
            Files.write(key, secretKey);
            Path adminToken = data.resolve("admin.token");
            Files.writeString(adminToken, token("admin"));
            conf.append("""
                    authenticationEnabled=true
                    authenticationProviders=org.apache.pulsar.broker.authentication.AuthenticationProviderToken
                    tokenSecretKey=file://%s
                    authorizationEnabled=true
                    superUserRoles=admin
                    brokerClientAuthenticationPlugin=org.apache.pulsar.client.impl.auth.AuthenticationToken
                    brokerClientAuthenticationParameters=file://%s
                    """.formatted(key.toAbsolutePath(), adminToken.toAbsolutePath()));
        }
        Files.writeString(data.resolve("standalone.conf"), conf.toString());
    }

    /** The unpacked distribution, fetched and unpacked on first use. */
    static synchronized Path distribution() throws IOException {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "msgbridge");
        Path home = cache.resolve("pulsar-" + VERSION);
        if (Files.isExecutable(home.resolve("bin/pulsar"))) {
            return home;
        }
        Path tarball = Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "apache", "pulsar",
                "pulsar-server-distribution", VERSION, "pulsar-server-distribution-" + VERSION + "-bin.tar.gz");
        if (!Files.exists(tarball)) {
            run(List.of("mvn", "-B", "-q", "dependency:get",
                    "-Dartifact=org.apache.pulsar:pulsar-server-distribution:" + VERSION + ":tar.gz:bin", "-Dtransitive=false"));
        }
        Files.createDirectories(cache);
        Path unpack = Files.createTempDirectory(cache, "unpack-");
        run(List.of("tar", "xzf", tarball.toString(), "-C", unpack.toString()));
        try {
            Files.move(unpack.resolve("apache-pulsar-" + VERSION), home, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isExecutable(home.resolve("bin/pulsar"))) {
                throw e;
            }
        }
        BrokerProcesses.deleteTree(unpack);
        return home;
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

    private static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String jwt(String subject, byte[] key) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"sub\":\"" + subject + "\"}").getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signature = mac.doFinal((header + "." + payload).getBytes(StandardCharsets.UTF_8));
            return header + "." + payload + "." + b64.encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
