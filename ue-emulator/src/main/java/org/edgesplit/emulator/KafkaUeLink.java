package org.edgesplit.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.edgesplit.avro.FeatureFrame;
import org.edgesplit.avro.InferenceResult;
import org.edgesplit.avro.Plan;
import org.edgesplit.avro.UeTelemetry;
import org.edgesplit.core.kafka.KafkaSettings;
import org.edgesplit.core.topics.Topic;
import org.edgesplit.core.topics.Topics;

/**
 * The UEs' side of Kafka: frames and telemetry out (keyed by UE id), results and plans in. Plans
 * are read from the start of the compacted control topic (a UE's latest plan); results from the end
 * as of start-up.
 */
public final class KafkaUeLink implements FrameSink {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration LEADER_WAIT = Duration.ofSeconds(10);

    private final Topics topics;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread poller;
    private volatile boolean running = true;
    private volatile Throwable sendError;

    public KafkaUeLink(
            KafkaSettings kafka,
            Topics topics,
            Consumer<InferenceResult> results,
            Consumer<Plan> plans) {
        this.topics = topics;
        Properties pp = kafka.producer("edgesplit-ue-emulator");
        // One request in flight per connection: a retry after NOT_LEADER on a fresh topic cannot
        // then leave the idempotent producer in an OUT_OF_ORDER_SEQUENCE_NUMBER retry loop (seen
        // here for two minutes on a just-created topic). Batching keeps the throughput.
        pp.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        this.producer = new KafkaProducer<>(pp);
        Properties c = kafka.consumer("edgesplit-ue-emulator-" + UUID.randomUUID());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(c);
        List<TopicPartition> resultParts = partitions(topics.results());
        List<TopicPartition> controlParts = partitions(topics.control());
        List<TopicPartition> all = new ArrayList<>(resultParts);
        all.addAll(controlParts);
        consumer.assign(all);
        consumer.seekToEnd(resultParts);
        consumer.seekToBeginning(controlParts);
        resultParts.forEach(consumer::position); // fix the start before any frame is sent
        Topic<InferenceResult> resultTopic = topics.results();
        Topic<Plan> controlTopic = topics.control();
        this.poller =
                new Thread(
                        () -> {
                            try {
                                while (running) {
                                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                                        if (r.value() == null) {
                                            continue;
                                        }
                                        try {
                                            if (r.topic().equals(resultTopic.name())) {
                                                results.accept(
                                                        resultTopic
                                                                .valueSerde()
                                                                .deserialize(r.value()));
                                            } else {
                                                plans.accept(
                                                        controlTopic
                                                                .valueSerde()
                                                                .deserialize(r.value()));
                                            }
                                        } catch (RuntimeException e) {
                                            // Not ours to judge: a record we cannot read is
                                            // skipped.
                                        }
                                    }
                                }
                            } catch (WakeupException e) {
                                // closing
                            } finally {
                                consumer.close();
                            }
                        },
                        "ue-results-and-plans");
        poller.setDaemon(true);
        poller.start();
    }

    private static List<TopicPartition> partitions(Topic<?> topic) {
        List<TopicPartition> out = new ArrayList<>();
        for (int p = 0; p < topic.partitions(); p++) {
            out.add(new TopicPartition(topic.name(), p));
        }
        return out;
    }

    @Override
    public void frame(FeatureFrame frame) {
        send(
                topics.features().name(),
                frame.getUeId(),
                topics.features().valueSerde().serialize(frame));
    }

    @Override
    public void telemetry(UeTelemetry telemetry) {
        send(
                topics.telemetry().name(),
                telemetry.getUeId(),
                topics.telemetry().valueSerde().serialize(telemetry));
    }

    /** Sends a record already serialized (replay). */
    public void send(String topic, String ueId, byte[] value) {
        if (sendError != null) {
            throw new IllegalStateException(
                    "Kafka send failed: " + sendError.getMessage(), sendError);
        }
        producer.send(
                new ProducerRecord<>(topic, Topic.serializeKey(ueId), value),
                (md, e) -> {
                    if (e != null) {
                        sendError = e;
                    }
                });
    }

    @Override
    public int wireBytes(FeatureFrame frame) {
        return topics.features().valueSerde().serialize(frame).length;
    }

    public Topics topics() {
        return topics;
    }

    /** Fetches the topics' metadata now, so the first send does not block on it. */
    public void warmUp() {
        awaitLeaders(topics.features().name());
        awaitLeaders(topics.telemetry().name());
    }

    private void awaitLeaders(String topic) {
        long deadline = System.nanoTime() + LEADER_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            var parts = producer.partitionsFor(topic);
            if (!parts.isEmpty() && parts.stream().allMatch(p -> p.leader() != null)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Also serializes a frame once (schema set-up), without sending it. */
    public void warmUp(FeatureFrame sample) {
        warmUp();
        if (sample != null) {
            for (int i = 0; i < 1000; i++) {
                wireBytes(sample);
            }
        }
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }
}
