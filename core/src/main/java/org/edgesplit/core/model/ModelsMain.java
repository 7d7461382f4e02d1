package org.edgesplit.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./edgesplit models}: what each bundle sends and how well it does, per split point and bits
 * level; {@code ./edgesplit models profile DIR} measures ONNX Runtime latencies and checks ONNX
 * Runtime against PyTorch's export-check outputs, writing both into the manifest.
 */
public final class ModelsMain {
    private static final int[] PROFILE_BATCHES = {1, 32};
    private static final int WARMUP_RUNS = 5;
    private static final int TIMED_RUNS_BATCH_1 = 200;
    private static final int TIMED_RUNS_BATCH_32 = 20;

    private ModelsMain() {}

    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        if (a.contains("--help") || a.contains("-h")) {
            System.out.println(
                    "./edgesplit models [--models DIR] [--json]\n./edgesplit models profile BUNDLE_DIR");
            return;
        }
        if (!a.isEmpty() && a.get(0).equals("profile")) {
            if (a.size() != 2) {
                throw new IllegalArgumentException("usage: ./edgesplit models profile BUNDLE_DIR");
            }
            profile(Path.of(a.get(1)));
            return;
        }
        boolean json = a.remove("--json");
        Path models = Path.of("models/bundles");
        int i = a.indexOf("--models");
        if (i >= 0) {
            if (i + 1 >= a.size()) {
                throw new IllegalArgumentException("--models needs a folder");
            }
            models = Path.of(a.get(i + 1));
            a.remove(i + 1);
            a.remove(i);
        }
        if (!a.isEmpty()) {
            throw new IllegalArgumentException("unknown arguments " + a + "; see --help");
        }
        ModelCatalog catalog = ModelCatalog.load(models);
        for (String id : catalog.modelIds()) {
            Manifest m = catalog.manifest(id).orElseThrow();
            if (json) {
                printJson(m);
            } else {
                printTable(m);
            }
        }
    }

    /** One row of the table: a (point, bits) of a bundle. */
    record Row(Manifest m, Manifest.Point p, Manifest.Level l) {
        long fp32FeatureBytes() {
            return 4L
                    * p.featureShape().stream()
                            .mapToLong(Integer::longValue)
                            .reduce(1, (x, y) -> x * y);
        }

        double vsFp32() {
            return fp32FeatureBytes() / (double) l.payloadBytes();
        }

        double vsImage() {
            return m.input().rawBytes() / (double) l.payloadBytes();
        }
    }

    static List<Row> rows(Manifest m) {
        List<Row> rows = new ArrayList<>();
        for (Manifest.Point p : m.points()) {
            for (Manifest.Level l : p.levels()) {
                rows.add(new Row(m, p, l));
            }
        }
        return rows;
    }

    static void printTable(Manifest m) {
        System.out.printf(
                "%s (%s, %s): full model accuracy %s, %s FLOPs, head+tail latency in ms at batch 1/32 (ONNX Runtime, CPU)%n",
                m.modelId(),
                m.dataset(),
                m.trained() ? "trained" : "untrained, seeded random weights",
                pct(m.full().accuracy()),
                m.full().flops());
        System.out.printf(
                "%-6s %-8s %4s %8s %9s %9s %8s %9s %13s %13s%n",
                "point",
                "after",
                "bits",
                "payload",
                "vs fp32",
                "vs image",
                "accuracy",
                "drop(pt)",
                "head ms 1/32",
                "tail ms 1/32");
        for (Row r : rows(m)) {
            Double acc = r.l().accuracy();
            Double full = m.full().accuracy();
            System.out.printf(
                    "%-6d %-8s %4d %8d %8.1fx %8.2fx %8s %9s %13s %13s%n",
                    r.p().point(),
                    r.p().after(),
                    r.l().bits(),
                    r.l().payloadBytes(),
                    r.vsFp32(),
                    r.vsImage(),
                    pct(acc),
                    acc == null || full == null ? "-" : String.format("%.2f", 100 * (full - acc)),
                    latency(r.p().headLatencyMs()),
                    latency(r.p().tailLatencyMs()));
        }
        System.out.printf(
                "%-6d %-8s %4s %8d %9s %9s %8s %9s %13s %13s%n%n",
                m.localPoint(),
                "local",
                "-",
                0,
                "-",
                "-",
                pct(m.full().accuracy()),
                "0.00",
                latency(m.full().latencyMs()),
                "-");
    }

    static void printJson(Manifest m) throws IOException {
        for (Row r : rows(m)) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model", m.modelId());
            o.put("point", r.p().point());
            o.put("after", r.p().after());
            o.put("bits", r.l().bits());
            o.put("code_bytes", r.l().codeBytes());
            o.put("payload_bytes", r.l().payloadBytes());
            o.put("fp32_feature_bytes", r.fp32FeatureBytes());
            o.put("raw_image_bytes", m.input().rawBytes());
            o.put("compression_vs_fp32", r.vsFp32());
            o.put("compression_vs_image", r.vsImage());
            o.put("beats_raw_image", r.l().payloadBytes() < m.input().rawBytes());
            o.put("accuracy", r.l().accuracy());
            o.put("head_latency_ms", r.p().headLatencyMs());
            o.put("tail_latency_ms", r.p().tailLatencyMs());
            System.out.println(Manifest.JSON.writeValueAsString(o));
        }
        Map<String, Object> full = new LinkedHashMap<>();
        full.put("model", m.modelId());
        full.put("point", "full");
        full.put("bits", null);
        full.put("payload_bytes", 0);
        full.put("fp32_feature_bytes", null);
        full.put("accuracy", m.full().accuracy());
        full.put("latency_ms", m.full().latencyMs());
        System.out.println(Manifest.JSON.writeValueAsString(full));
    }

    private static String pct(Double v) {
        return v == null ? "-" : String.format("%.4f", v);
    }

    private static String latency(Map<String, Double> ms) {
        if (ms == null || ms.get("1") == null) {
            return "-";
        }
        return String.format("%.2f/%.2f", ms.get("1"), ms.getOrDefault("32", Double.NaN));
    }

    /** Measures latencies and export differences and writes them into the bundle's manifest. */
    static void profile(Path dir) throws IOException {
        Path file = dir.resolve(ModelBundle.MANIFEST);
        ObjectNode root = (ObjectNode) Manifest.JSON.readTree(file.toFile());
        try (ModelBundle bundle = ModelBundle.load(dir)) {
            double worst = 0;
            for (JsonNode check : root.withArray("export_check")) {
                double diff = exportDiff(bundle, dir, check);
                ((ObjectNode) check).put("max_abs_diff", diff);
                worst = Math.max(worst, diff);
                System.out.printf(
                        "export check %-18s max |ORT - PyTorch| = %.3g%n",
                        check.get("file").asText(), diff);
            }
            ((ObjectNode) root.get("full"))
                    .set(
                            "latency_ms",
                            timings(
                                    batch ->
                                            bundle.runFull(
                                                    new float[batch * bundle.inputElements()],
                                                    batch)));
            for (JsonNode pn : root.withArray("points")) {
                ObjectNode p = (ObjectNode) pn;
                int point = p.get("point").asInt();
                int bits = p.get("levels").get(0).get("bits").asInt();
                if (!p.get("head").isNull()) {
                    p.set(
                            "head_latency_ms",
                            timings(
                                    batch ->
                                            bundle.runHead(
                                                    point,
                                                    bits,
                                                    new float[batch * bundle.inputElements()],
                                                    batch)));
                }
                p.set(
                        "tail_latency_ms",
                        timings(
                                batch ->
                                        bundle.runTail(
                                                point,
                                                bits,
                                                new float[batch * bundle.codeElements(point)],
                                                batch)));
                System.out.printf(
                        "point %d: head %s ms, tail %s ms (batch 1/32)%n",
                        point, p.get("head_latency_ms"), p.get("tail_latency_ms"));
            }
            root.put(
                    "latency_note",
                    "ONNX Runtime Java "
                            + ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion()
                            + ", CPU, 1 intra-op thread, median of timed runs after warm-up, measured by ./edgesplit models profile");
            System.out.printf("largest export difference: %.3g%n", worst);
        }
        Manifest.JSON
                .copy()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.toFile(), root);
        System.out.println("wrote " + file);
    }

    interface BatchRun {
        void run(int batch);
    }

    private static ObjectNode timings(BatchRun run) {
        ObjectNode out = Manifest.JSON.createObjectNode();
        for (int batch : PROFILE_BATCHES) {
            for (int i = 0; i < WARMUP_RUNS; i++) {
                run.run(batch);
            }
            int runs = batch == 1 ? TIMED_RUNS_BATCH_1 : TIMED_RUNS_BATCH_32;
            double[] ms = new double[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                run.run(batch);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            out.put(String.valueOf(batch), Math.round(ms[runs / 2] * 1000) / 1000.0);
        }
        return out;
    }

    private static double exportDiff(ModelBundle bundle, Path dir, JsonNode check)
            throws IOException {
        String file = check.get("file").asText();
        Npy in = Npy.read(dir.resolve(check.get("input").asText()));
        Npy expected = Npy.read(dir.resolve(check.get("output").asText()));
        float[] actual = bundle.runFile(file, in.data(), in.shape());
        if (actual.length != expected.data().length) {
            throw new BundleException(
                    file
                            + ": ONNX Runtime gave "
                            + actual.length
                            + " values, PyTorch "
                            + expected.data().length);
        }
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected.data()[i]));
        }
        return worst;
    }
}
