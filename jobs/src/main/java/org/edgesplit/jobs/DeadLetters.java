package org.edgesplit.jobs;

import java.nio.ByteBuffer;
import org.apache.flink.util.OutputTag;
import org.edgesplit.avro.DeadLetter;
import org.edgesplit.avro.FeatureFrame;
import org.edgesplit.core.avro.AvroSerde;

/** Builds dead letters and names the side output they travel on. */
public final class DeadLetters {
    /** Side output shared by every operator that rejects records. */
    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters") {};

    private static final AvroSerde<FeatureFrame> FRAMES = AvroSerde.of(FeatureFrame.class);

    private DeadLetters() {}

    public static DeadLetter of(RawRecord raw, RejectReason reason, String detail, String ueId) {
        return DeadLetter.newBuilder()
                .setReasonCode(reason.name())
                .setReason(detail)
                .setSourceTopic(raw.topic)
                .setSourcePartition(raw.partition)
                .setSourceOffset(raw.offset)
                .setUeId(ueId)
                .setOriginalKey(raw.key == null ? null : ByteBuffer.wrap(raw.key))
                .setOriginalValue(raw.value == null ? null : ByteBuffer.wrap(raw.value))
                .setTimeMs(System.currentTimeMillis())
                .build();
    }

    /** A dead letter for a frame that was decoded already: its bytes are re-encoded. */
    static DeadLetter of(FrameEnvelope envelope, RejectReason reason, String detail) {
        return DeadLetter.newBuilder()
                .setReasonCode(reason.name())
                .setReason(detail)
                .setSourceTopic(envelope.sourceTopic)
                .setSourcePartition(envelope.sourcePartition)
                .setSourceOffset(envelope.sourceOffset)
                .setUeId(envelope.ueId())
                .setOriginalKey(
                        ByteBuffer.wrap(
                                org.edgesplit.core.topics.Topic.serializeKey(envelope.ueId())))
                .setOriginalValue(ByteBuffer.wrap(FRAMES.serialize(envelope.frame)))
                .setTimeMs(System.currentTimeMillis())
                .build();
    }
}
