package org.edgesplit.jobs;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.edgesplit.core.topics.Topic;

/** Writes records to their topic, keyed by UE id, with the topic's Avro serde. */
final class KeyedAvroSerializer<T extends SpecificRecord>
        implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final Topic<T> topic;
    private final SerializableFunction<T, String> ueId;

    KeyedAvroSerializer(Topic<T> topic, SerializableFunction<T, String> ueId) {
        this.topic = topic;
        this.ueId = ueId;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic.name(),
                null,
                timestamp,
                Topic.serializeKey(ueId.apply(element)),
                topic.valueSerde().serialize(element));
    }
}
