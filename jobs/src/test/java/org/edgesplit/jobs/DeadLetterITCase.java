package org.edgesplit.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.edgesplit.avro.CodecSpec;
import org.edgesplit.avro.DeadLetter;
import org.edgesplit.avro.FeatureFrame;
import org.edgesplit.avro.InferenceResult;
import org.edgesplit.core.topics.Topic;
import org.edgesplit.core.topics.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Malformed records of many kinds land on the dead-letter topic; good frames flow on. */
class DeadLetterITCase {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int GOOD_BEFORE = 40;
    private static final int GOOD_AFTER = 40;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(2)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void routesEachKindOfBadRecordToDeadLettersWithItsOwnReason() throws Exception {
        Topics topics = TestKafka.freshTopics("dead-letters");
        Topic<FeatureFrame> features = topics.features();
        List<int[]> combos = List.of(new int[] {2, 4}, new int[] {0, 8}, new int[] {1, 8});
        List<Frames.Made> good = Frames.make(GOOD_BEFORE + GOOD_AFTER, 4, combos, 0, 0);
        // A template for the bad ones: a real 4-bit frame at point 2 from a UE of its own.
        FeatureFrame template = Frames.make(1, 1, List.of(new int[] {2, 4}), 500, 0).get(0).frame();

        Map<String, TestKafka.Raw> bad = new LinkedHashMap<>();
        bad.put(
                "PAYLOAD_LENGTH_MISMATCH",
                frame(
                        features,
                        template,
                        "truncated",
                        f ->
                                f.setPayload(
                                        ByteBuffer.wrap(
                                                Arrays.copyOf(
                                                        f.getPayload().array(),
                                                        f.getPayload().array().length - 1)))));
        bad.put(
                "UNSUPPORTED_BITS",
                frame(
                        features,
                        template,
                        "three-bits",
                        f -> {
                            int n = f.getCodec().getShape().stream().reduce(1, (a, b) -> a * b);
                            f.getCodec().setBits(3);
                            f.setPayload(ByteBuffer.wrap(new byte[(n * 3 + 7) / 8]));
                        }));
        bad.put(
                "SHAPE_MISMATCH",
                frame(
                        features,
                        template,
                        "wrong-shape",
                        f -> {
                            List<Integer> s = new ArrayList<>(f.getCodec().getShape());
                            int n = s.stream().reduce(1, (a, b) -> a * b);
                            f.getCodec().setShape(List.of(1, n));
                        }));
        bad.put(
                "BAD_SHAPE",
                frame(
                        features,
                        template,
                        "negative-dim",
                        f -> {
                            f.getCodec().setShape(List.of(-4, 7, 7));
                        }));
        bad.put(
                "SHAPE_TOO_LARGE",
                frame(
                        features,
                        template,
                        "huge-shape",
                        f -> {
                            f.getCodec().setShape(List.of(1 << 20, 1 << 20, 64));
                        }));
        bad.put(
                "NON_FINITE_QUANTIZATION",
                frame(
                        features,
                        template,
                        "nan-scale",
                        f -> {
                            f.getCodec().setScale(Float.NaN);
                        }));
        bad.put(
                "NON_POSITIVE_SCALE",
                frame(
                        features,
                        template,
                        "zero-scale",
                        f -> {
                            f.getCodec().setScale(0f);
                        }));
        bad.put(
                "UNKNOWN_MODEL",
                frame(features, template, "other-model", f -> f.setModelId("resnet-9000")));
        bad.put(
                "UNKNOWN_SPLIT_POINT",
                frame(features, template, "point-nine", f -> f.setSplitPoint(9)));
        bad.put("LOCAL_ONLY_POINT", frame(features, template, "local", f -> f.setSplitPoint(5)));
        bad.put("NEGATIVE_SEQUENCE", frame(features, template, "negative-seq", f -> f.setSeq(-1)));
        TestKafka.Raw anyGood = frame(features, template, "key-mismatch", f -> {});
        bad.put(
                "KEY_MISMATCH",
                new TestKafka.Raw(Topic.serializeKey("someone-else"), anyGood.value()));
        byte[] encoded = features.valueSerde().serialize(template);
        bad.put(
                "UNDECODABLE_AVRO",
                new TestKafka.Raw(Topic.serializeKey("cut"), Arrays.copyOf(encoded, 20)));
        byte[] unknownFingerprint = encoded.clone();
        unknownFingerprint[4] ^= 0x77;
        bad.put("UNKNOWN_SCHEMA", new TestKafka.Raw(Topic.serializeKey("fp"), unknownFingerprint));
        bad.put(
                "NOT_AVRO_SINGLE_OBJECT",
                new TestKafka.Raw(Topic.serializeKey("junk"), "hello edge".getBytes()));
        bad.put("EMPTY_RECORD", new TestKafka.Raw(Topic.serializeKey("tombstone"), null));

        List<TestKafka.Raw> stream = new ArrayList<>();
        good.subList(0, GOOD_BEFORE).forEach(m -> stream.add(m.raw(features)));
        stream.addAll(bad.values());
        // The duplicate: a good frame sent again after it was accepted.
        stream.add(good.get(0).raw(features));
        good.subList(GOOD_BEFORE, good.size()).forEach(m -> stream.add(m.raw(features)));
        TestKafka.produce(features.name(), stream);

        JobClient job =
                EdgeJobITCase.start(
                        EdgeJobITCase.options(topics, 2, "at-least-once"), new Configuration());
        List<InferenceResult> results;
        List<DeadLetter> dead;
        try {
            results =
                    TestKafka.consumeUntil(topics.results(), r -> r.size() >= good.size(), TIMEOUT);
            dead =
                    TestKafka.consumeUntil(
                            topics.deadLetters(), d -> d.size() >= bad.size() + 1, TIMEOUT);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }

        assertThat(results).hasSize(good.size());
        assertThat(results.stream().map(r -> r.getUeId() + "#" + r.getSeq()).distinct().count())
                .isEqualTo(good.size());
        Map<String, List<DeadLetter>> byReason =
                dead.stream().collect(Collectors.groupingBy(DeadLetter::getReasonCode));
        List<String> expectedReasons = new ArrayList<>(bad.keySet());
        expectedReasons.add("DUPLICATE_SEQUENCE");
        assertThat(byReason.keySet()).containsExactlyInAnyOrderElementsOf(expectedReasons);
        assertThat(byReason.values()).allSatisfy(list -> assertThat(list).hasSize(1));
        for (DeadLetter d : dead) {
            assertThat(d.getReason()).as(d.getReasonCode()).isNotBlank();
            assertThat(d.getSourceTopic()).isEqualTo(features.name());
            assertThat(d.getSourceOffset()).isNotNull().isGreaterThanOrEqualTo(0L);
        }
        for (Map.Entry<String, TestKafka.Raw> e : bad.entrySet()) {
            DeadLetter d = byReason.get(e.getKey()).get(0);
            byte[] original = d.getOriginalValue() == null ? null : toArray(d.getOriginalValue());
            assertThat(original)
                    .as("original bytes of " + e.getKey())
                    .isEqualTo(e.getValue().value());
        }
    }

    private static TestKafka.Raw frame(
            Topic<FeatureFrame> topic,
            FeatureFrame template,
            String ue,
            java.util.function.Consumer<FeatureFrame> change) {
        FeatureFrame f =
                FeatureFrame.newBuilder(template)
                        .setUeId(ue)
                        .setCodec(CodecSpec.newBuilder(template.getCodec()).build())
                        .setPayload(ByteBuffer.wrap(template.getPayload().array().clone()))
                        .build();
        change.accept(f);
        return new TestKafka.Raw(Topic.serializeKey(ue), topic.valueSerde().serialize(f));
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
