package org.edgesplit.jobs.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.edgesplit.avro.FeatureFrame;
import org.edgesplit.avro.InferenceResult;
import org.edgesplit.core.codec.FeatureCodec;
import org.edgesplit.core.kafka.EmbeddedKafka;
import org.edgesplit.core.kafka.KafkaSettings;
import org.edgesplit.core.kafka.TopicAdmin;
import org.edgesplit.core.model.FrameEncoder;
import org.edgesplit.core.model.ModelBundle;
import org.edgesplit.core.model.TestImages;
import org.edgesplit.core.stats.Quantiles;
import org.edgesplit.core.topics.Topic;
import org.edgesplit.core.topics.Topics;
import org.edgesplit.jobs.EdgeJob;
import org.edgesplit.jobs.EdgeJobOptions;
import org.edgesplit.jobs.local.EmbeddedFlink;

/**
 * {@code ./edgesplit bench edge}: the edge's decode + tail, bare in ONNX Runtime and through the
 * whole job (Kafka in, Flink, Kafka out), per record and micro-batched. Prints a table (or JSON
 * lines with {@code --json}).
 *
 * <p>Throughput is measured from a backlog (the job drains frames already in Kafka); latency at
 * half of the measured saturation rate, from a paced producer, as capture → result received.
 */
public final class EdgeBench {
    static final List<EdgeJobOptions.Option> OPTIONS =
            List.of(
                    new EdgeJobOptions.Option(
                            "models", "models/bundles", "Folder of model bundles to benchmark."),
                    new EdgeJobOptions.Option(
                            "paper",
                            "models/build/paper",
                            "Folder of the paper's 224x224 bundles, when built."),
                    new EdgeJobOptions.Option(
                            "paper-models",
                            "resnet18",
                            "Which of the paper's bundles to run (a name part)."),
                    new EdgeJobOptions.Option(
                            "batch",
                            "32",
                            "Micro-batch size (and the bare batch to compare with)."),
                    new EdgeJobOptions.Option("max-wait-ms", "2", "Micro-batch maximum wait."),
                    new EdgeJobOptions.Option(
                            "seconds", "8", "Seconds per measurement (bare and paced runs)."),
                    new EdgeJobOptions.Option(
                            "json", "false", "Print JSON lines instead of a table."));

    private static final int UES = 64;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(300);

    /** One row of the result table. */
    record Row(
            String model,
            String mode,
            int batch,
            double framesPerS,
            double p50Ms,
            double p99Ms,
            String note) {}

    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        if (a.contains("--help")) {
            System.out.println("./edgesplit bench edge [options]\n" + EdgeJobOptions.help(OPTIONS));
            return;
        }
        boolean json = a.remove("--json");
        Map<String, String> o = EdgeJobOptions.parseArgs(a.toArray(String[]::new), OPTIONS);
        json |= Boolean.parseBoolean(o.get("json"));
        int batch = Integer.parseInt(o.get("batch"));
        double waitMs = Double.parseDouble(o.get("max-wait-ms"));
        double seconds = Double.parseDouble(o.get("seconds"));

