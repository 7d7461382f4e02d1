package org.edgesplit.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.edgesplit.avro.CodecSpec;
import org.edgesplit.avro.Packing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FeatureCodecTest {
    private static final int[] SHAPE = {3, 5, 7};
    private static final long SEED = 42;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void packingRoundTripsEveryCodeAtEveryBitWidth(int bits) {
        Random random = new Random(SEED + bits);
        for (int count : new int[] {1, 2, 3, 7, 8, 9, 105}) {
            int[] codes = random.ints(count, 0, 1 << bits).toArray();
            byte[] packed = BitPacking.pack(codes, bits);
            assertThat(packed).hasSize((count * bits + 7) / 8);
            assertThat(BitPacking.unpack(packed, count, bits)).containsExactly(codes);
        }
    }

    @Test
    void packsMostSignificantBitFirst() {
        assertThat(BitPacking.pack(new int[] {0b1011, 0b0010}, 4)).containsExactly((byte) 0xB2);
        assertThat(BitPacking.pack(new int[] {3, 0, 1, 2, 1}, 2))
                .containsExactly((byte) 0xC6, (byte) 0x40);
        assertThat(BitPacking.pack(new int[] {1, 0, 1}, 3))
                .containsExactly((byte) 0x20, (byte) 0x80);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8})
    void quantizationErrorIsAtMostHalfAStep(int bits) {
        Random random = new Random(SEED);
        float[] values = new float[3 * 5 * 7];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat() * 3f - 0.5f;
        }
        float lo = -0.5f;
        float hi = 2.5f;
        FeatureCodec.Encoded encoded = FeatureCodec.encode(values, SHAPE, bits, lo, hi);
        float step = (hi - lo) / ((1 << bits) - 1);
        assertThat(encoded.spec().getScale()).isCloseTo(step, within(1e-7f));
        float[] decoded = FeatureCodec.decode(encoded.spec(), ByteBuffer.wrap(encoded.payload()));
        for (int i = 0; i < values.length; i++) {
            assertThat(decoded[i]).isCloseTo(values[i], within(step / 2 + 1e-6f));
        }
    }

    @Test
    void clampsValuesOutsideTheClipRange() {
        FeatureCodec.Encoded encoded =
                FeatureCodec.encode(new float[] {-9f, 0.5f, 9f}, new int[] {3}, 8, 0f, 1f);
        float[] decoded = FeatureCodec.decode(encoded.spec(), ByteBuffer.wrap(encoded.payload()));
        assertThat(decoded[0]).isEqualTo(0f);
        assertThat(decoded[2]).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void roundsHalfToEvenLikeTorch() {
        // With lo=0, hi=3 at 2 bits the step is 1: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2.
        FeatureCodec.Encoded encoded =
                FeatureCodec.encode(new float[] {0.5f, 1.5f, 2.5f}, new int[] {3}, 2, 0f, 3f);
        assertThat(BitPacking.unpack(encoded.payload(), 3, 2)).containsExactly(0, 2, 2);
    }

    @Test
    void rejectsPayloadOfWrongLength() {
        CodecSpec spec = spec(List.of(4, 4), 4, 0.1f, 0f);
        assertReason(spec, new byte[7], CodecException.Reason.PAYLOAD_LENGTH_MISMATCH);
        assertReason(spec, new byte[9], CodecException.Reason.PAYLOAD_LENGTH_MISMATCH);
        FeatureCodec.decode(spec, ByteBuffer.wrap(new byte[8]));
    }

    @Test
    void rejectsEachKindOfBadHeaderWithItsOwnReason() {
        byte[] eight = new byte[8];
        assertReason(spec(List.of(16), 0, 0.1f, 0f), eight, CodecException.Reason.UNSUPPORTED_BITS);
        assertReason(spec(List.of(16), 9, 0.1f, 0f), eight, CodecException.Reason.UNSUPPORTED_BITS);
        assertReason(spec(List.of(), 4, 0.1f, 0f), eight, CodecException.Reason.BAD_SHAPE);
        assertReason(spec(List.of(4, -4), 4, 0.1f, 0f), eight, CodecException.Reason.BAD_SHAPE);
        assertReason(
                spec(List.of(65536, 65536, 64), 4, 0.1f, 0f),
                eight,
                CodecException.Reason.SHAPE_TOO_LARGE);
        assertReason(
                spec(List.of(16), 4, Float.NaN, 0f),
                eight,
                CodecException.Reason.NON_FINITE_QUANTIZATION);
        assertReason(
                spec(List.of(16), 4, 0.1f, Float.POSITIVE_INFINITY),
                eight,
                CodecException.Reason.NON_FINITE_QUANTIZATION);
        assertReason(spec(List.of(16), 4, 0f, 0f), eight, CodecException.Reason.NON_POSITIVE_SCALE);
        assertReason(
                spec(List.of(16), 4, -1f, 0f), eight, CodecException.Reason.NON_POSITIVE_SCALE);
    }

    @Test
    void rawImageTravelsAsEightBitCodes() {
        byte[] pixels = {0, (byte) 255, (byte) 128, 1};
        FeatureCodec.Encoded encoded =
                FeatureCodec.encodeRawImage(pixels, new int[] {1, 2, 2}, 255f);
        float[] decoded = FeatureCodec.decode(encoded.spec(), ByteBuffer.wrap(encoded.payload()));
        assertThat(decoded)
                .containsExactly(new float[] {0f, 1f, 128f / 255f, 1f / 255f}, within(1e-6f));
    }

    private static CodecSpec spec(List<Integer> shape, int bits, float scale, float offset) {
        return CodecSpec.newBuilder()
                .setShape(shape)
                .setBits(bits)
                .setScale(scale)
                .setOffset(offset)
                .setPacking(Packing.DENSE_MSB_FIRST)
                .build();
    }

    private static void assertReason(CodecSpec spec, byte[] payload, CodecException.Reason reason) {
        assertThatThrownBy(() -> FeatureCodec.decode(spec, ByteBuffer.wrap(payload)))
                .isInstanceOf(CodecException.class)
                .satisfies(e -> assertThat(((CodecException) e).reason()).isEqualTo(reason));
    }
}
