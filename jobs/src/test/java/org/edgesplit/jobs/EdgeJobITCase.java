package org.edgesplit.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.edgesplit.avro.InferenceResult;
import org.edgesplit.core.model.FrameEncoder;
import org.edgesplit.core.model.ModelBundle;
import org.edgesplit.core.testing.TestPaths;
import org.edgesplit.core.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The edge job on a MiniCluster with two task managers, a real broker and the real bundle. */
class EdgeJobITCase {
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(120);
    private static final int UES = 12;
    private static final int FRAMES = 480;

    /** ONNX Runtime's batch-size-dependent rounding may flip a near-tie; allow very few. */
    private static final double MIN_AGREEMENT = 0.99;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(2)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static EdgeJobOptions options(Topics topics, int parallelism, String delivery) {
        return EdgeJobOptions.parse(
                "--bootstrap-servers",
                TestKafka.settings().bootstrapServers(),
                "--topic-prefix",
                topics.prefix(),
                "--group-id",
                "edge-" + topics.prefix(),
                "--models",
                TestPaths.modelsDir().toString(),
                "--parallelism",
                String.valueOf(parallelism),
                "--max-batch",
                "16",
                "--max-wait-ms",
                "2",
                "--checkpoint-interval-ms",
                "1000",
                "--delivery",
                delivery);
    }

    static JobClient start(EdgeJobOptions options, Configuration extra) throws Exception {
        Configuration conf = EdgeJob.flinkConfig(options);
        conf.addAll(extra);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        EdgeJob.attach(env, options);
        return env.executeAsync("edge-job-under-test");
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {2, 4})
    void answersEveryFrameOnceWithTheBundlesAccuracy(int parallelism) throws Exception {
        Topics topics = TestKafka.freshTopics("answers-p" + parallelism);
        List<Frames.Made> frames;
        Map<String, Integer> expected = new HashMap<>();
        try (ModelBundle bundle = ModelBundle.load(TestPaths.fmnistBundle())) {
            frames = Frames.make(FRAMES, UES, Frames.allPointsAndBits(bundle), 0, 0);
            for (Frames.Made m : frames) {
                expected.put(
                        id(m.frame().getUeId(), m.frame().getSeq()), barePrediction(bundle, m));
            }
        }
        TestKafka.produce(
                topics.features().name(),
                frames.stream().map(m -> m.raw(topics.features())).toList());

        JobClient job = start(options(topics, parallelism, "at-least-once"), new Configuration());
        List<InferenceResult> results;
        try {
            results =
                    TestKafka.consumeUntil(
                            topics.results(), r -> r.size() >= FRAMES, ANSWER_TIMEOUT);
        } finally {
            job.cancel().get();
        }

        assertThat(results).hasSize(FRAMES);
        Set<String> ids =
                results.stream().map(r -> id(r.getUeId(), r.getSeq())).collect(Collectors.toSet());
        assertThat(ids).isEqualTo(expected.keySet());
        long agree =
                results.stream()
                        .filter(
                                r ->
                                        r.getPredictedClass()
                                                == expected.get(id(r.getUeId(), r.getSeq())))
                        .count();
        assertThat(agree).isGreaterThanOrEqualTo((long) Math.ceil(MIN_AGREEMENT * FRAMES));

        Map<String, Integer> labels =
                frames.stream()
                        .collect(
                                Collectors.toMap(
                                        m -> id(m.frame().getUeId(), m.frame().getSeq()),
                                        Frames.Made::label));
        double jobAccuracy =
                results.stream()
                                .filter(
                                        r ->
                                                r.getPredictedClass()
                                                        == labels.get(id(r.getUeId(), r.getSeq())))
                                .count()
                        / (double) FRAMES;
        double bareAccuracy =
                expected.entrySet().stream()
                                .filter(e -> e.getValue().equals(labels.get(e.getKey())))
                                .count()
                        / (double) FRAMES;
        assertThat(jobAccuracy)
                .isCloseTo(
                        bareAccuracy, org.assertj.core.api.Assertions.within(1.0 - MIN_AGREEMENT));

        assertThat(results)
                .allSatisfy(
                        r -> {
                            assertThat(r.getTimings().getBatchSize()).isBetween(1, 16);
                            assertThat(r.getJobOutTimeMs())
                                    .isGreaterThanOrEqualTo(r.getJobInTimeMs());
                            assertThat(r.getTopK()).hasSize(TailInference.TOP_K);
                        });
        assertThat(results.stream().mapToInt(r -> r.getTimings().getBatchSize()).max().orElse(0))
                .as("frames were batched across UEs")
                .isGreaterThan(1);
        assertThat(results.stream().map(InferenceResult::getWorker).distinct().count())
                .as("work spread over subtasks")
                .isGreaterThan(1);
    }

    @Test
    void exactlyOnceAcrossStopWithSavepointAndResume(@TempDir Path savepoints) throws Exception {
        Topics topics = TestKafka.freshTopics("restore");
        List<int[]> combos = List.of(new int[] {0, 8}, new int[] {2, 4}, new int[] {3, 2});
        List<Frames.Made> first = Frames.make(FRAMES / 2, UES, combos, 0, 0);
        List<Frames.Made> second =
                Frames.make(FRAMES / 2, UES, combos, FRAMES / 2, FRAMES / 2 / UES);
        EdgeJobOptions options = options(topics, 2, "exactly-once");

        TestKafka.produce(
                topics.features().name(),
                first.stream().map(m -> m.raw(topics.features())).toList());
        JobClient job = start(options, new Configuration());
        TestKafka.consumeUntil(topics.results(), r -> r.size() >= FRAMES / 8, ANSWER_TIMEOUT);
        String savepoint =
                job.stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get();

        TestKafka.produce(
                topics.features().name(),
                second.stream().map(m -> m.raw(topics.features())).toList());
        Configuration resume = new Configuration();
        resume.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        JobClient resumed = start(options, resume);
        List<InferenceResult> results;
        try {
            TestKafka.consumeUntil(topics.results(), r -> r.size() >= FRAMES, ANSWER_TIMEOUT);
            // Two more checkpoints: a duplicate would be committed by then.
            Thread.sleep(2500);
            results = TestKafka.consumeUntil(topics.results(), r -> false, Duration.ofSeconds(3));
        } finally {
            resumed.cancel().get();
        }

        Map<String, Long> counts =
                results.stream()
                        .collect(
                                Collectors.groupingBy(
                                        r -> id(r.getUeId(), r.getSeq()), Collectors.counting()));
        Set<String> sent = new HashSet<>();
        first.forEach(m -> sent.add(id(m.frame().getUeId(), m.frame().getSeq())));
        second.forEach(m -> sent.add(id(m.frame().getUeId(), m.frame().getSeq())));
        assertThat(counts.keySet()).isEqualTo(sent);
        assertThat(counts.values()).containsOnly(1L);
    }

    static String id(String ue, long seq) {
        return ue + "#" + seq;
    }

    /** What bare ONNX Runtime predicts for the frame's decoded payload. */
    static int barePrediction(ModelBundle bundle, Frames.Made m) {
        var f = m.frame();
        float[] codes =
                org.edgesplit.core.codec.FeatureCodec.decode(
                        f.getCodec(), ByteBuffer.wrap(f.getPayload().array()));
        float[] logits = bundle.runTail(f.getSplitPoint(), f.getCodec().getBits(), codes, 1);
        return FrameEncoder.argmax(logits, bundle.classes())[0];
    }
}
