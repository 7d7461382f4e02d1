package org.edgesplit.jobs.local;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.edgesplit.avro.DeadLetter;
import org.edgesplit.avro.FeatureFrame;
import org.edgesplit.avro.InferenceResult;
import org.edgesplit.core.codec.FeatureCodec;
import org.edgesplit.core.kafka.EmbeddedKafka;
import org.edgesplit.core.kafka.KafkaSettings;
import org.edgesplit.core.kafka.TopicAdmin;
import org.edgesplit.core.model.FrameEncoder;
import org.edgesplit.core.model.Manifest;
import org.edgesplit.core.model.ModelBundle;
import org.edgesplit.core.model.ModelCatalog;
import org.edgesplit.core.model.TestImages;
import org.edgesplit.core.stats.Quantiles;
import org.edgesplit.core.topics.Topic;
import org.edgesplit.core.topics.Topics;
import org.edgesplit.jobs.EdgeJob;
import org.edgesplit.jobs.EdgeJobOptions;

/**
 * Runs the edge job end to end on one machine: an embedded Kafka broker, a Flink MiniCluster, and a
 * built-in source of real frames (shipped Fashion-MNIST images through the real head and encoder at
 * every split point and bits level, from several UEs) with some malformed records mixed in. Prints
 * what happened.
 */
