package org.edgesplit.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.edgesplit.avro.Plan;
import org.edgesplit.core.topics.Topic;
import org.edgesplit.core.topics.Topics;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {
    private static final Duration POLL = Duration.ofMillis(500);
    private static final int MAX_POLLS = 60;

    @Test
    void brokerCarriesTypedRecordsAndStopsCleanly() throws Exception {
        Topics topics = new Topics("embedded-test.");
        Topic<Plan> control = topics.control();
        EmbeddedKafka kafka = EmbeddedKafka.start();
        try {
            TopicAdmin.ensureTopics(kafka.settings(), topics, (short) 1);
            // A second call finds the topics and changes nothing.
            TopicAdmin.ensureTopics(kafka.settings(), topics, (short) 1);
            Plan plan =
                    Plan.newBuilder()
                            .setUeId("ue-7")
                            .setEpoch(3)
                            .setSplitPoint(2)
                            .setBits(4)
                            .setTransmitPowerW(0.5)
                            .setPlanner("test")
                            .setIssuedTimeMs(1L)
                            .build();
            try (KafkaProducer<String, Plan> producer =
                    new KafkaProducer<>(
                            kafka.settings().producer("test"),
                            Topic.keySerializer(),
                            control.valueSerializer())) {
                producer.send(new ProducerRecord<>(control.name(), plan.getUeId(), plan)).get();
            }
            List<ConsumerRecord<String, Plan>> seen = new ArrayList<>();
            try (KafkaConsumer<String, Plan> consumer =
                    new KafkaConsumer<>(
                            kafka.settings().consumer("test"),
                            Topic.keyDeserializer(),
                            control.valueDeserializer())) {
                consumer.subscribe(List.of(control.name()));
                for (int i = 0; i < MAX_POLLS && seen.isEmpty(); i++) {
                    consumer.poll(POLL).forEach(seen::add);
                }
            }
            assertThat(seen).hasSize(1);
            assertThat(seen.get(0).key()).isEqualTo("ue-7");
            assertThat(seen.get(0).value()).isEqualTo(plan);
        } finally {
            kafka.close();
        }
        assertThat(kafka.isRunning()).isFalse();
    }

    @Test
    void failedStartSaysWhy() {
        assertThatThrownBy(() -> EmbeddedKafka.start(Map.of("process.roles", "nonsense")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Invalid value nonsense");
    }

    @Test
    void clientPropertiesPassThrough() {
        KafkaSettings settings =
                new KafkaSettings(
                        "127.0.0.1:1",
                        Map.of(
                                "security.protocol",
                                "SASL_PLAINTEXT",
                                "sasl.mechanism",
                                "SCRAM-SHA-256"));
        assertThat(settings.producer("p").getProperty("security.protocol"))
                .isEqualTo("SASL_PLAINTEXT");
        assertThat(settings.consumer("g").getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-256");
        assertThatThrownBy(() -> KafkaSettings.of(" ")).hasMessageContaining("bootstrap");
    }
}
