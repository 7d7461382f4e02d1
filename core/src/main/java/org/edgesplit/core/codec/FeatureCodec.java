package org.edgesplit.core.codec;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.edgesplit.avro.CodecSpec;
import org.edgesplit.avro.Packing;

/**
 * Quantizes a float feature tensor to n-bit codes and packs them (UE side), and checks, unpacks and
 * dequantizes a payload (edge side).
 *
 * <p>Arithmetic as in {@code models/BUNDLE-FORMAT.md}: {@code scale = (hi - lo) / (2^b - 1)},
 * {@code q = rint((clamp(x, lo, hi) - lo) / scale)}, {@code x' = lo + scale * q}. {@code rint}
 * rounds half to even like {@code torch.round}, so Java codes equal the training graph's.
 */
public final class FeatureCodec {
    /** Largest tensor a frame may declare: far above any model here, far below the heap. */
    public static final long MAX_ELEMENTS = 1L << 24;

    private FeatureCodec() {}

    /** A packed payload with its header. */
    public record Encoded(CodecSpec spec, byte[] payload) {}

    /** Quantizes {@code values} (one frame, row-major over {@code shape}) into {@code bits}. */
    public static Encoded encode(float[] values, int[] shape, int bits, float lo, float hi) {
        BitPacking.checkBits(bits);
        long n = elementCount(toList(shape));
        if (n != values.length) {
            throw new IllegalArgumentException(
                    "shape holds " + n + " elements but " + values.length + " values were given");
        }
        if (!(hi > lo) || !Float.isFinite(lo) || !Float.isFinite(hi)) {
            throw new IllegalArgumentException(
                    "clip range must be finite with hi > lo: " + lo + ", " + hi);
        }
        int levels = (1 << bits) - 1;
        float scale = (hi - lo) / levels;
        int[] codes = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            float clamped = Math.min(hi, Math.max(lo, values[i]));
            codes[i] = (int) Math.rint((clamped - lo) / scale);
        }
        CodecSpec spec =
                CodecSpec.newBuilder()
                        .setShape(toList(shape))
                        .setBits(bits)
                        .setScale(scale)
                        .setOffset(lo)
                        .setPacking(Packing.DENSE_MSB_FIRST)
                        .build();
        return new Encoded(spec, BitPacking.pack(codes, bits));
    }

    /** Packs 8-bit pixels as codes with scale 1/255: the payload of split point 0. */
    public static Encoded encodeRawImage(byte[] pixels, int[] shape, float pixelScale) {
        if (elementCount(toList(shape)) != pixels.length) {
            throw new IllegalArgumentException(
                    "image shape does not match its " + pixels.length + " pixels");
        }
        CodecSpec spec =
                CodecSpec.newBuilder()
                        .setShape(toList(shape))
                        .setBits(8)
                        .setScale(1f / pixelScale)
                        .setOffset(0f)
                        .setPacking(Packing.DENSE_MSB_FIRST)
                        .build();
        return new Encoded(spec, pixels.clone());
    }

    /**
     * Checks a header and payload against each other; returns the element count.
     *
     * @throws CodecException naming the first disagreement
     */
    public static int validate(CodecSpec spec, ByteBuffer payload) {
        if (spec.getPacking() != Packing.DENSE_MSB_FIRST) {
            throw new CodecException(
                    CodecException.Reason.UNKNOWN_PACKING, "unknown packing " + spec.getPacking());
        }
        int bits = spec.getBits();
        if (bits < BitPacking.MIN_BITS || bits > BitPacking.MAX_BITS) {
            throw new CodecException(
                    CodecException.Reason.UNSUPPORTED_BITS,
                    "bits per element must be "
                            + BitPacking.MIN_BITS
                            + ".."
                            + BitPacking.MAX_BITS
                            + ", got "
                            + bits);
        }
        float scale = spec.getScale();
        float offset = spec.getOffset();
        if (!Float.isFinite(scale) || !Float.isFinite(offset)) {
            throw new CodecException(
                    CodecException.Reason.NON_FINITE_QUANTIZATION,
                    "scale and offset must be finite, got scale=" + scale + " offset=" + offset);
        }
        if (!(scale > 0)) {
            throw new CodecException(
                    CodecException.Reason.NON_POSITIVE_SCALE, "scale must be > 0, got " + scale);
        }
        long n = elementCount(spec.getShape());
        long expected = BitPacking.packedBytes(n, bits);
        if (payload.remaining() != expected) {
            throw new CodecException(
                    CodecException.Reason.PAYLOAD_LENGTH_MISMATCH,
                    "shape "
                            + spec.getShape()
                            + " at "
                            + bits
                            + " bits needs "
                            + expected
                            + " payload bytes, got "
                            + payload.remaining());
        }
        return (int) n;
    }

    /**
     * Validates, unpacks and dequantizes one payload into {@code out[outOffset ..]}.
     *
     * @return the element count
     */
    public static int decode(CodecSpec spec, ByteBuffer payload, float[] out, int outOffset) {
        int n = validate(spec, payload);
        byte[] bytes;
        int start;
        if (payload.hasArray()) {
            bytes = payload.array();
            start = payload.arrayOffset() + payload.position();
        } else {
            bytes = new byte[payload.remaining()];
            payload.duplicate().get(bytes);
            start = 0;
        }
        int[] codes = new int[n];
        BitPacking.unpack(bytes, start, n, spec.getBits(), codes);
        float scale = spec.getScale();
        float offset = spec.getOffset();
        for (int i = 0; i < n; i++) {
            out[outOffset + i] = offset + scale * codes[i];
        }
        return n;
    }

    public static float[] decode(CodecSpec spec, ByteBuffer payload) {
        float[] out = new float[validate(spec, payload)];
        decode(spec, payload, out, 0);
        return out;
    }

    /** Element count of a declared shape, refusing empty, negative or oversized shapes. */
    public static long elementCount(List<Integer> shape) {
        if (shape == null || shape.isEmpty()) {
            throw new CodecException(
                    CodecException.Reason.BAD_SHAPE, "shape must have at least one dimension");
        }
        long n = 1;
        for (Integer d : shape) {
            if (d == null || d <= 0) {
                throw new CodecException(
                        CodecException.Reason.BAD_SHAPE, "shape dimensions must be > 0: " + shape);
            }
            n *= d;
            if (n > MAX_ELEMENTS) {
                throw new CodecException(
                        CodecException.Reason.SHAPE_TOO_LARGE,
                        "shape " + shape + " declares more than " + MAX_ELEMENTS + " elements");
            }
        }
        return n;
    }

    public static List<Integer> toList(int[] shape) {
        List<Integer> list = new ArrayList<>(shape.length);
        for (int d : shape) {
            list.add(d);
        }
        return list;
    }
}