public final class LocalDemo {
    static final List<EdgeJobOptions.Option> OPTIONS =
            List.of(
                    new EdgeJobOptions.Option("duration", "30", "Seconds to send frames for."),
                    new EdgeJobOptions.Option("ues", "8", "Number of UEs sending frames."),
                    new EdgeJobOptions.Option("rate", "40", "Frames per second, all UEs together."),
                    new EdgeJobOptions.Option(
                            "bad-every", "25", "Every n-th record is malformed (0 = none)."),
                    new EdgeJobOptions.Option(
                            "models", "models/bundles", "Folder of model bundles."),
                    new EdgeJobOptions.Option("parallelism", "2", "Edge job parallelism."));

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration DRAIN = Duration.ofSeconds(15);

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong badSent = new AtomicLong();
    private final AtomicLong results = new AtomicLong();
    private final AtomicLong correct = new AtomicLong();
    private final Map<String, Long> deadByReason = new ConcurrentHashMap<>();
    private final Map<String, Integer> labels = new ConcurrentHashMap<>();
    private final List<Long> latenciesMs =
            java.util.Collections.synchronizedList(new ArrayList<>());

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("./edgesplit demo [options]\n" + EdgeJobOptions.help(OPTIONS));
            return;
        }
        Map<String, String> o = EdgeJobOptions.parseArgs(args, OPTIONS);
        new LocalDemo()
                .run(
                        Integer.parseInt(o.get("duration")), Integer.parseInt(o.get("ues")),
                        Double.parseDouble(o.get("rate")), Integer.parseInt(o.get("bad-every")),
                        Path.of(o.get("models")), Integer.parseInt(o.get("parallelism")));
    }

    void run(int durationS, int ues, double rate, int badEvery, Path models, int parallelism)
            throws Exception {
        ModelCatalog catalog = ModelCatalog.load(models);
        String modelId = catalog.modelIds().iterator().next();
        System.out.printf(
                "EdgeSplit local run: %d UEs, %.0f frames/s for %d s, model %s%n",
                ues, rate, durationS, modelId);
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                EmbeddedFlink flink = EmbeddedFlink.start(1, Math.max(2, parallelism));
                ModelBundle bundle = ModelBundle.load(catalog.dir(modelId))) {
            System.out.println(
                    "Kafka broker (KRaft) at "
                            + kafka.bootstrapServers()
                            + "; Flink web UI at "
                            + flink.webUi());
            Topics topics = Topics.DEFAULT;
            TopicAdmin.ensureTopics(kafka.settings(), topics, (short) 1);
            EdgeJobOptions options =
                    EdgeJobOptions.parse(
                            "--bootstrap-servers", kafka.bootstrapServers(),
                            "--models", models.toString(),
                            "--parallelism", String.valueOf(parallelism),
                            "--checkpoint-interval-ms", "2000");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(
                            EdgeJob.flinkConfig(options));
            EdgeJob.attach(env, options);
            JobID job = flink.submit(env, "EdgeSplit edge job (local)");
            System.out.println("Edge job submitted: " + job);

            AtomicBoolean reading = new AtomicBoolean(true);
            Thread reader =
                    new Thread(() -> read(kafka.settings(), topics, reading), "demo-reader");
            reader.start();
            send(
                    kafka.settings(),
                    topics,
                    new FrameEncoder(bundle),
                    ues,
                    rate,
                    badEvery,
                    durationS);

            long deadline = System.nanoTime() + DRAIN.toNanos();
            while (results.get() < sent.get() - badSent.get() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            reading.set(false);
            reader.join();
            System.out.println("Edge job status at the end: " + flink.status(job));
            flink.cancel(job);
            printSummary();
        }
    }

    private void send(
            KafkaSettings kafka,
            Topics topics,
            FrameEncoder encoder,
            int ues,
            double rate,
            int badEvery,
            int durationS)
            throws Exception {
        Path bundleDir = encoder.bundle().dir();
        TestImages images = TestImages.fromBundle(bundleDir);
        List<int[]> combos = new ArrayList<>();
        for (int point : encoder.bundle().splitPoints()) {
            for (Manifest.Level l : encoder.bundle().point(point).orElseThrow().levels()) {
                combos.add(new int[] {point, l.bits()});
            }
        }
        Topic<FeatureFrame> features = topics.features();
        long[] seq = new long[ues];
        long start = System.nanoTime();
        long periodNanos = (long) (1e9 / rate);
        long lastReport = start;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(kafka.producer("edgesplit-demo"))) {
            for (long i = 0; System.nanoTime() - start < durationS * 1_000_000_000L; i++) {
                long due = start + i * periodNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                int ue = (int) (i % ues);
                int image = (int) (i % images.count());
                int[] combo = combos.get((int) ((i / ues) % combos.size()));
                long t0 = System.nanoTime();
                FeatureCodec.Encoded enc =
                        encoder.encode(combo[0], combo[1], new byte[][] {images.image(image)})[0];
                double headMs = (System.nanoTime() - t0) / 1e6;
                FeatureFrame frame =
                        encoder.frame(
                                "ue-" + ue,
                                seq[ue]++,
                                combo[0],
                                enc,
                                0,
                                System.currentTimeMillis(),
                                headMs,
                                0.0,
                                images.labels()[image]);
                byte[] value = features.valueSerde().serialize(frame);
                if (badEvery > 0 && i % badEvery == badEvery - 1) {
                    value = malform(frame, features, i / badEvery);
                    badSent.incrementAndGet();
                } else {
                    labels.put(frame.getUeId() + "#" + frame.getSeq(), images.labels()[image]);
                }
                producer.send(
                        new ProducerRecord<>(
                                features.name(), Topic.serializeKey(frame.getUeId()), value));
                sent.incrementAndGet();
                if (System.nanoTime() - lastReport > 2_000_000_000L) {
                    lastReport = System.nanoTime();
                    printProgress((lastReport - start) / 1e9);
                }
            }
        }
    }

    /** A few kinds of damage, in turn: what a buggy or hostile UE might send. */
    private static byte[] malform(FeatureFrame frame, Topic<FeatureFrame> features, long n) {
        byte[] good = features.valueSerde().serialize(frame);
        return switch ((int) (n % 4)) {
            case 0 -> Arrays.copyOf(good, good.length / 2);
            case 1 -> {
                byte[] payload = frame.getPayload().array();
                frame.setPayload(ByteBuffer.wrap(Arrays.copyOf(payload, payload.length - 1)));
                yield features.valueSerde().serialize(frame);
            }
            case 2 -> {
                frame.setModelId("no-such-model");
                yield features.valueSerde().serialize(frame);
            }
            default -> "not a frame".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        };
    }

    private void read(KafkaSettings kafka, Topics topics, AtomicBoolean reading) {
        Topic<InferenceResult> resultsTopic = topics.results();
        Topic<DeadLetter> deadTopic = topics.deadLetters();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(kafka.consumer("edgesplit-demo-reader"))) {
            consumer.subscribe(List.of(resultsTopic.name(), deadTopic.name()));
            while (reading.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    if (r.topic().equals(resultsTopic.name())) {
                        InferenceResult result = resultsTopic.valueSerde().deserialize(r.value());
                        results.incrementAndGet();
                        latenciesMs.add(result.getJobOutTimeMs() - result.getCaptureTimeMs());
                        Integer label = labels.get(result.getUeId() + "#" + result.getSeq());
                        if (label != null && label == result.getPredictedClass()) {
                            correct.incrementAndGet();
                        }
                    } else {
                        DeadLetter d = deadTopic.valueSerde().deserialize(r.value());
                        deadByReason.merge(d.getReasonCode(), 1L, Long::sum);
                    }
                }
            }
        }
    }

    private void printProgress(double seconds) {
        System.out.printf(
                "[%5.1f s] sent %d, results %d, dead letters %d, accuracy %.3f, latency p50 %s ms%n",
                seconds,
                sent.get(),
                results.get(),
                deadByReason.values().stream().mapToLong(Long::longValue).sum(),
                results.get() == 0 ? 0.0 : correct.get() / (double) results.get(),
                percentile(0.5));
    }

    private String percentile(double q) {
        double[] sorted;
        synchronized (latenciesMs) {
            sorted = latenciesMs.stream().mapToDouble(Long::doubleValue).sorted().toArray();
        }
        return sorted.length == 0 ? "-" : String.format("%.0f", Quantiles.ofSorted(sorted, q));
    }

    private void printSummary() {
        System.out.println();
        System.out.println("Summary");
        System.out.printf(
                "  records sent          %d (%d good, %d malformed)%n",
                sent.get(), sent.get() - badSent.get(), badSent.get());
        System.out.printf("  results               %d%n", results.get());
        System.out.printf(
                "  accuracy              %.4f%n",
                results.get() == 0 ? 0.0 : correct.get() / (double) results.get());
        System.out.printf(
                "  latency capture→result p50 %s ms, p99 %s ms%n",
                percentile(0.5), percentile(0.99));
        System.out.println("  dead letters by reason:");
        new TreeMap<>(deadByReason).forEach((k, v) -> System.out.printf("    %-26s %d%n", k, v));
        boolean ok =
                results.get() == sent.get() - badSent.get()
                        && deadByReason.values().stream().mapToLong(Long::longValue).sum()
                                == badSent.get();
        System.out.println(
                ok
                        ? "Every good frame was answered once and every malformed one dead-lettered."
                        : "Not every record was accounted for within the drain time.");
    }
}
