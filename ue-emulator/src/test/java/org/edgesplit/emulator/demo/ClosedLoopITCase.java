package org.edgesplit.emulator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.flink.api.common.JobID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.edgesplit.avro.Plan;
import org.edgesplit.core.kafka.EmbeddedKafka;
import org.edgesplit.core.kafka.KafkaSettings;
import org.edgesplit.core.kafka.TopicAdmin;
import org.edgesplit.core.testing.TestPaths;
import org.edgesplit.core.topics.Topic;
import org.edgesplit.core.topics.Topics;
import org.edgesplit.emulator.EmulatorOptions;
import org.edgesplit.emulator.EmulatorRunner;
import org.edgesplit.jobs.EdgeJob;
import org.edgesplit.jobs.EdgeJobOptions;
import org.edgesplit.jobs.local.EmbeddedFlink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Emulator, edge job and planner close the loop: when one UE's uplink collapses, the planner moves
 * it to another split point within two planning windows.
 */
class ClosedLoopITCase {
    private static final long WINDOW_MS = 1000;
    private static final long TELEMETRY_MS = 250;

    /** The degrading UE's link: fast (60 Mbit/s) for this long, then slow (60 kbit/s). */
    private static final int FAST_MS = 8000;

    private static final int TRACE_MS = 40_000;
    private static final int RUN_S = 16;

    @Test
    void ueWhoseLinkDegradesIsMovedToAnotherSplitWithinTwoWindows(@TempDir Path dir)
            throws Exception {
        Path degrading = dir.resolve("degrading.up");
        Path steady = dir.resolve("steady.up");
        writeTrace(degrading, true);
        writeTrace(steady, false);
        Topics topics = new Topics("loop-" + UUID.randomUUID().toString().substring(0, 8) + ".");
        List<long[]> plansForUe0 =
                Collections.synchronizedList(new ArrayList<>()); // {receivedMs, point}
        try (EmbeddedKafka broker = EmbeddedKafka.start();
                EmbeddedFlink flink = EmbeddedFlink.start(1, 3)) {
            KafkaSettings kafka = broker.settings();
            TopicAdmin.ensureTopics(kafka, topics, (short) 1);
            EdgeJobOptions job =
                    EdgeJobOptions.parse(
                            "--bootstrap-servers",
                            kafka.bootstrapServers(),
                            "--topic-prefix",
                            topics.prefix(),
                            "--models",
                            TestPaths.modelsDir().toString(),
                            "--parallelism",
                            "2",
                            "--planner",
                            "optimizer",
                            "--plan-window-ms",
                            String.valueOf(WINDOW_MS),
                            "--accuracy-floor",
                            "0.90",
                            "--checkpoint-interval-ms",
                            "1000");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(EdgeJob.flinkConfig(job));
            EdgeJob.attach(env, job);
            JobID jobId = flink.submit(env, "closed-loop");

            EmulatorOptions ues =
                    EmulatorOptions.parse(
                            "--bootstrap-servers",
                            kafka.bootstrapServers(),
                            "--topic-prefix",
                            topics.prefix(),
                            "--models",
                            TestPaths.modelsDir().toString(),
                            "--ues",
                            "2",
                            "--duration-s",
                            String.valueOf(RUN_S),
                            "--arrivals",
                            "poisson:10",
                            "--channel",
                            "trace",
                            "--traces",
                            degrading + "," + steady,
                            "--telemetry-interval-ms",
                            String.valueOf(TELEMETRY_MS),
                            "--progress-interval-s",
                            "0",
                            "--drain-s",
                            "10");
            Thread reader =
                    new Thread(() -> readPlans(kafka, topics, "ue-0", plansForUe0, RUN_S + 5));
            reader.start();
            long start = System.currentTimeMillis();
            new EmulatorRunner(ues, kafka, new PrintStream(System.out), s -> s).run();
            reader.join();
            flink.cancel(jobId);

            long degradedAt = start + FAST_MS;
            Optional<long[]> before =
                    plansForUe0.stream().filter(p -> p[0] < degradedAt).reduce((a, b) -> b);
            assertThat(before).as("a plan while the link was fast").isPresent();
            // Two windows, plus a telemetry period for the slow rate to be measured and reported.
            long deadline = degradedAt + 2 * WINDOW_MS + 2 * TELEMETRY_MS + 500;
            assertThat(
                            plansForUe0.stream()
                                    .filter(p -> p[0] >= degradedAt && p[0] <= deadline)
                                    .map(p -> p[1])
                                    .toList())
                    .as(
                            "plans for ue-0 right after its link degraded (before: point %d)",
                            before.get()[1])
                    .anySatisfy(point -> assertThat(point).isNotEqualTo(before.get()[1]));
        }
    }

    /** A Mahimahi trace: 5 packets every ms, then (when degrading) one packet every 200 ms. */
    private static void writeTrace(Path file, boolean degrading) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int ms = 1; ms <= TRACE_MS; ms++) {
            boolean fast = !degrading || ms <= FAST_MS;
            if (fast) {
                b.append(ms)
                        .append('\n')
                        .append(ms)
                        .append('\n')
                        .append(ms)
                        .append('\n')
                        .append(ms)
                        .append('\n')
                        .append(ms)
                        .append('\n');
            } else if (ms % 200 == 0) {
                b.append(ms).append('\n');
            }
        }
        Files.writeString(file, b.toString());
    }

    private static void readPlans(
            KafkaSettings kafka, Topics topics, String ue, List<long[]> out, int seconds) {
        Topic<Plan> control = topics.control();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(kafka.consumer("plans-" + UUID.randomUUID()))) {
            consumer.subscribe(List.of(control.name()));
            long end = System.currentTimeMillis() + seconds * 1000L;
            while (System.currentTimeMillis() < end) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    Plan p = control.valueSerde().deserialize(r.value());
                    if (p.getUeId().equals(ue)) {
                        out.add(new long[] {System.currentTimeMillis(), p.getSplitPoint()});
                    }
                }
            }
        }
    }
}
