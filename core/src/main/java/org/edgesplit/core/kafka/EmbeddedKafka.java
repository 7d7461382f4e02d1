package org.edgesplit.core.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.edgesplit.core.process.LocalProcesses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) on 127.0.0.1 with free
 * ports, run in a JVM of its own.
 *
 * <p>A separate JVM keeps Kafka's server dependencies (Scala, its Jackson and logging versions) off
 * the classpath of Flink and of our programs. Its classpath is resolved by Maven at build time into
 * the {@code broker.classpath} resource.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final String CLASSPATH_RESOURCE = "org/edgesplit/core/kafka/broker.classpath";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final int LOG_TAIL_LINES = 40;
    private static final String SCRAM_SHA_256 = "SCRAM-SHA-256";

    /** Placeholder in extra server properties for the broker's client port. */
    public static final String BROKER_PORT = "{broker.port}";

    /** Placeholder in extra server properties for the controller's port. */
    public static final String CONTROLLER_PORT = "{controller.port}";

    private final Path workDir;
    private final boolean ownsWorkDir;
    private final Process process;
    private final String bootstrapServers;
    private final Path logFile;

    private EmbeddedKafka(
            Path workDir,
            boolean ownsWorkDir,
            Process process,
            String bootstrapServers,
            Path logFile) {
        this.workDir = workDir;
        this.ownsWorkDir = ownsWorkDir;
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.logFile = logFile;
    }

    /** Starts a broker in a fresh temporary folder, deleted on close. */
    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /**
     * Starts a broker with extra {@code server.properties} entries (for example SASL listeners).
     * Values may name the chosen ports as {@value #BROKER_PORT} and {@value #CONTROLLER_PORT}.
     */
    public static EmbeddedKafka start(Map<String, String> extraServerProperties) {
        return start(extraServerProperties, List.of());
    }

    /**
     * Starts a broker with extra {@code server.properties} entries and extra arguments for {@code
     * kafka-storage format} (for example {@code --add-scram=...}, which creates SCRAM users before
     * the first start, as KRaft requires).
     */
    public static EmbeddedKafka start(
            Map<String, String> extraServerProperties, List<String> extraFormatArgs) {
        try {
            Path dir = Files.createTempDirectory("edgesplit-kafka-");
            return start(dir, true, extraServerProperties, extraFormatArgs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder for the embedded broker", e);
        }
    }

    /**
     * Starts a broker whose only client listener is SASL_PLAINTEXT with SCRAM-SHA-256, with the
     * given users (name to password); the first user is the broker's own (inter-broker) identity.
     * Clients need {@code security.protocol=SASL_PLAINTEXT}, {@code sasl.mechanism=SCRAM-SHA-256}
     * and a {@code ScramLoginModule} JAAS entry; see {@link #scramClientProperties}.
     */
    public static EmbeddedKafka startScram(Map<String, String> users) {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("at least one SCRAM user is needed");
        }
        Map.Entry<String, String> self = users.entrySet().iterator().next();
        Map<String, String> p = new LinkedHashMap<>();
        p.put(
                "listeners",
                "SASL_PLAINTEXT://127.0.0.1:"
                        + BROKER_PORT
                        + ",CONTROLLER://127.0.0.1:"
                        + CONTROLLER_PORT);
        p.put("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + BROKER_PORT);
        p.put(
                "listener.security.protocol.map",
                "CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT");
        p.put("inter.broker.listener.name", "SASL_PLAINTEXT");
        p.put("sasl.enabled.mechanisms", SCRAM_SHA_256);
        p.put("sasl.mechanism.inter.broker.protocol", SCRAM_SHA_256);
        p.put(
                "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config",
                scramJaas(self.getKey(), self.getValue()));
        List<String> format = new ArrayList<>();
        users.forEach(
                (user, password) ->
                        format.add(
                                "--add-scram="
                                        + SCRAM_SHA_256
                                        + "=[name=\""
                                        + user
                                        + "\",password=\""
                                        + password
                                        + "\"]"));
        return start(p, format);
    }

    /** Client properties for a broker from {@link #startScram}: what a properties file holds. */
    public static Map<String, String> scramClientProperties(String user, String password) {
        return Map.of(
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                SCRAM_SHA_256,
                "sasl.jaas.config",
                scramJaas(user, password));
    }

    private static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user
                + "\" password=\""
                + password
                + "\";";
    }

    static EmbeddedKafka start(Path dir, boolean ownsDir, Map<String, String> extra) {
        return start(dir, ownsDir, extra, List.of());
    }

    static EmbeddedKafka start(
            Path dir, boolean ownsDir, Map<String, String> extraTemplate, List<String> formatArgs) {
        long started = System.nanoTime();
        int brokerPort = freePort();
        int controllerPort = freePort();
        Map<String, String> extra = new LinkedHashMap<>();
        extraTemplate.forEach(
                (k, v) ->
                        extra.put(
                                k,
                                v.replace(BROKER_PORT, String.valueOf(brokerPort))
                                        .replace(CONTROLLER_PORT, String.valueOf(controllerPort))));
        String bootstrap = "127.0.0.1:" + brokerPort;
        Path logFile = dir.resolve("broker.log");
        try {
            Path config = writeServerProperties(dir, brokerPort, controllerPort, extra);
            Path log4j = writeLog4j(dir);
            String classpath = brokerClasspath();
            String clusterId = randomClusterId();

            List<String> format = javaCommand(classpath, log4j);
            format.add("kafka.tools.StorageTool");
            format.addAll(
                    List.of(
                            "format",
                            "--config=" + config,
                            "--cluster-id=" + clusterId,
                            "--ignore-formatted"));
            format.addAll(formatArgs);
            Process formatProcess =
                    new ProcessBuilder(format)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                            .start();
            if (!formatProcess.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    || formatProcess.exitValue() != 0) {
                formatProcess.destroyForcibly();
                throw new IllegalStateException(
                        "Kafka storage format failed; its output:\n" + tail(logFile));
            }

            List<String> serve = javaCommand(classpath, log4j);
            serve.add(BrokerMain.class.getName());
            serve.add(config.toString());
            Process broker =
                    new ProcessBuilder(serve)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                            .start();
            EmbeddedKafka kafka = new EmbeddedKafka(dir, ownsDir, broker, bootstrap, logFile);
            try {
                kafka.awaitReady(extra);
            } catch (RuntimeException e) {
                kafka.close();
                throw e;
            }
            LOG.info(
                    "Kafka broker up at {} in {} ms (pid {}, log {})",
                    bootstrap,
                    (System.nanoTime() - started) / 1_000_000,
                    broker.pid(),
                    logFile);
            return kafka;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot start the embedded Kafka broker: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(
                    "interrupted while starting the embedded Kafka broker", e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Settings for clients of this broker (plain text, no credentials). */
    public KafkaSettings settings() {
        return KafkaSettings.of(bootstrapServers);
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    private void awaitReady(Map<String, String> extra) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Map<String, Object> adminProps = new LinkedHashMap<>();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        // A secured broker cannot be probed with a plain admin client; its log says when it is up.
        boolean probeByLog = extra.keySet().stream().anyMatch(k -> k.startsWith("listener"));
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the embedded Kafka broker exited with code "
                                + process.exitValue()
                                + " while starting; its log:\n"
                                + tail(logFile));
            }
            if (probeByLog) {
                if (logContains("Kafka Server started")) {
                    return;
                }
            } else {
                try (Admin admin = Admin.create(adminProps)) {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    // Not listening yet.
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(
                "the embedded Kafka broker did not become ready within "
                        + START_TIMEOUT.toSeconds()
                        + " s; its log:\n"
                        + tail(logFile));
    }

    private boolean logContains(String text) {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the broker (SIGTERM, then SIGKILL after a grace period) and deletes its folder. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    LOG.warn(
                            "Kafka broker did not stop in {} s; killing it",
                            STOP_TIMEOUT.toSeconds());
                    process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (ownsWorkDir) {
            deleteRecursively(workDir);
        }
    }

    private static List<String> javaCommand(String classpath, Path log4j) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        // Small and quick to start: the broker serves a handful of clients on one machine.
        cmd.addAll(
                List.of(
                        "-Xms256m",
                        "-Xmx1g",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-Djava.awt.headless=true",
                        "-Dlog4j2.configurationFile=" + log4j.toUri(),
                        "-cp",
                        classpath));
        return cmd;
    }

    private static Path writeServerProperties(
            Path dir, int brokerPort, int controllerPort, Map<String, String> extra)
            throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put(
                "listeners",
                "PLAINTEXT://127.0.0.1:"
                        + brokerPort
                        + ",CONTROLLER://127.0.0.1:"
                        + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", dir.resolve("data").toString());
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        // Frames of the paper's 224x224 networks exceed Kafka's 1 MB default.
        p.put("message.max.bytes", String.valueOf(16 * 1024 * 1024));
        p.putAll(extra);
        StringBuilder text = new StringBuilder("# written by EdgeSplit's EmbeddedKafka\n");
        p.forEach(
                (k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        Path file = dir.resolve("server.properties");
        Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private static Path writeLog4j(Path dir) throws IOException {
        String config =
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.out.ref = out",
                        "appender.out.type = Console",
                        "appender.out.name = out",
                        "appender.out.layout.type = PatternLayout",
                        "appender.out.layout.pattern = [%d] %p %m (%c)%n",
                        "logger.kafka.name = kafka",
                        "logger.kafka.level = INFO",
                        "logger.apache.name = org.apache.kafka",
                        "logger.apache.level = WARN",
                        "");
        Path file = dir.resolve("log4j2.properties");
        Files.writeString(file, config, StandardCharsets.UTF_8);
        return file;
    }

    /** Kafka's server jars (resolved at build time) plus the jar or folder holding this class. */
    static String brokerClasspath() throws IOException {
        try (InputStream in =
                EmbeddedKafka.class.getClassLoader().getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "resource "
                                + CLASSPATH_RESOURCE
                                + " is missing: build the core module with Maven"
                                + " (it resolves the broker's classpath)");
            }
            String kafkaJars = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            for (String jar : kafkaJars.split(java.io.File.pathSeparator)) {
                if (!Files.exists(Path.of(jar))) {
                    throw new IllegalStateException(
                            "the broker classpath names a missing jar "
                                    + jar
                                    + "; rebuild the core module with Maven");
                }
            }
            Path self =
                    Paths.get(
                            EmbeddedKafka.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            return kafkaJars + java.io.File.pathSeparator + self;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the core classes", e);
        }
    }

    private static String randomClusterId() {
        // Kafka wants 16 bytes in URL-safe base64; avoid a leading '-' that a CLI reads as a flag.
        UUID uuid = UUID.randomUUID();
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(16);
        buffer.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        String id =
                java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
        return id.startsWith("-") ? "A" + id.substring(1) : id;
    }

    static int freePort() {
        return LocalProcesses.freePort();
    }

    static String tail(Path file) {
        return LocalProcesses.tail(file, LOG_TAIL_LINES);
    }

    private static void deleteRecursively(Path dir) {
        if (!LocalProcesses.deleteRecursively(dir)) {
            LOG.warn("could not delete all of {}", dir);
        }
    }

    /** Runs a broker until interrupted: {@code ./edgesplit kafka}. */
    public static void main(String[] args) throws InterruptedException {
        try (EmbeddedKafka kafka = start()) {
            TopicAdmin.ensureTopics(
                    kafka.settings(), org.edgesplit.core.topics.Topics.DEFAULT, (short) 1);
            System.out.println(
                    "Kafka broker running at " + kafka.bootstrapServers() + " (Ctrl-C stops it)");
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
            Thread.currentThread().join();
        }
    }
}
