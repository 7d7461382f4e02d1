package org.edgesplit.core.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.edgesplit.avro.ClassScore;
import org.edgesplit.avro.CodecSpec;
import org.edgesplit.avro.DeadLetter;
import org.edgesplit.avro.EdgeTimings;
import org.edgesplit.avro.FeatureFrame;
import org.edgesplit.avro.InferenceResult;
import org.edgesplit.avro.Packing;
import org.edgesplit.avro.Plan;
import org.edgesplit.avro.UeTelemetry;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    static FeatureFrame frame() {
        return FeatureFrame.newBuilder()
                .setUeId("ue-1")
                .setSeq(17)
                .setModelId("fmnist-resnet")
                .setSplitPoint(2)
                .setCodec(
                        CodecSpec.newBuilder()
                                .setShape(List.of(4, 7, 7))
                                .setBits(4)
                                .setScale(0.1f)
                                .setOffset(-0.2f)
                                .setPacking(Packing.DENSE_MSB_FIRST)
                                .build())
                .setPayload(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .setPlanEpoch(5)
                .setCaptureTimeMs(1000)
                .setHeadComputeMs(1.5)
                .setComputeEnergyJ(0.01)
                .setSendTimeMs(1010)
                .setUplinkMs(3.0)
                .setLabel(7)
                .build();
    }

    @Test
    void everyMessageTypeRoundTrips() {
        roundTrip(FeatureFrame.class, frame());
        roundTrip(
                InferenceResult.class,
                InferenceResult.newBuilder()
                        .setUeId("ue-1")
                        .setSeq(17)
                        .setModelId("m")
                        .setSplitPoint(2)
                        .setBits(4)
                        .setPlanEpoch(5)
                        .setPredictedClass(3)
                        .setTopK(List.of(new ClassScore(3, 0.9f), new ClassScore(1, 0.05f)))
                        .setTimings(new EdgeTimings(0.5, 0.1, 2.0, 16))
                        .setCaptureTimeMs(1)
                        .setJobInTimeMs(2)
                        .setJobOutTimeMs(3)
                        .setWorker("tm-1")
                        .build());
        roundTrip(
                UeTelemetry.class,
                UeTelemetry.newBuilder()
                        .setUeId("ue-1")
                        .setTimeMs(5)
                        .setUplinkRateBps(1e6)
                        .setDistanceM(50.0)
                        .setBacklog(2)
                        .setArrivalRateHz(5)
                        .setEnergyJ(0.3)
                        .setPlanEpoch(4)
                        .build());
        roundTrip(
                Plan.class,
                Plan.newBuilder()
                        .setUeId("ue-1")
                        .setEpoch(9)
                        .setSplitPoint(1)
                        .setBits(2)
                        .setSubChannel(1)
                        .setTransmitPowerW(0.2)
                        .setPlanner("optimizer")
                        .setIssuedTimeMs(7)
                        .build());
        roundTrip(
                DeadLetter.class,
                DeadLetter.newBuilder()
                        .setReasonCode("PAYLOAD_LENGTH_MISMATCH")
                        .setReason("needs 98 bytes, got 97")
                        .setSourceTopic("features")
                        .setSourcePartition(3)
                        .setSourceOffset(99L)
                        .setOriginalValue(ByteBuffer.wrap(new byte[] {9, 9}))
                        .setTimeMs(1)
                        .build());
    }

    @Test
    void newerReaderReadsFrameWrittenWithVersionOne() throws Exception {
        Schema v1 = AvroSerde.historicSchemas("FeatureFrame").get(0);
        assertThat(v1.getField("label")).isNull();
        GenericRecord old = new GenericData.Record(v1);
        FeatureFrame current = frame();
        for (Schema.Field f : v1.getFields()) {
            old.put(f.name(), current.get(f.name()));
        }
        GenericRecord codec = new GenericData.Record(v1.getField("codec").schema());
        codec.put("shape", List.of(4, 7, 7));
        codec.put("bits", 4);
        codec.put("scale", 0.1f);
        codec.put("offset", -0.2f);
        codec.put(
                "packing",
                new GenericData.EnumSymbol(
                        v1.getField("codec").schema().getField("packing").schema(),
                        "DENSE_MSB_FIRST"));
        old.put("codec", codec);
        byte[] bytes = singleObject(v1, old);

        FeatureFrame read = AvroSerde.of(FeatureFrame.class).deserialize(bytes);

        assertThat(read.getSeq()).isEqualTo(17);
        assertThat(read.getCodec().getShape()).containsExactly(4, 7, 7);
        assertThat(read.getLabel()).isNull();
        assertThat(read.getUplinkMs()).isNull();
    }

    @Test
    void tellsUnknownSchemaFromBadHeaderFromCorruptBody() {
        AvroSerde<FeatureFrame> serde = AvroSerde.of(FeatureFrame.class);
        byte[] good = serde.serialize(frame());

        byte[] unknown = good.clone();
        unknown[5] ^= 0x5A; // inside the 8-byte fingerprint
        assertKind(serde, unknown, AvroDecodeException.Kind.UNKNOWN_SCHEMA);

        assertKind(
                serde,
                new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
                AvroDecodeException.Kind.BAD_HEADER);

        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 5);
        assertKind(serde, truncated, AvroDecodeException.Kind.CORRUPT_BODY);
        assertKind(serde, null, AvroDecodeException.Kind.EMPTY);
    }

    private static <T extends SpecificRecord> void roundTrip(Class<T> type, T record) {
        AvroSerde<T> serde = AvroSerde.of(type);
        assertThat(serde.deserialize(serde.serialize(record))).isEqualTo(record);
    }

    private static void assertKind(
            AvroSerde<?> serde, byte[] bytes, AvroDecodeException.Kind kind) {
        assertThatThrownBy(() -> serde.deserialize(bytes))
                .isInstanceOf(AvroDecodeException.class)
                .satisfies(e -> assertThat(((AvroDecodeException) e).kind()).isEqualTo(kind));
    }

    /** Avro single-object encoding written by hand: C3 01, 8-byte LE fingerprint, body. */
    private static byte[] singleObject(Schema schema, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xC3);
        out.write(0x01);
        long fp = SchemaNormalization.parsingFingerprint64(schema);
        out.write(
                ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(fp).array());
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, enc);
        enc.flush();
        return out.toByteArray();
    }
}
