package org.edgesplit.jobs.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.edgesplit.avro.FeatureFrame;
import org.edgesplit.avro.InferenceResult;
import org.edgesplit.core.codec.FeatureCodec;
import org.edgesplit.core.kafka.KafkaSettings;
import org.edgesplit.core.model.FrameEncoder;
import org.edgesplit.core.model.ModelBundle;
import org.edgesplit.core.model.TestImages;
import org.edgesplit.core.topics.Topic;
import org.edgesplit.core.topics.Topics;

/**
 * Rescales the edge job on a {@link LocalCluster}: a backlog of real frames is answered at
 * parallelism 1, the job is stopped with a savepoint, a second backlog is answered after resuming
 * at parallelism 2. Each phase's throughput is measured from the results' job-out times, after a
 * warm-up batch at that parallelism. Every frame, warm-up ones included, must be answered once.
 */
public final class ClusterRescale {
    private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(4);
    private static final Duration POLL = Duration.ofMillis(200);

    /** Results that land after the last expected one would be duplicates; wait this long. */
    private static final Duration DUPLICATE_WATCH = Duration.ofSeconds(3);

    /**
     * Before each measured backlog, a warm-up share of it is sent and answered at the new
     * parallelism: JIT compilation and ONNX Runtime session loading on a fresh TaskManager are not
     * what is measured.
     */
    private static final double WARM_UP_SHARE = 0.1;

    /** Throughput skips the first and last 5 % of a backlog's results (ramp-up, stragglers). */
    private static final double TRIM = 0.05;

    /** What to run: frames per phase from how many UEs, at which split point and bits. */
    public record Plan(int framesPerPhase, int ues, int splitPoint, int bits, Path models) {}

    /** One phase: parallelism, frames/s, and the distinct subtasks and TaskManagers that worked. */
    public record Phase(
            int parallelism,
            int frames,
            double framesPerSecond,
            long distinctWorkers,
            int taskManagers) {}

    /** Both phases and how often every frame was answered (id "ue#seq" to count). */
    public record Report(Phase first, Phase second, Map<String, Integer> answers, int sent) {
        public double ratio() {
            return second.framesPerSecond() / first.framesPerSecond();
        }
    }

    private final LocalCluster cluster;
    private final KafkaSettings kafka;
    private final Topics topics;
    private final Path jobJar;
    private final List<String> extraJobArgs;
    private final Map<String, Integer> answers = new ConcurrentHashMap<>();
    private final Map<String, Long> outTimes = new ConcurrentHashMap<>();
    private final Map<String, String> workers = new ConcurrentHashMap<>();

    /**
     * @param extraJobArgs further edge-job options, e.g. {@code --kafka-properties FILE}
     */
    public ClusterRescale(
            LocalCluster cluster,
            KafkaSettings kafka,
            Topics topics,
            Path jobJar,
            List<String> extraJobArgs) {
        this.cluster = cluster;
        this.kafka = kafka;
        this.topics = topics;
        this.jobJar = jobJar;
        this.extraJobArgs = List.copyOf(extraJobArgs);
    }

    public Report run(Plan plan, Path savepoints) throws Exception {
        String jar = cluster.uploadJar(jobJar);
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader = new Thread(() -> readResults(reading), "cluster-results-reader");
        reader.setDaemon(true);
        reader.start();
        try (ModelBundle bundle = ModelBundle.load(plan.models().resolve(modelId(plan.models())))) {
            FrameEncoder encoder = new FrameEncoder(bundle);
            long perUe = plan.framesPerPhase() / plan.ues();
            long warmPerUe = Math.max(1, (long) Math.ceil(perUe * WARM_UP_SHARE));
            long seq = 0;

            String job = cluster.runJar(jar, 1, jobArgs(plan), null);
            cluster.awaitRunning(job);
            awaitAnswers(produce(encoder, plan, seq, warmPerUe));
            seq += warmPerUe;
            List<String> firstIds = produce(encoder, plan, seq, perUe);
            seq += perUe;
            awaitAnswers(firstIds);
            int firstTms = cluster.taskManagersOf(job);
            String savepoint = cluster.stopWithSavepoint(job, savepoints);

            String resumed = cluster.runJar(jar, 2, jobArgs(plan), savepoint);
            cluster.awaitRunning(resumed);
            int secondTms = cluster.taskManagersOf(resumed);
            awaitAnswers(produce(encoder, plan, seq, warmPerUe));
            seq += warmPerUe;
            List<String> secondIds = produce(encoder, plan, seq, perUe);
            seq += perUe;
            awaitAnswers(secondIds);
            Thread.sleep(DUPLICATE_WATCH.toMillis());
            cluster.cancel(resumed);

            return new Report(
                    phase(1, firstIds, firstTms),
                    phase(2, secondIds, secondTms),
                    Map.copyOf(answers),
                    (int) (seq * plan.ues()));
        } finally {
            reading.set(false);
            reader.join(POLL.toMillis() * 10);
        }
    }

