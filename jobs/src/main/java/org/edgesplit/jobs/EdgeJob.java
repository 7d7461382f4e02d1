package org.edgesplit.jobs;

import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.edgesplit.avro.DeadLetter;
import org.edgesplit.avro.InferenceResult;
import org.edgesplit.avro.Plan;
import org.edgesplit.core.kafka.KafkaSettings;
import org.edgesplit.core.topics.Topics;
import org.edgesplit.jobs.planning.PlanningPipeline;

/** The edge job: Kafka features in, inference results and dead letters out. */
public final class EdgeJob {
    private EdgeJob() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(
                    "EdgeSplit edge job. Options:\n" + EdgeJobOptions.help(EdgeJobOptions.OPTIONS));
            return;
        }
        EdgeJobOptions options = EdgeJobOptions.parse(args);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(flinkConfig(options));
        attach(env, options);
        env.execute("EdgeSplit edge job");
    }

    /**
     * Checkpointing and its mode, from the options; restart strategy stays with the cluster's
     * configuration.
     */
    public static Configuration flinkConfig(EdgeJobOptions options) {
        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.BUFFER_TIMEOUT, options.bufferTimeout());
        if (!options.checkpointInterval().isZero()) {
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, options.checkpointInterval());
            conf.set(
                    CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                    options.delivery() == EdgeJobOptions.Delivery.EXACTLY_ONCE
                            ? CheckpointingMode.EXACTLY_ONCE
                            : CheckpointingMode.AT_LEAST_ONCE);
        }
        return conf;
    }

    /** Wires Kafka source → pipeline → Kafka sinks onto {@code env}. */
    public static void attach(StreamExecutionEnvironment env, EdgeJobOptions options) {
        env.getConfig().setGlobalJobParameters(options.asConfiguration());
        if (options.parallelism() > 0) {
            env.setParallelism(options.parallelism());
        }
        Topics topics = options.topics();
        KafkaSettings kafka = options.kafka();

        DataStream<RawRecord> raw =
                env.fromSource(
                                featuresSource(kafka, topics, options),
                                WatermarkStrategy.noWatermarks(),
                                "features-source")
                        .uid("features-source");

        EdgePipeline.Outputs out = EdgePipeline.build(raw, options, topics);

        out.results()
                .sinkTo(resultsSink(kafka, topics, options))
                .name("results-sink")
                .uid("results-sink");
        DataStream<DeadLetter> deadLetters = out.deadLetters();

        if (options.planningEnabled()) {
            DataStream<RawRecord> telemetry =
                    env.fromSource(
                                    rawSource(
                                            kafka,
                                            topics.telemetry().name(),
                                            options.groupId() + "-planner",
                                            options),
                                    WatermarkStrategy.noWatermarks(),
                                    "telemetry-source")
                            .uid("telemetry-source");
            PlanningPipeline.Outputs planning =
                    PlanningPipeline.build(telemetry, out.results(), options, topics);
            planning.plans()
                    .sinkTo(plansSink(kafka, topics, options))
                    .name("control-sink")
                    .uid("control-sink");
            deadLetters = deadLetters.union(planning.deadLetters());
        }
        deadLetters
                .sinkTo(deadLetterSink(kafka, topics, options))
                .name("dead-letter-sink")
                .uid("dead-letter-sink");
    }

    static KafkaSource<RawRecord> featuresSource(
            KafkaSettings kafka, Topics topics, EdgeJobOptions options) {
        return rawSource(kafka, topics.features().name(), options.groupId(), options);
    }

    static KafkaSource<RawRecord> rawSource(
            KafkaSettings kafka, String topic, String groupId, EdgeJobOptions options) {
        OffsetsInitializer start =
                switch (options.startingOffsets()) {
                    case "earliest" -> OffsetsInitializer.earliest();
                    case "latest" -> OffsetsInitializer.latest();
                    default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
                };
        return KafkaSource.<RawRecord>builder()
                .setProperties(kafka.common())
                .setBootstrapServers(kafka.bootstrapServers())
                .setTopics(topic)
                .setGroupId(groupId)
                .setStartingOffsets(start)
                .setDeserializer(new RawRecordDeserializer())
                .build();
    }

    static KafkaSink<InferenceResult> resultsSink(
            KafkaSettings kafka, Topics topics, EdgeJobOptions options) {
        return KafkaSink.<InferenceResult>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setKafkaProducerConfig(producerConfig(kafka))
                .setRecordSerializer(
                        new KeyedAvroSerializer<>(topics.results(), InferenceResult::getUeId))
                .setDeliveryGuarantee(guarantee(options))
                .setTransactionalIdPrefix(options.groupId() + "-results")
                .build();
    }

    static KafkaSink<Plan> plansSink(KafkaSettings kafka, Topics topics, EdgeJobOptions options) {
        return KafkaSink.<Plan>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setKafkaProducerConfig(producerConfig(kafka))
                .setRecordSerializer(new KeyedAvroSerializer<>(topics.control(), Plan::getUeId))
                .setDeliveryGuarantee(guarantee(options))
                .setTransactionalIdPrefix(options.groupId() + "-plans")
                .build();
    }

    static KafkaSink<DeadLetter> deadLetterSink(
            KafkaSettings kafka, Topics topics, EdgeJobOptions options) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setKafkaProducerConfig(producerConfig(kafka))
                .setRecordSerializer(
                        new KeyedAvroSerializer<>(
                                topics.deadLetters(), d -> d.getUeId() == null ? "" : d.getUeId()))
                .setDeliveryGuarantee(guarantee(options))
                .setTransactionalIdPrefix(options.groupId() + "-dead-letters")
                .build();
    }

    private static DeliveryGuarantee guarantee(EdgeJobOptions options) {
        if (options.checkpointInterval().isZero()) {
            return DeliveryGuarantee.NONE;
        }
        return options.delivery() == EdgeJobOptions.Delivery.EXACTLY_ONCE
                ? DeliveryGuarantee.EXACTLY_ONCE
                : DeliveryGuarantee.AT_LEAST_ONCE;
    }

    private static Properties producerConfig(KafkaSettings kafka) {
        Properties p = kafka.common();
        // Flink's default (1 h) exceeds the broker's default transaction.max.timeout.ms (15 min).
        p.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "900000");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "1");
        return p;
    }
}
