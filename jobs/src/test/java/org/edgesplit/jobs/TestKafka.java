package org.edgesplit.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.edgesplit.core.kafka.EmbeddedKafka;
import org.edgesplit.core.kafka.KafkaSettings;
import org.edgesplit.core.kafka.TopicAdmin;
import org.edgesplit.core.topics.Topic;
import org.edgesplit.core.topics.Topics;

/** One real broker for all tests of a JVM, and small helpers to write and read its topics. */
final class TestKafka {
    private static final Duration POLL = Duration.ofMillis(200);
    private static EmbeddedKafka broker;

    private TestKafka() {}

    static synchronized KafkaSettings settings() {
        if (broker == null) {
            broker = EmbeddedKafka.start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        }
        return broker.settings();
    }

    /** Fresh topics under a unique prefix, so tests never see each other's records. */
    static Topics freshTopics(String name) {
        Topics topics = new Topics(name + "-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        TopicAdmin.ensureTopics(settings(), topics, (short) 1);
        return topics;
    }

    /** A key and value as raw bytes, so tests can send malformed records too. */
    record Raw(byte[] key, byte[] value) {}

    static void produce(String topic, List<Raw> records) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(settings().producer("test-producer"))) {
            for (Raw r : records) {
                producer.send(new ProducerRecord<>(topic, r.key(), r.value()));
            }
            producer.flush();
        }
    }

    /** Reads committed records from the start until {@code done} holds or the deadline passes. */
    static <V extends SpecificRecord> List<V> consumeUntil(
            Topic<V> topic, Predicate<List<V>> done, Duration timeout) {
        List<V> seen = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer =
                new KafkaConsumer<>(
                        settings().consumer("reader-" + UUID.randomUUID()),
                        Topic.keyDeserializer(),
                        topic.valueDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < topic.partitions(); p++) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !done.test(seen)) {
                for (ConsumerRecord<String, V> r : consumer.poll(POLL)) {
                    seen.add(r.value());
                }
            }
        }
        return seen;
    }

    static Map<String, String> none() {
        return Map.of();
    }
}
