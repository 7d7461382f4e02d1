package org.edgesplit.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.edgesplit.core.codec.FeatureCodec;
import org.edgesplit.core.testing.TestPaths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {
    /** The tolerance between Java's and the manifest's accuracy on the same images. */
    private static final double ACCURACY_TOLERANCE = 0.005;

    private static final int BATCH = 100;

    private static ModelBundle bundle;
    private static TestImages images;

    @BeforeAll
    static void load() throws IOException {
        bundle = ModelBundle.load(TestPaths.fmnistBundle());
        images = TestImages.fromBundle(TestPaths.fmnistBundle());
    }

    @AfterAll
    static void close() {
        bundle.close();
    }

    @Test
    void fullModelMatchesManifestAccuracyOnShippedImages() {
        int correct = 0;
        for (int from = 0; from < images.count(); from += BATCH) {
            float[] logits = bundle.runFull(images.floats(from, BATCH, 255.0), BATCH);
            correct += countCorrect(logits, from, BATCH);
        }
        assertThat(correct / (double) images.count())
                .isCloseTo(bundle.manifest().full().accuracySubset(), within(ACCURACY_TOLERANCE));
    }

    @Test
    void everySplitPointAndBitsLevelMatchesManifestThroughTheCodec() {
        for (int point : bundle.splitPoints()) {
            for (Manifest.Level level : bundle.point(point).orElseThrow().levels()) {
                double accuracy = accuracyThroughCodec(point, level.bits());
                assertThat(accuracy)
                        .as("point %d, %d bits", point, level.bits())
                        .isCloseTo(level.accuracySubset(), within(ACCURACY_TOLERANCE));
            }
        }
    }

    @Test
    void payloadBytesInManifestMatchPackedCodes() {
        for (int point : bundle.splitPoints()) {
            for (Manifest.Level level : bundle.point(point).orElseThrow().levels()) {
                long packed = (bundle.codeElements(point) * (long) level.bits() + 7) / 8;
                assertThat(level.codeBytes())
                        .as("point %d bits %d", point, level.bits())
                        .isEqualTo(packed);
                assertThat(level.payloadBytes()).isGreaterThan(level.codeBytes());
            }
        }
    }

    /** UE side: head → quantize → pack; edge side: unpack → dequantize → tail. */
    private static double accuracyThroughCodec(int point, int bits) {
        int correct = 0;
        int per = bundle.codeElements(point);
        for (int from = 0; from < images.count(); from += BATCH) {
            float[] codes = new float[BATCH * per];
            if (point == 0) {
                for (int i = 0; i < BATCH; i++) {
                    FeatureCodec.Encoded e =
                            FeatureCodec.encodeRawImage(
                                    images.image(from + i), bundle.inputShape(), 255f);
                    FeatureCodec.decode(e.spec(), ByteBuffer.wrap(e.payload()), codes, i * per);
                }
            } else {
                float[] head =
                        bundle.runHead(point, bits, images.floats(from, BATCH, 255.0), BATCH);
                for (int i = 0; i < BATCH; i++) {
                    float[] one = new float[per];
                    System.arraycopy(head, i * per, one, 0, per);
                    FeatureCodec.Encoded e = bundle.encode(point, bits, one);
                    FeatureCodec.decode(e.spec(), ByteBuffer.wrap(e.payload()), codes, i * per);
                }
            }
            correct += countCorrect(bundle.runTail(point, bits, codes, BATCH), from, BATCH);
        }
        return correct / (double) images.count();
    }

    private static int countCorrect(float[] logits, int from, int n) {
        int classes = bundle.classes();
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[i * classes + c] > logits[i * classes + best]) {
                    best = c;
                }
            }
            correct += best == images.labels()[from + i] ? 1 : 0;
        }
        return correct;
    }

    @Test
    void refusesBundleWhoseFileHashDisagrees(@TempDir Path tmp) throws IOException {
        Path copy = copyBundle(tmp);
        Files.write(copy.resolve("p1_head.onnx"), new byte[] {0}, StandardOpenOption.APPEND);
        assertThatThrownBy(() -> ModelBundle.load(copy))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("p1_head.onnx")
                .hasMessageContaining("SHA-256");
    }

    @Test
    void refusesBundleWhoseShapesDisagreeWithManifest(@TempDir Path tmp) throws IOException {
        Path copy = copyBundle(tmp);
        ObjectNode manifest =
                (ObjectNode) Manifest.JSON.readTree(copy.resolve("manifest.json").toFile());
        ArrayNode shape = (ArrayNode) manifest.get("points").get(1).get("code_shape");
        shape.set(0, shape.get(0).asInt() + 1);
        Manifest.JSON.writeValue(copy.resolve("manifest.json").toFile(), manifest);
        assertThatThrownBy(() -> ModelBundle.load(copy))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("the manifest says");
    }

    @Test
    void refusesBundleWithMissingFile(@TempDir Path tmp) throws IOException {
        Path copy = copyBundle(tmp);
        Files.delete(copy.resolve("p2_tail.onnx"));
        assertThatThrownBy(() -> ModelBundle.load(copy))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("p2_tail.onnx")
                .hasMessageContaining("does not exist");
    }

    @Test
    void refusesFolderWithoutManifest(@TempDir Path tmp) {
        assertThatThrownBy(() -> ModelBundle.load(tmp)).hasMessageContaining("no manifest.json");
    }

    private static Path copyBundle(Path tmp) throws IOException {
        Path src = TestPaths.fmnistBundle();
        Path dst = tmp.resolve("bundle");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = dst.resolve(src.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return dst;
    }
}
