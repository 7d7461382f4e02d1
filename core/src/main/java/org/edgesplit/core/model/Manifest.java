package org.edgesplit.core.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A bundle's {@code manifest.json}, as written by {@code models/train.py}; field by field in {@code
 * models/BUNDLE-FORMAT.md}.
 */
public record Manifest(
        int format,
        String modelId,
        boolean trained,
        String dataset,
        Input input,
        List<String> classNames,
        Full full,
        int localPoint,
        List<Point> points,
        List<ExportCheck> exportCheck) {

    /** The model's input. */
    public record Input(
            List<Integer> shape,
            int rawBytes,
            double pixelScale,
            Map<String, List<Double>> normalization) {}

    /** An ONNX file and its SHA-256. */
    public record OnnxFile(String file, String sha256) {}

    /** The whole model, for local-only inference. */
    public record Full(
            String file,
            String sha256,
            Long flops,
            Long params,
            Double accuracy,
            Double accuracySubset,
            Map<String, Double> latencyMs) {
        public OnnxFile onnx() {
            return new OnnxFile(file, sha256);
        }
    }

    /** One split point: its head (absent at point 0), tail and compression levels. */
    public record Point(
            int point,
            String after,
            List<Integer> featureShape,
            List<Integer> codeShape,
            OnnxFile head,
            OnnxFile tail,
            Long headFlops,
            Long headParams,
            Long tailFlops,
            Long tailParams,
            Map<String, Double> headLatencyMs,
            Map<String, Double> tailLatencyMs,
            List<Level> levels) {}

    /** One compression level of a point: bits per code, clip range, bytes and accuracy. */
    public record Level(
            int bits,
            double clipMin,
            double clipMax,
            long codeBytes,
            long payloadBytes,
            Double accuracy,
            Double accuracySubset,
            OnnxFile head,
            OnnxFile tail) {}

    /** PyTorch's output for a small input, to check ONNX Runtime against at export. */
    public record ExportCheck(String file, String input, String output, Double maxAbsDiff) {}

    static final ObjectMapper JSON =
            new ObjectMapper()
                    .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public static Manifest read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Manifest.class);
    }
}
