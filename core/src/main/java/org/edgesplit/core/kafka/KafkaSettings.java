package org.edgesplit.core.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How to reach a Kafka cluster: bootstrap servers plus client properties passed through as they are
 * (security.protocol, sasl.*, ssl.*, ...), so TLS or SASL need configuration only.
 */
public final class KafkaSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String bootstrapServers;
    private final TreeMap<String, String> clientProperties;

    public KafkaSettings(String bootstrapServers, Map<String, String> clientProperties) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers must not be empty");
        }
        this.bootstrapServers = bootstrapServers;
        this.clientProperties = new TreeMap<>(clientProperties);
    }

    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, Map.of());
    }

    /** Reads client properties from a Java properties file (may be null for none). */
    public static KafkaSettings of(String bootstrapServers, Path clientPropertiesFile) {
        return new KafkaSettings(bootstrapServers, readProperties(clientPropertiesFile));
    }

    public static Map<String, String> readProperties(Path file) {
        Map<String, String> map = new TreeMap<>();
        if (file == null) {
            return map;
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read Kafka client properties file " + file);
        }
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            props.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Kafka client properties file " + file, e);
        }
        props.forEach((k, v) -> map.put(k.toString(), v.toString()));
        return map;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Map<String, String> clientProperties() {
        return Map.copyOf(clientProperties);
    }

    /** Common properties: bootstrap plus the pass-through client properties. */
    public Properties common() {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    /** Byte-array producer properties; acks=all and idempotence so retries do not duplicate. */
    public Properties producer(String clientId) {
        Properties p = common();
        p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "1");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** Byte-array consumer properties; reads committed data only (exactly-once producers). */
    public Properties consumer(String groupId) {
        Properties p = common();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        return p;
    }

    @Override
    public String toString() {
        return "KafkaSettings{"
                + bootstrapServers
                + ", properties="
                + clientProperties.keySet()
                + "}";
    }
}