    private List<String> jobArgs(Plan plan) {
        List<String> args = new ArrayList<>();
        args.addAll(
                List.of(
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--topic-prefix",
                        topics.prefix(),
                        "--group-id",
                        "edge-" + topics.prefix(),
                        "--models",
                        plan.models().toAbsolutePath().toString(),
                        "--checkpoint-interval-ms",
                        "2000",
                        "--delivery",
                        "at-least-once"));
        args.addAll(extraJobArgs);
        return args;
    }

    /** Frames with sequence numbers {@code [firstSeq, firstSeq + perUe)} from every UE. */
    private List<String> produce(FrameEncoder encoder, Plan plan, long firstSeq, long perUe)
            throws IOException {
        TestImages images = TestImages.fromBundle(encoder.bundle().dir());
        Topic<FeatureFrame> features = topics.features();
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(kafka.producer("edgesplit-cluster-frames"))) {
            for (long s = firstSeq; s < firstSeq + perUe; s++) {
                for (int ue = 0; ue < plan.ues(); ue++) {
                    int image = (int) ((s * plan.ues() + ue) % images.count());
                    FeatureCodec.Encoded enc =
                            encoder.encode(
                                            plan.splitPoint(),
                                            plan.bits(),
                                            new byte[][] {images.image(image)})[0];
                    FeatureFrame frame =
                            encoder.frame(
                                    "ue-" + ue,
                                    s,
                                    plan.splitPoint(),
                                    enc,
                                    0,
                                    System.currentTimeMillis(),
                                    0.0,
                                    0.0,
                                    images.labels()[image]);
                    producer.send(
                            new ProducerRecord<>(
                                    features.name(),
                                    Topic.serializeKey(frame.getUeId()),
                                    features.valueSerde().serialize(frame)));
                    ids.add(id(frame.getUeId(), s));
                }
            }
            producer.flush();
        }
        return ids;
    }

    private void readResults(AtomicBoolean reading) {
        Topic<InferenceResult> results = topics.results();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(kafka.consumer("edgesplit-cluster-reader"))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < results.partitions(); p++) {
                partitions.add(new TopicPartition(results.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (reading.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    InferenceResult result = results.valueSerde().deserialize(r.value());
                    String id = id(result.getUeId(), result.getSeq());
                    answers.merge(id, 1, Integer::sum);
                    outTimes.putIfAbsent(id, result.getJobOutTimeMs());
                    workers.putIfAbsent(id, String.valueOf(result.getWorker()));
                }
            }
        }
    }

    private void awaitAnswers(List<String> ids) throws InterruptedException {
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (ids.stream().allMatch(answers::containsKey)) {
                return;
            }
            Thread.sleep(POLL.toMillis());
        }
        long missing = ids.stream().filter(id -> !answers.containsKey(id)).count();
        throw new IllegalStateException(
                missing + " of " + ids.size() + " frames unanswered" + cluster.logTails());
    }

    private Phase phase(int parallelism, List<String> ids, int taskManagers) {
        long[] times = ids.stream().mapToLong(outTimes::get).sorted().toArray();
        int from = (int) (times.length * TRIM);
        int to = (int) (times.length * (1 - TRIM)) - 1;
        double seconds = Math.max(1, times[to] - times[from]) / 1000.0;
        long distinctWorkers = ids.stream().map(workers::get).distinct().count();
        return new Phase(
                parallelism, ids.size(), (to - from) / seconds, distinctWorkers, taskManagers);
    }

    static String id(String ue, long seq) {
        return ue + "#" + seq;
    }

    /** The first model bundle in {@code models}. */
    static String modelId(Path models) throws IOException {
        try (Stream<Path> dirs = Files.list(models)) {
            return dirs.filter(d -> Files.exists(d.resolve("manifest.json")))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .findFirst()
                    .orElseThrow(() -> new IOException("no model bundle in " + models));
        }
    }
}