        List<Path> bundles = new ArrayList<>(bundleDirs(Path.of(o.get("models"))));
        // Of the paper's networks, ResNet18 (the others take minutes per run on a CPU).
        bundleDirs(Path.of(o.get("paper"))).stream()
                .filter(d -> d.getFileName().toString().contains(o.get("paper-models")))
                .forEach(bundles::add);
        List<Row> rows = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                EmbeddedFlink flink = EmbeddedFlink.start(1, 2)) {
            for (Path dir : bundles) {
                try {
                    rows.addAll(
                            new EdgeBench()
                                    .benchBundle(
                                            dir, kafka.settings(), flink, batch, waitMs, seconds));
                } catch (RuntimeException e) {
                    // One bundle failing (e.g. too slow to drain) must not hide the others' rows.
                    rows.add(
                            new Row(
                                    dir.getFileName().toString(),
                                    "failed",
                                    batch,
                                    Double.NaN,
                                    Double.NaN,
                                    Double.NaN,
                                    e.getMessage()));
                }
            }
        }
        print(rows, json);
    }

    static List<Path> bundleDirs(Path root) throws java.io.IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (var s = Files.list(root)) {
            return s.filter(d -> Files.isRegularFile(d.resolve(ModelBundle.MANIFEST)))
                    .sorted()
                    .toList();
        }
    }

    List<Row> benchBundle(
            Path dir,
            KafkaSettings kafka,
            EmbeddedFlink flink,
            int batch,
            double waitMs,
            double seconds)
            throws Exception {
        List<Row> rows = new ArrayList<>();
        try (ModelBundle bundle = ModelBundle.load(dir)) {
            int point = midPoint(bundle);
            int bits =
                    bundle.point(point).orElseThrow().levels().stream()
                            .mapToInt(l -> l.bits())
                            .min()
                            .orElseThrow();
            List<FeatureFrame> frames = frames(bundle, point, bits, 256);
            String model = bundle.modelId() + " p" + point + "/" + bits + "b";
            System.err.printf("benchmarking %s ...%n", model);

            Row bare1 = bare(bundle, model, frames, 1, seconds);
            Row bareB = bare(bundle, model, frames, batch, seconds);
            rows.add(bare1);
            rows.add(bareB);
            rows.addAll(
                    pipeline(
                            dir,
                            model,
                            frames,
                            kafka,
                            flink,
                            1,
                            0,
                            seconds,
                            "per-record",
                            bare1.framesPerS()));
            rows.addAll(
                    pipeline(
                            dir,
                            model,
                            frames,
                            kafka,
                            flink,
                            batch,
                            waitMs,
                            seconds,
                            "batched",
                            bareB.framesPerS()));
        }
        return rows;
    }

    /** The middle split point: where the paper's trade-off is most interesting. */
    static int midPoint(ModelBundle bundle) {
        List<Integer> points = bundle.splitPoints().stream().filter(p -> p > 0).toList();
        return points.isEmpty() ? 0 : points.get((points.size() - 1) / 2);
    }

    static List<FeatureFrame> frames(ModelBundle bundle, int point, int bits, int n)
            throws Exception {
        FrameEncoder encoder = new FrameEncoder(bundle);
        TestImages images = trainedImages(bundle);
        List<FeatureFrame> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] image =
                    images != null ? images.image(i % images.count()) : randomImage(bundle, i);
            FeatureCodec.Encoded enc = encoder.encode(point, bits, new byte[][] {image})[0];
            out.add(encoder.frame("ue-" + (i % UES), i / UES, point, enc, 0, 0, 0, 0, null));
        }
        return out;
    }

    private static TestImages trainedImages(ModelBundle bundle) throws java.io.IOException {
        Path file = bundle.dir().resolve(TestImages.IMAGES);
        return Files.exists(file) ? TestImages.fromBundle(bundle.dir()) : null;
    }

    private static byte[] randomImage(ModelBundle bundle, int seed) {
        byte[] image = new byte[bundle.inputElements()];
        new java.util.Random(seed).nextBytes(image);
        return image;
    }

    /** Decode + tail called directly, one thread, at a fixed batch size. */
    static Row bare(
            ModelBundle bundle,
            String model,
            List<FeatureFrame> frames,
            int batch,
            double seconds) {
        FeatureFrame first = frames.get(0);
        int point = first.getSplitPoint();
        int bits = first.getCodec().getBits();
        int per = bundle.codeElements(point);
        List<Double> callMs = new ArrayList<>();
        long frameCount = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long warm = System.nanoTime() + (long) (Math.min(1.0, seconds / 4) * 1e9);
        long measuredNanos = 0;
        for (int i = 0; System.nanoTime() < end; i++) {
            long t0 = System.nanoTime();
            float[] codes = new float[batch * per];
            for (int b = 0; b < batch; b++) {
                FeatureFrame f = frames.get((i * batch + b) % frames.size());
                FeatureCodec.decode(f.getCodec(), f.getPayload().duplicate(), codes, b * per);
            }
            bundle.runTail(point, bits, codes, batch);
            long t1 = System.nanoTime();
            if (t0 > warm) {
                callMs.add((t1 - t0) / 1e6);
                frameCount += batch;
                measuredNanos += t1 - t0;
            }
        }
        double[] sorted = callMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Row(
                model,
                "bare",
                batch,
                frameCount / (measuredNanos / 1e9),
                Quantiles.ofSorted(sorted, 0.5),
                Quantiles.ofSorted(sorted, 0.99),
                "ONNX Runtime call incl. decode");
    }

    /**
     * The whole job at parallelism 1: saturation throughput from a backlog, then latency at half of
     * it.
     */
    List<Row> pipeline(
            Path dir,
            String model,
            List<FeatureFrame> frames,
            KafkaSettings kafka,
            EmbeddedFlink flink,
            int batch,
            double waitMs,
            double seconds,
            String mode,
            double bareRate)
            throws Exception {
        // Throughput: a backlog the job needs about `seconds` to drain at bare speed.
        int backlog = (int) Math.max(100, Math.min(100_000, bareRate * seconds));
        Topics topics = new Topics("bench-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        TopicAdmin.ensureTopics(kafka, topics, (short) 1);
        produce(kafka, topics, frames, backlog, 0, 0);
        JobID job = submit(flink, dir, kafka, topics, batch, waitMs);
        double[] drain = drain(kafka, topics, backlog);
        flink.cancel(job);
        double saturation = drain[0];
        Row throughput =
                new Row(
                        model,
                        mode,
                        batch,
                        saturation,
                        Double.NaN,
                        Double.NaN,
                        "backlog of " + backlog);

        // Latency at half of saturation, a fresh job on fresh topics.
        Topics paced = new Topics("bench-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        TopicAdmin.ensureTopics(kafka, paced, (short) 1);
        JobID pacedJob = submit(flink, dir, kafka, paced, batch, waitMs);
        double rate = saturation / 2;
        int count = (int) Math.max(60, rate * seconds);
        Thread.sleep(3000); // let the job start and warm up before the clock runs
        Thread producer =
                new Thread(
                        () -> {
                            try {
                                produce(kafka, paced, frames, count, rate, 0);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        producer.start();
        Latencies measured = receiveLatencies(kafka, paced, count);
        producer.join();
        flink.cancel(pacedJob);
        double[] latencies = measured.endToEnd().clone();
        Arrays.sort(latencies);
        Row latency =
                new Row(
                        model,
                        mode,
                        batch,
                        rate,
                        Quantiles.ofSorted(latencies, 0.5),
                        Quantiles.ofSorted(latencies, 0.99),
                        String.format(
                                "paced at half of %.0f/s; %s", saturation, measured.breakdown()));
        return List.of(throughput, latency);
    }

    private static JobID submit(
            EmbeddedFlink flink,
            Path dir,
            KafkaSettings kafka,
            Topics topics,
            int batch,
            double waitMs)
            throws Exception {
        EdgeJobOptions options =
                EdgeJobOptions.parse(
                        "--bootstrap-servers", kafka.bootstrapServers(),
                        "--topic-prefix", topics.prefix(),
                        "--group-id", "bench-" + topics.prefix(),
                        "--models", dir.toString(),
                        "--parallelism", "1",
                        "--max-batch", String.valueOf(batch),
                        "--max-wait-ms", String.valueOf(waitMs),
                        "--max-in-flight", String.valueOf(Math.max(64, 4 * batch)),
                        "--checkpoint-interval-ms", "0");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(EdgeJob.flinkConfig(options));
        EdgeJob.attach(env, options);
        return flink.submit(env, "edge bench");
    }

    /**
     * Sends {@code count} frames (re-keyed to fresh sequence numbers); {@code rate} 0 = as fast as
     * possible.
     */
    static void produce(
            KafkaSettings kafka,
            Topics topics,
            List<FeatureFrame> frames,
            int count,
            double rate,
            long seqBase)
            throws Exception {
        Topic<FeatureFrame> features = topics.features();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(kafka.producer("bench"))) {
            for (int i = 0; i < count; i++) {
                if (rate > 0) {
                    long due = start + (long) (i * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                FeatureFrame f =
                        FeatureFrame.newBuilder(frames.get(i % frames.size()))
                                .setUeId("ue-" + (i % UES))
                                .setSeq(seqBase + i / UES)
                                .setCaptureTimeMs(System.currentTimeMillis())
                                .build();
                producer.send(
                        new ProducerRecord<>(
                                features.name(),
                                Topic.serializeKey(f.getUeId()),
                                features.valueSerde().serialize(f)));
            }
            producer.flush();
        }
    }

    /** Frames per second from the first to the last of {@code count} results. */
    static double[] drain(KafkaSettings kafka, Topics topics, int count) {
        long first = 0;
        long last = 0;
        int seen = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka, topics)) {
            long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
            while (seen < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    InferenceResult res = topics.results().valueSerde().deserialize(r.value());
                    if (seen == 0) {
                        first = res.getJobOutTimeMs();
                    }
                    last = Math.max(last, res.getJobOutTimeMs());
                    seen++;
                }
            }
        }
        if (seen < count) {
            throw new IllegalStateException("only " + seen + " of " + count + " results arrived");
        }
        return new double[] {(count - 1) / Math.max(1e-3, (last - first) / 1000.0)};
    }

    /** Latencies of {@code count} results, end to end and per stage (Kafka in, job, Kafka out). */
    record Latencies(double[] endToEnd, double[] kafkaIn, double[] job, double[] kafkaOut) {
        String breakdown() {
            return String.format(
                    "p50 Kafka in %.1f + job %.1f + Kafka out %.1f ms",
                    median(kafkaIn), median(job), median(kafkaOut));
        }

        private static double median(double[] v) {
            double[] c = v.clone();
            Arrays.sort(c);
            return Quantiles.ofSorted(c, 0.5);
        }
    }

    static Latencies receiveLatencies(KafkaSettings kafka, Topics topics, int count) {
        double[][] l = new double[4][count];
        int seen = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka, topics)) {
            long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
            while (seen < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.currentTimeMillis();
                    InferenceResult res = topics.results().valueSerde().deserialize(r.value());
                    if (seen < count) {
                        l[0][seen] = now - res.getCaptureTimeMs();
                        l[1][seen] = res.getJobInTimeMs() - res.getCaptureTimeMs();
                        l[2][seen] = res.getJobOutTimeMs() - res.getJobInTimeMs();
                        l[3][seen] = now - res.getJobOutTimeMs();
                        seen++;
                    }
                }
            }
        }
        return new Latencies(
                Arrays.copyOf(l[0], seen),
                Arrays.copyOf(l[1], seen),
                Arrays.copyOf(l[2], seen),
                Arrays.copyOf(l[3], seen));
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaSettings kafka, Topics topics) {
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(kafka.consumer("bench-" + UUID.randomUUID()));
        List<TopicPartition> parts = new ArrayList<>();
        for (int p = 0; p < topics.results().partitions(); p++) {
            parts.add(new TopicPartition(topics.results().name(), p));
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        return consumer;
    }

    static void print(List<Row> rows, boolean json) throws Exception {
        if (json) {
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            for (Row r : rows) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("model", r.model());
                o.put("mode", r.mode());
                o.put("batch", r.batch());
                o.put("frames_per_s", round(r.framesPerS()));
                o.put("p50_ms", Double.isNaN(r.p50Ms()) ? null : round(r.p50Ms()));
                o.put("p99_ms", Double.isNaN(r.p99Ms()) ? null : round(r.p99Ms()));
                o.put("note", r.note());
                System.out.println(mapper.writeValueAsString(o));
            }
            return;
        }
        System.out.printf(
                "%-26s %-10s %5s %12s %9s %9s  %s%n",
                "model", "mode", "batch", "frames/s", "p50 ms", "p99 ms", "note");
        for (Row r : rows) {
            System.out.printf(
                    "%-26s %-10s %5d %12.0f %9s %9s  %s%n",
                    r.model(),
                    r.mode(),
                    r.batch(),
                    r.framesPerS(),
                    fmt(r.p50Ms()),
                    fmt(r.p99Ms()),
                    r.note());
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.2f", v);
    }
}
