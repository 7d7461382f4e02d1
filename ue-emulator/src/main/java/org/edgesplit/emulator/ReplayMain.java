package org.edgesplit.emulator;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.edgesplit.core.kafka.EmbeddedKafka;
import org.edgesplit.core.kafka.KafkaSettings;
import org.edgesplit.core.kafka.TopicAdmin;
import org.edgesplit.core.topics.Topics;
import org.edgesplit.emulator.trace.Replayer;
import org.edgesplit.emulator.trace.TraceReader;
import org.edgesplit.jobs.EdgeJobOptions;
import org.edgesplit.jobs.EdgeJobOptions.Option;

/** {@code ./edgesplit replay --trace FILE [--speed 1|10|max]}: re-publishes a recorded trace. */
public final class ReplayMain {
    static final List<Option> OPTIONS =
            List.of(
                    new Option("trace", "", "Trace file written by emulate --record (required)."),
                    new Option(
                            "speed",
                            "1",
                            "1 = recorded timing, N = N times faster, max = as fast as possible."),
                    new Option(
                            "bootstrap-servers",
                            "",
                            "Kafka bootstrap servers; none = start an embedded broker."),
                    new Option(
                            "kafka-properties", "", "Java properties file for every Kafka client."),
                    new Option("topic-prefix", Topics.DEFAULT_PREFIX, "Prefix of every topic."),
                    new Option(
                            "ue-prefix",
                            "",
                            "Prepended to every UE id (replay next to the original run)."),
                    new Option(
                            "drain-s",
                            "10",
                            "After the last frame, wait at most this long for results; 0 = do not wait."));

    /** Parsed replay options. */
    record Options(
            Path trace,
            double speed,
            String bootstrapServers,
            Path kafkaProperties,
            Topics topics,
            String uePrefix,
            double drainS) {}

    private ReplayMain() {}

    static Options parse(String... args) {
        Map<String, String> v = EdgeJobOptions.parseArgs(args, OPTIONS);
        if (v.get("trace").isEmpty()) {
            throw new IllegalArgumentException("--trace FILE is required");
        }
        return new Options(
                Path.of(v.get("trace")),
                parseSpeed(v.get("speed")),
                v.get("bootstrap-servers"),
                v.get("kafka-properties").isEmpty() ? null : Path.of(v.get("kafka-properties")),
                new Topics(v.get("topic-prefix")),
                v.get("ue-prefix"),
                parseNonNegative("drain-s", v.get("drain-s")));
    }

    static double parseSpeed(String s) {
        if (s.equalsIgnoreCase("max")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            double d = Double.parseDouble(s);
            if (d > 0 && Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException(
                "--speed must be a positive number (1, 10, ...) or max, got '" + s + "'");
    }

    private static double parseNonNegative(String name, String s) {
        try {
            double d = Double.parseDouble(s);
            if (d >= 0) {
                return d;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("--" + name + " must be a number >= 0, got '" + s + "'");
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(
                    "./edgesplit replay --trace FILE [options]\n" + EdgeJobOptions.help(OPTIONS));
            return;
        }
        Options o;
        TraceReader.Trace trace;
        try {
            o = parse(args);
            trace = TraceReader.read(o.trace());
        } catch (IllegalArgumentException e) {
            System.err.println("replay: " + e.getMessage());
            System.exit(2);
            return;
        }
        EmbeddedKafka broker = null;
        try {
            String bootstrap = o.bootstrapServers();
            if (bootstrap.isBlank()) {
                broker = EmbeddedKafka.start();
                bootstrap = broker.bootstrapServers();
                System.out.println("Embedded Kafka broker (KRaft) at " + bootstrap);
            }
            KafkaSettings kafka = KafkaSettings.of(bootstrap, o.kafkaProperties());
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch finished = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        stop.set(true);
                                        try {
                                            finished.await(20, TimeUnit.SECONDS);
                                        } catch (InterruptedException e) {
                                            Thread.currentThread().interrupt();
                                        }
                                    }));
            try {
                replay(trace, o, kafka, stop);
            } finally {
                finished.countDown();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    /** Replays to Kafka, matches results, prints a summary. */
    static Replayer.Stats replay(
            TraceReader.Trace trace, Options o, KafkaSettings kafka, AtomicBoolean stop)
            throws InterruptedException {
        TopicAdmin.ensureTopics(kafka, o.topics(), (short) 1);
        ResultMatcher matcher = new ResultMatcher();
        Replayer.Stats stats;
        try (KafkaUeLink link =
                new KafkaUeLink(
                        kafka, o.topics(), r -> matcher.accept(r, System.nanoTime()), p -> {})) {
            Replayer replayer = new Replayer(trace, o.speed(), o.uePrefix());
            link.warmUp(replayer.firstFrame());
            System.out.printf(
                    Locale.ROOT,
                    "Replaying %s (%d records) at speed %s%n",
                    o.trace(),
                    trace.records().size(),
                    Double.isInfinite(o.speed()) ? "max" : String.valueOf(o.speed()));
            stats =
                    replayer.run(
                            (frame, nanos) -> {
                                long sinceCapture =
                                        frame.getSendTimeMs() - frame.getCaptureTimeMs();
                                matcher.sent(
                                        frame.getUeId(),
                                        frame.getSeq(),
                                        new ResultMatcher.Sent(
                                                nanos - sinceCapture * 1_000_000,
                                                frame.getUplinkMs() == null
                                                        ? 0
                                                        : frame.getUplinkMs(),
                                                frame.getLabel(),
                                                frame.getSplitPoint(),
                                                frame.getCodec().getBits(),
                                                frame.getPlanEpoch(),
                                                frame.getComputeEnergyJ()
                                                        + (frame.getTransmitEnergyJ() == null
                                                                ? 0
                                                                : frame.getTransmitEnergyJ()),
                                                link.wireBytes(frame)));
                                link.frame(frame);
                            },
                            stop::get);
            link.flush();
            long deadline = System.nanoTime() + Math.round(o.drainS() * 1e9);
            while (matcher.unanswered() > 0 && System.nanoTime() < deadline && !stop.get()) {
                Thread.sleep(20);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "Replayed %d frames in %.2f s (%.0f frames/s)%n",
                stats.frames(),
                stats.seconds(),
                stats.frames() / Math.max(1e-9, stats.seconds()));
        if (stats.timingErrorMs().count() > 0) {
            System.out.printf(
                    Locale.ROOT,
                    "  timing error ms: p50 %.3f  p99 %.3f  max %.3f%n",
                    stats.timingErrorMs().percentile(0.5),
                    stats.timingErrorMs().percentile(0.99),
                    stats.timingErrorMs().max());
        }
        System.out.printf(
                Locale.ROOT,
                "  results %d, unanswered %d, accuracy %.4f, latency p50 %.1f ms p99 %.1f ms%n",
                matcher.matched(),
                matcher.unanswered(),
                matcher.accuracy(),
                matcher.endToEnd().percentile(0.5),
                matcher.endToEnd().percentile(0.99));
        return stats;
    }
}
