package org.edgesplit.core.model;

import java.nio.ByteBuffer;
import org.edgesplit.avro.FeatureFrame;
import org.edgesplit.core.codec.FeatureCodec;

/**
 * The UE side of a split: runs head + encoder on images and packs each code into a feature frame.
 * Point 0 sends the raw 8-bit image. Shared by the emulator, the demo and tests.
 */
public final class FrameEncoder {
    private final ModelBundle bundle;

    public FrameEncoder(ModelBundle bundle) {
        this.bundle = bundle;
    }

    public ModelBundle bundle() {
        return bundle;
    }

    /** Encodes a batch of 8-bit images at (point, bits); returns one packed code per image. */
    public FeatureCodec.Encoded[] encode(int point, int bits, byte[][] images) {
        if (point == bundle.localPoint()) {
            throw new IllegalArgumentException(
                    "point " + point + " is local-only: nothing is sent");
        }
        FeatureCodec.Encoded[] out = new FeatureCodec.Encoded[images.length];
        if (point == 0) {
            for (int i = 0; i < images.length; i++) {
                out[i] = FeatureCodec.encodeRawImage(images[i], bundle.inputShape(), pixelScale());
            }
            return out;
        }
        int perImage = bundle.inputElements();
        float[] input = new float[images.length * perImage];
        for (int i = 0; i < images.length; i++) {
            for (int j = 0; j < perImage; j++) {
                input[i * perImage + j] = (images[i][j] & 0xFF) / pixelScale();
            }
        }
        float[] codes = bundle.runHead(point, bits, input, images.length);
        int per = bundle.codeElements(point);
        for (int i = 0; i < images.length; i++) {
            float[] one = new float[per];
            System.arraycopy(codes, i * per, one, 0, per);
            out[i] = bundle.encode(point, bits, one);
        }
        return out;
    }

    /** Runs the whole model on the UE (local-only); returns the predicted class per image. */
    public int[] classifyLocally(byte[][] images) {
        int perImage = bundle.inputElements();
        float[] input = new float[images.length * perImage];
        for (int i = 0; i < images.length; i++) {
            for (int j = 0; j < perImage; j++) {
                input[i * perImage + j] = (images[i][j] & 0xFF) / pixelScale();
            }
        }
        return argmax(bundle.runFull(input, images.length), bundle.classes());
    }

    /** A frame around one encoded payload; timings and costs are the caller's. */
    public FeatureFrame frame(
            String ueId,
            long seq,
            int point,
            FeatureCodec.Encoded encoded,
            long planEpoch,
            long captureTimeMs,
            double headComputeMs,
            double computeEnergyJ,
            Integer label) {
        return FeatureFrame.newBuilder()
                .setUeId(ueId)
                .setSeq(seq)
                .setModelId(bundle.modelId())
                .setSplitPoint(point)
                .setCodec(encoded.spec())
                .setPayload(ByteBuffer.wrap(encoded.payload()))
                .setPlanEpoch(planEpoch)
                .setCaptureTimeMs(captureTimeMs)
                .setHeadComputeMs(headComputeMs)
                .setComputeEnergyJ(computeEnergyJ)
                .setSendTimeMs(captureTimeMs)
                .setLabel(label)
                .build();
    }

    private float pixelScale() {
        return (float) bundle.manifest().input().pixelScale();
    }

    public static int[] argmax(float[] logits, int classes) {
        int n = logits.length / classes;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[i * classes + c] > logits[i * classes + best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }
}
