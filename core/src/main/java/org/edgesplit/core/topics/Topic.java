package org.edgesplit.core.topics;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.edgesplit.core.avro.AvroSerde;

/**
 * A Kafka topic with its types: the key is always a UE id (UTF-8), the value an Avro record.
 *
 * @param name full topic name (prefix included)
 * @param valueSerde serde of the value records
 * @param partitions partitions when EdgeSplit creates the topic
 * @param compacted whether the topic keeps only the latest record per key
 */
public record Topic<V extends SpecificRecord>(
        String name, AvroSerde<V> valueSerde, int partitions, boolean compacted)
        implements Serializable {

    public String cleanupPolicy() {
        return compacted ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE;
    }

    public Class<V> valueType() {
        return valueSerde.type();
    }

    public static byte[] serializeKey(String ueId) {
        return ueId == null ? null : ueId.getBytes(StandardCharsets.UTF_8);
    }

    public static String deserializeKey(byte[] key) {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    public NewTopic newTopic(short replicationFactor) {
        return new NewTopic(name, partitions, replicationFactor)
                .configs(java.util.Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy()));
    }

    /** A Kafka serializer for plain producers. */
    public Serializer<V> valueSerializer() {
        return (topic, value) -> value == null ? null : valueSerde.serialize(value);
    }

    /** A Kafka deserializer for plain consumers; throws on bad bytes. */
    public Deserializer<V> valueDeserializer() {
        return (topic, bytes) -> bytes == null ? null : valueSerde.deserialize(bytes);
    }

    public static Serializer<String> keySerializer() {
        return (topic, key) -> serializeKey(key);
    }

    public static Deserializer<String> keyDeserializer() {
        return (topic, key) -> deserializeKey(key);
    }
}
