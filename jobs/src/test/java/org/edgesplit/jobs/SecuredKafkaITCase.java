package org.edgesplit.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.edgesplit.avro.InferenceResult;
import org.edgesplit.core.kafka.EmbeddedKafka;
import org.edgesplit.core.kafka.KafkaSettings;
import org.edgesplit.core.kafka.TopicAdmin;
import org.edgesplit.core.testing.TestPaths;
import org.edgesplit.core.topics.Topic;
import org.edgesplit.core.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker that accepts only SASL/SCRAM-SHA-256 clients, and every client of ours (topic admin,
 * frame producer, result consumer, the edge job on a MiniCluster) configured through a client
 * properties file alone.
 */
class SecuredKafkaITCase {
    private static final String BROKER_USER = "broker";
    private static final String EDGE_USER = "edgesplit";
    private static final String EDGE_PASSWORD = "edge-secret";
    private static final int UES = 8;
    private static final int FRAMES = 96;
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration POLL = Duration.ofMillis(200);

    /** Short client timeouts, so a refused client fails fast instead of retrying for a minute. */
    private static final Map<String, String> FAIL_FAST =
            Map.of("default.api.timeout.ms", "5000", "request.timeout.ms", "3000");

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(2)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    private static EmbeddedKafka broker;

    @BeforeAll
    static void startSecuredBroker() {
        Map<String, String> users = new LinkedHashMap<>();
        users.put(BROKER_USER, "broker-secret");
        users.put(EDGE_USER, EDGE_PASSWORD);
        broker = EmbeddedKafka.startScram(users);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** A client properties file as a user would write it. */
    static Path propertiesFile(Path dir, String name, Map<String, String> entries)
            throws Exception {
        Properties p = new Properties();
        p.putAll(entries);
        Path file = dir.resolve(name);
        try (var out = Files.newBufferedWriter(file)) {
            p.store(out, "Kafka client properties for EdgeSplit");
        }
        return file;
    }

    @Test
    void edgeJobAnswersEveryFrameWithCredentialsFromThePropertiesFileOnly(@TempDir Path dir)
            throws Exception {
        Path clientFile =
                propertiesFile(
                        dir,
                        "client.properties",
                        EmbeddedKafka.scramClientProperties(EDGE_USER, EDGE_PASSWORD));
        KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers(), clientFile);
        Topics topics = new Topics("secured.");
        TopicAdmin.ensureTopics(kafka, topics, (short) 1);

        List<Frames.Made> frames =
                Frames.make(FRAMES, UES, List.of(new int[] {0, 8}, new int[] {2, 4}), 0, 0);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(kafka.producer("secured-frames"))) {
            for (Frames.Made m : frames) {
                TestKafka.Raw raw = m.raw(topics.features());
                producer.send(
                        new ProducerRecord<>(topics.features().name(), raw.key(), raw.value()));
            }
            producer.flush();
        }

        EdgeJobOptions options =
                EdgeJobOptions.parse(
                        "--bootstrap-servers", broker.bootstrapServers(),
                        "--kafka-properties", clientFile.toString(),
                        "--topic-prefix", topics.prefix(),
                        "--models", TestPaths.modelsDir().toString(),
                        "--parallelism", "2",
                        "--checkpoint-interval-ms", "1000",
                        "--delivery", "exactly-once");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(EdgeJob.flinkConfig(options));
        EdgeJob.attach(env, options);
        JobClient job = env.executeAsync("edge-job-on-secured-kafka");
        List<InferenceResult> results;
        try {
            results = consumeResults(kafka, topics.results(), FRAMES);
        } finally {
            job.cancel().get();
        }

        Set<String> sent = new HashSet<>();
        frames.forEach(m -> sent.add(m.frame().getUeId() + "#" + m.frame().getSeq()));
        assertThat(results).hasSize(FRAMES);
        assertThat(results.stream().map(r -> r.getUeId() + "#" + r.getSeq()))
                .containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    void refusesAClientWithoutCredentials(@TempDir Path dir) throws Exception {
        Path plainFile = propertiesFile(dir, "plain.properties", FAIL_FAST);
        KafkaSettings plain = KafkaSettings.of(broker.bootstrapServers(), plainFile);

        assertThatThrownBy(() -> TopicAdmin.ensureTopics(plain, new Topics("plain."), (short) 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot create topics");
    }

    @Test
    void refusesAClientWithTheWrongPassword(@TempDir Path dir) throws Exception {
        Map<String, String> wrong =
                new LinkedHashMap<>(EmbeddedKafka.scramClientProperties(EDGE_USER, "wrong"));
        wrong.putAll(FAIL_FAST);
        KafkaSettings kafka =
                KafkaSettings.of(
                        broker.bootstrapServers(), propertiesFile(dir, "wrong.properties", wrong));

        assertThatThrownBy(() -> TopicAdmin.ensureTopics(kafka, new Topics("wrong."), (short) 1))
                .hasRootCauseInstanceOf(SaslAuthenticationException.class);
    }

    private static List<InferenceResult> consumeResults(
            KafkaSettings kafka, Topic<InferenceResult> topic, int expected) {
        List<InferenceResult> seen = new ArrayList<>();
        try (KafkaConsumer<String, InferenceResult> consumer =
                new KafkaConsumer<>(
                        kafka.consumer("secured-reader"),
                        Topic.keyDeserializer(),
                        topic.valueDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < topic.partitions(); p++) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline && seen.size() < expected) {
                for (ConsumerRecord<String, InferenceResult> r : consumer.poll(POLL)) {
                    seen.add(r.value());
                }
            }
        }
        return seen.stream().collect(Collectors.toList());
    }
}
