package org.edgesplit.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.edgesplit.avro.FeatureFrame;
import org.edgesplit.avro.InferenceResult;
import org.edgesplit.avro.Plan;
import org.edgesplit.avro.UeTelemetry;
import org.edgesplit.core.codec.FeatureCodec;
import org.edgesplit.core.kafka.EmbeddedKafka;
import org.edgesplit.core.kafka.KafkaSettings;
import org.edgesplit.core.kafka.TopicAdmin;
import org.edgesplit.core.model.FrameEncoder;
import org.edgesplit.core.model.ModelBundle;
import org.edgesplit.core.testing.TestPaths;
import org.edgesplit.core.topics.Topic;
import org.edgesplit.core.topics.Topics;
import org.edgesplit.emulator.trace.TraceReader;
import org.edgesplit.jobs.EdgeJob;
import org.edgesplit.jobs.EdgeJobOptions;
import org.edgesplit.jobs.local.EmbeddedFlink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data loop closed for real: emulated UEs, an embedded broker, the edge job on a MiniCluster.
 * Plans on the control topic move UEs to other points; every frame is answered, as bare ONNX
 * Runtime would answer it.
 */
class EmulatorLoopITCase {
    private static final int UES = 4;
    private static final int TASKS = 12;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    @Test
    void everyFrameIsAnsweredAsBareOnnxRuntimeWouldAnswerIt(@TempDir Path dir) throws Exception {
        Topics topics = new Topics("emu-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        List<FeatureFrame> sent = Collections.synchronizedList(new ArrayList<>());
        Emulator emulator;
        try (EmbeddedKafka broker = EmbeddedKafka.start();
                EmbeddedFlink flink = EmbeddedFlink.start(1, 2)) {
            KafkaSettings kafka = broker.settings();
            TopicAdmin.ensureTopics(kafka, topics, (short) 1);
            publishPlans(
                    kafka,
                    topics,
                    List.of(plan("ue-1", 0, 8), plan("ue-2", 3, 2), plan("ue-3", 5, 8)));

            EdgeJobOptions jobOptions =
                    EdgeJobOptions.parse(
                            "--bootstrap-servers",
                            kafka.bootstrapServers(),
                            "--topic-prefix",
                            topics.prefix(),
                            "--models",
                            TestPaths.modelsDir().toString(),
                            "--parallelism",
                            "2",
                            "--checkpoint-interval-ms",
                            "1000",
                            "--starting-offsets",
                            "earliest",
                            // This test sends its own plans; the job's planner would overrule them.
                            "--planner",
                            "none");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(
                            EdgeJob.flinkConfig(jobOptions));
            EdgeJob.attach(env, jobOptions);
            JobID job = flink.submit(env, "edge-job-under-test");

            EmulatorOptions options =
                    EmulatorOptions.parse(
                            "--bootstrap-servers", kafka.bootstrapServers(),
                            "--topic-prefix", topics.prefix(),
                            "--models", TestPaths.modelsDir().toString(),
                            "--ues", String.valueOf(UES),
                            "--tasks-per-ue", String.valueOf(TASKS),
                            "--arrivals", "poisson:10",
                            "--channel", "ofdma",
                            "--telemetry-interval-ms", "200",
                            "--progress-interval-s", "0",
                            "--drain-s", "60",
                            "--record", dir.resolve("run.avro").toString());
            EmulatorRunner runner =
                    new EmulatorRunner(
                            options,
                            kafka,
                            new PrintStream(System.out),
                            sink ->
                                    new FrameSink() {
                                        @Override
                                        public void frame(FeatureFrame f) {
                                            sent.add(FeatureFrame.newBuilder(f).build());
                                            sink.frame(f);
                                        }

                                        @Override
                                        public void telemetry(UeTelemetry t) {
                                            sink.telemetry(t);
                                        }

                                        @Override
                                        public int wireBytes(FeatureFrame f) {
                                            return sink.wireBytes(f);
                                        }
                                    });
            List<ResultMatcher.Match> done = Collections.synchronizedList(new ArrayList<>());
            runner.onTaskDone(done::add);
            emulator = runner.run();
            assertThat(done).hasSize(UES * TASKS);
            assertThat(done)
                    .filteredOn(m -> m.point() == 5)
                    .isNotEmpty()
                    .allSatisfy(
                            m -> {
                                assertThat(m.bytes()).isZero();
                                assertThat(m.energyJ()).isPositive();
                                assertThat(m.planEpoch()).isEqualTo(1);
                            });
            assertThat(done)
                    .filteredOn(m -> m.point() != 5)
                    .allSatisfy(m -> assertThat(m.bytes()).isPositive());
            List<InferenceResult> results =
                    read(kafka, topics.results(), r -> r.size() >= sent.size());
            List<UeTelemetry> telemetry = read(kafka, topics.telemetry(), r -> false);
            flink.cancel(job);

            assertThat(emulator.matcher().unanswered()).as("every frame answered").isZero();
            assertThat(emulator.matcher().matched()).isEqualTo(UES * TASKS);
            assertThat(results).hasSize(sent.size());
            checkAgainstBareOnnxRuntime(sent, results);
            checkPlansFollowed(sent, emulator);
            assertThat(telemetry).extracting(UeTelemetry::getUeId).contains("ue-0", "ue-3");
            assertThat(telemetry)
                    .filteredOn(t -> t.getUeId().equals("ue-1"))
                    .last()
                    .extracting(UeTelemetry::getPlanEpoch)
                    .isEqualTo(1L);
        }
        TraceReader.Trace trace = TraceReader.read(dir.resolve("run.avro"));
        assertThat(trace.records().stream().filter(r -> r.getFrame() != null).count())
                .isEqualTo(sent.size());
    }

    private static void checkAgainstBareOnnxRuntime(
            List<FeatureFrame> sent, List<InferenceResult> results) {
        Map<String, Integer> predicted = new HashMap<>();
        results.forEach(
                r ->
                        predicted.put(
                                ResultMatcher.key(r.getUeId(), r.getSeq()), r.getPredictedClass()));
        int agree = 0;
        try (ModelBundle bundle = ModelBundle.load(TestPaths.fmnistBundle())) {
            for (FeatureFrame f : sent) {
                float[] codes =
                        FeatureCodec.decode(f.getCodec(), ByteBuffer.wrap(f.getPayload().array()));
                float[] logits =
                        bundle.runTail(f.getSplitPoint(), f.getCodec().getBits(), codes, 1);
                int bare = FrameEncoder.argmax(logits, bundle.classes())[0];
                Integer edge = predicted.get(ResultMatcher.key(f.getUeId(), f.getSeq()));
                assertThat(edge).as("result for %s#%d", f.getUeId(), f.getSeq()).isNotNull();
                if (edge == bare) {
                    agree++;
                }
            }
        }
        // Batch-size-dependent rounding in ONNX Runtime may flip a near-tie; allow one.
        assertThat(agree).isGreaterThanOrEqualTo(sent.size() - 1);
    }

    private static void checkPlansFollowed(List<FeatureFrame> sent, Emulator emulator) {
        Map<String, int[]> planned = Map.of("ue-1", new int[] {0, 8}, "ue-2", new int[] {3, 2});
        for (FeatureFrame f : sent) {
            int[] p = planned.get(f.getUeId());
            if (p != null && f.getPlanEpoch() == 1) {
                assertThat(f.getSplitPoint()).isEqualTo(p[0]);
                assertThat(f.getCodec().getBits()).isEqualTo(p[1]);
            }
            if (f.getPlanEpoch() == 0) {
                assertThat(f.getSplitPoint()).isEqualTo(2);
            }
        }
        assertThat(sent.stream().filter(f -> f.getUeId().equals("ue-1")).reduce((a, b) -> b))
                .get()
                .extracting(FeatureFrame::getPlanEpoch)
                .isEqualTo(1L);
        Emulator.UeSummary ue3 = emulator.ueSummaries().get(3);
        assertThat(ue3.local()).as("ue-3 went local-only").isPositive();
        assertThat(ue3.local() + ue3.frames()).isEqualTo(TASKS);
    }

    private static Plan plan(String ue, int point, int bits) {
        return Plan.newBuilder()
                .setUeId(ue)
                .setEpoch(1)
                .setSplitPoint(point)
                .setBits(bits)
                .setTransmitPowerW(0.5)
                .setPlanner("test")
                .setIssuedTimeMs(System.currentTimeMillis())
                .build();
    }

    private static void publishPlans(KafkaSettings kafka, Topics topics, List<Plan> plans)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(kafka.producer("plans"))) {
            for (Plan plan : plans) {
                p.send(
                        new ProducerRecord<>(
                                topics.control().name(),
                                Topic.serializeKey(plan.getUeId()),
                                topics.control().valueSerde().serialize(plan)));
            }
            p.flush();
        }
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> List<V> read(
            KafkaSettings kafka, Topic<V> topic, java.util.function.Predicate<List<V>> done) {
        List<V> seen = new ArrayList<>();
        try (KafkaConsumer<String, V> c =
                new KafkaConsumer<>(
                        kafka.consumer("reader-" + UUID.randomUUID()),
                        Topic.keyDeserializer(),
                        topic.valueDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (int i = 0; i < topic.partitions(); i++) {
                parts.add(new TopicPartition(topic.name(), i));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            long quietUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < deadline && !done.test(seen)) {
                var batch = c.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, V> r : batch) {
                    seen.add(r.value());
                }
                if (batch.isEmpty() && System.nanoTime() > quietUntil && !seen.isEmpty()) {
                    break;
                }
            }
        }
        return seen;
    }
}
