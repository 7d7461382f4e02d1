package org.edgesplit.jobs;

import java.util.ArrayList;
import java.util.List;
import org.edgesplit.avro.FeatureFrame;
import org.edgesplit.core.codec.FeatureCodec;
import org.edgesplit.core.model.FrameEncoder;
import org.edgesplit.core.model.Manifest;
import org.edgesplit.core.model.ModelBundle;
import org.edgesplit.core.model.TestImages;
import org.edgesplit.core.testing.TestPaths;
import org.edgesplit.core.topics.Topic;

/** Real feature frames from the shipped images, made by the UE-side encoder. */
final class Frames {
    private Frames() {}

    /** A frame and the image's true label. */
    record Made(FeatureFrame frame, int label) {
        TestKafka.Raw raw(Topic<FeatureFrame> topic) {
            return new TestKafka.Raw(
                    Topic.serializeKey(frame.getUeId()), topic.valueSerde().serialize(frame));
        }
    }

    /** Every (point, bits) the bundle offers. */
    static List<int[]> allPointsAndBits(ModelBundle bundle) {
        List<int[]> combos = new ArrayList<>();
        for (int point : bundle.splitPoints()) {
            for (Manifest.Level level : bundle.point(point).orElseThrow().levels()) {
                combos.add(new int[] {point, level.bits()});
            }
        }
        return combos;
    }

    /**
     * {@code count} frames from {@code ues} UEs, cycling through the given (point, bits) combos;
     * image i goes to UE i % ues with the next sequence number of that UE, from {@code firstImage}.
     */
    static List<Made> make(int count, int ues, List<int[]> combos, int firstImage, long firstSeq)
            throws Exception {
        try (ModelBundle bundle = ModelBundle.load(TestPaths.fmnistBundle())) {
            TestImages images = TestImages.fromBundle(TestPaths.fmnistBundle());
            FrameEncoder encoder = new FrameEncoder(bundle);
            List<Made> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int image = (firstImage + i) % images.count();
                int[] combo = combos.get(i % combos.size());
                FeatureCodec.Encoded enc =
                        encoder.encode(combo[0], combo[1], new byte[][] {images.image(image)})[0];
                String ue = "ue-" + (i % ues);
                long seq = firstSeq + i / ues;
                out.add(
                        new Made(
                                encoder.frame(
                                        ue,
                                        seq,
                                        combo[0],
                                        enc,
                                        1,
                                        System.currentTimeMillis(),
                                        0.0,
                                        0.0,
                                        images.labels()[image]),
                                images.labels()[image]));
            }
            return out;
        }
    }
}
