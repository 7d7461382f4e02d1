package org.edgesplit.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.edgesplit.avro.CodecSpec;
import org.edgesplit.avro.DeadLetter;
import org.edgesplit.avro.FeatureFrame;
import org.edgesplit.avro.Packing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FrameDeduplicatorTest {
    private static final Duration IDLE = Duration.ofSeconds(60);
    private static final long IDLE_MS = IDLE.toMillis();

    private KeyedOneInputStreamOperatorTestHarness<String, FrameEnvelope, FrameEnvelope> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new FrameDeduplicator(IDLE)),
                        new EdgePipeline.ByUe(),
                        org.apache.flink.api.common.typeinfo.Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    static FrameEnvelope frame(String ue, long seq, long epoch) {
        FeatureFrame f =
                FeatureFrame.newBuilder()
                        .setUeId(ue)
                        .setSeq(seq)
                        .setModelId("m")
                        .setSplitPoint(1)
                        .setCodec(
                                CodecSpec.newBuilder()
                                        .setShape(List.of(1))
                                        .setBits(8)
                                        .setScale(1f)
                                        .setOffset(0f)
                                        .setPacking(Packing.DENSE_MSB_FIRST)
                                        .build())
                        .setPayload(ByteBuffer.wrap(new byte[1]))
                        .setPlanEpoch(epoch)
                        .setCaptureTimeMs(0)
                        .setHeadComputeMs(0)
                        .setComputeEnergyJ(0)
                        .setSendTimeMs(0)
                        .build();
        return new FrameEnvelope(f, 0, new RawRecord(null, null, "features", 0, seq));
    }

    @Test
    void passesNewSequencesAndDropsRepeatsAsDeadLetters() throws Exception {
        harness.setProcessingTime(1000);
        harness.processElement(new StreamRecord<>(frame("ue-1", 0, 1)));
        harness.processElement(new StreamRecord<>(frame("ue-1", 1, 1)));
        harness.processElement(new StreamRecord<>(frame("ue-1", 1, 1)));
        harness.processElement(new StreamRecord<>(frame("ue-1", 0, 1)));
        harness.processElement(new StreamRecord<>(frame("ue-2", 0, 1)));

        assertThat(harness.extractOutputValues())
                .extracting(e -> e.ueId() + "#" + e.frame.getSeq())
                .containsExactly("ue-1#0", "ue-1#1", "ue-2#0");
        List<DeadLetter> dead =
                harness.getSideOutput(DeadLetters.TAG).stream()
                        .map(StreamRecord::getValue)
                        .toList();
        assertThat(dead).extracting(DeadLetter::getReasonCode).containsOnly("DUPLICATE_SEQUENCE");
        assertThat(dead).hasSize(2);
        assertThat(dead.get(0).getUeId()).isEqualTo("ue-1");
        assertThat(dead.get(0).getOriginalValue()).isNotNull();
    }

    @Test
    void keepsOneIdleTimerPerUeAndTracksPlanEpoch() throws Exception {
        harness.setProcessingTime(1000);
        harness.processElement(new StreamRecord<>(frame("ue-1", 0, 3)));
        harness.setProcessingTime(2000);
        harness.processElement(new StreamRecord<>(frame("ue-1", 1, 2)));
        harness.processElement(new StreamRecord<>(frame("ue-2", 0, 1)));

        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(2);
        UeState ue1 = stateOf("ue-1");
        assertThat(ue1.planEpoch).isEqualTo(3);
        assertThat(ue1.highestSeq).isEqualTo(1);
        assertThat(ue1.frames).isEqualTo(2);
    }

    @Test
    void forgetsUeAfterIdleTimeoutAndAcceptsItsRestart() throws Exception {
        harness.setProcessingTime(1000);
        harness.processElement(new StreamRecord<>(frame("ue-1", 5, 1)));
        harness.setProcessingTime(1000 + IDLE_MS - 1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.setProcessingTime(1000 + IDLE_MS);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();

        // A restarted UE begins its sequence again and is answered.
        harness.processElement(new StreamRecord<>(frame("ue-1", 0, 1)));
        assertThat(harness.extractOutputValues()).hasSize(2);
    }

    @Test
    void stateSurvivesSnapshotAndRestore() throws Exception {
        harness.setProcessingTime(1000);
        harness.processElement(new StreamRecord<>(frame("ue-1", 7, 1)));
        var snapshot = harness.snapshot(1L, 1000L);
        harness.close();

        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new FrameDeduplicator(IDLE)),
                        new EdgePipeline.ByUe(),
                        org.apache.flink.api.common.typeinfo.Types.STRING);
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement(new StreamRecord<>(frame("ue-1", 7, 1)));
        harness.processElement(new StreamRecord<>(frame("ue-1", 8, 1)));

        assertThat(harness.extractOutputValues())
                .extracting(e -> e.frame.getSeq())
                .containsExactly(8L);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
    }

    private UeState stateOf(String ue) throws Exception {
        org.apache.flink.runtime.state.KeyedStateBackend<String> backend =
                harness.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(ue);
        return backend.getPartitionedState(
                        org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
                        org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE,
                        new org.apache.flink.api.common.state.ValueStateDescriptor<>(
                                "ue", UeState.class))
                .value();
    }
}
