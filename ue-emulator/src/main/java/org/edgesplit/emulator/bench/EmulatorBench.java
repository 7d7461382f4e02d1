package org.edgesplit.emulator.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.edgesplit.core.kafka.EmbeddedKafka;
import org.edgesplit.core.kafka.KafkaSettings;
import org.edgesplit.core.kafka.TopicAdmin;
import org.edgesplit.core.topics.Topics;
import org.edgesplit.emulator.Emulator;
import org.edgesplit.emulator.EmulatorOptions;
import org.edgesplit.emulator.EmulatorRunner;
import org.edgesplit.emulator.KafkaUeLink;
import org.edgesplit.emulator.trace.Replayer;
import org.edgesplit.emulator.trace.TraceReader;
import org.edgesplit.jobs.EdgeJobOptions;
import org.edgesplit.jobs.EdgeJobOptions.Option;

/**
 * {@code ./edgesplit bench emulate}: how many UEs the emulator sustains with real head compute
 * (frames/s reaching the offered load), how fast a recording replays at max speed, and how
 * precisely a replay at 1x keeps the recorded timing. Prints a table (or JSON lines).
 */
public final class EmulatorBench {
    static final List<Option> OPTIONS =
            List.of(
                    new Option("ues", "10,50,100,200,400,800", "UE counts to try, in order."),
                    new Option("rate-hz", "5", "Poisson arrival rate per UE."),
                    new Option("seconds", "6", "Length of each run."),
                    new Option("compute-threads", "2", "Head-compute pool threads."),
                    new Option("models", "models/bundles", "Folder of model bundles."),
                    new Option("json", "false", "Print JSON lines instead of a table."));

    /** Sustained = at least this share of the tasks that arrived went out as frames ... */
    private static final double SUSTAINED_SHARE = 0.95;

    /** ... and the UE side (queue + compute + uplink) kept its p99 below this. */
    private static final double SUSTAINED_P99_MS = 100;

    private EmulatorBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(
                    "./edgesplit bench emulate [options]\n" + EdgeJobOptions.help(OPTIONS));
            return;
        }
        if (args.length > 0 && args[0].equals("--json")) {
            args = new String[] {"--json", "true"};
        }
        Map<String, String> o = EdgeJobOptions.parseArgs(args, OPTIONS);
        double rate = Double.parseDouble(o.get("rate-hz"));
        double seconds = Double.parseDouble(o.get("seconds"));
        boolean json = Boolean.parseBoolean(o.get("json"));
        List<String[]> rows = new ArrayList<>();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Path dir = Files.createTempDirectory("edgesplit-bench-emulate-");
        try (EmbeddedKafka broker = EmbeddedKafka.start()) {
            KafkaSettings kafka = broker.settings();
            int best = 0;
            double bestFps = 0;
            Path bestTrace = null;
            List<String> steps = new ArrayList<>(List.of("warmup"));
            steps.addAll(List.of(o.get("ues").split(",")));
            for (String n : steps) {
                boolean warmup = n.equals("warmup");
                int ues = warmup ? 10 : Integer.parseInt(n.trim());
                Path trace = dir.resolve("run-" + ues + ".avro");
                EmulatorOptions eo =
                        EmulatorOptions.parse(
                                "--bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--topic-prefix",
                                "bench-" + ues + ".",
                                "--models",
                                o.get("models"),
                                "--ues",
                                String.valueOf(ues),
                                "--arrivals",
                                "poisson:" + rate,
                                "--duration-s",
                                String.valueOf(seconds),
                                "--channel",
                                "ofdma",
                                "--distance-m",
                                "50",
                                "--compute-threads",
                                o.get("compute-threads"),
                                "--telemetry-interval-ms",
                                "1000",
                                "--progress-interval-s",
                                "0",
                                "--drain-s",
                                "0",
                                "--record",
                                trace.toString());
                long t0 = System.nanoTime();
                Emulator e = new EmulatorRunner(eo, kafka, quiet, s -> s).run();
                if (warmup) {
                    continue; // JIT, ONNX Runtime and Kafka clients warm up here
                }
                double fps = e.framesSent() / seconds;
                double offered = ues * rate;
                long arrived = e.ueSummaries().stream().mapToLong(u -> u.tasks()).sum();
                boolean sustained =
                        e.framesSent() >= SUSTAINED_SHARE * arrived
                                && e.ueSideLatency().percentile(0.99) <= SUSTAINED_P99_MS;
                rows.add(
                        new String[] {
                            "emulate, real head compute",
                            ues + " UEs x " + rate + " Hz",
                            fmt(offered),
                            fmt(fps),
                            String.format(
                                    Locale.ROOT,
                                    "UE-side p50 %.1f / p99 %.1f ms",
                                    e.ueSideLatency().percentile(0.5),
                                    e.ueSideLatency().percentile(0.99)),
                            sustained ? "sustained" : "NOT sustained"
                        });
                print(json, rows.get(rows.size() - 1));
                if (!sustained) {
                    break;
                }
                best = ues;
                bestFps = fps;
                bestTrace = trace;
            }
            rows.add(
                    new String[] {
                        "emulate: most UEs sustained", best + " UEs", "", fmt(bestFps), "", ""
                    });
            print(json, rows.get(rows.size() - 1));
            if (bestTrace != null) {
                TraceReader.Trace trace = TraceReader.read(bestTrace);
                replay(kafka, trace, Double.POSITIVE_INFINITY, "max", json);
                replay(kafka, trace, 1, "1x", json);
            }
            timerFloor(json);
        }
    }

    private static void replay(
            KafkaSettings kafka,
            TraceReader.Trace trace,
            double speed,
            String label,
            boolean json) {
        Topics topics = new Topics("bench-replay-" + label + ".");
        TopicAdmin.ensureTopics(kafka, topics, (short) 1);
        Replayer.Stats stats;
        long t0 = System.nanoTime();
        try (KafkaUeLink link = new KafkaUeLink(kafka, topics, r -> {}, p -> {})) {
            Replayer replayer = new Replayer(trace, speed, "");
            link.warmUp(replayer.firstFrame());
            stats = replayer.run((f, nanos) -> link.frame(f), new AtomicBoolean()::get);
            link.flush();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        String timing =
                stats.timingErrorMs().count() == 0
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "timing error p50 %.3f / p99 %.3f / max %.3f ms",
                                stats.timingErrorMs().percentile(0.5),
                                stats.timingErrorMs().percentile(0.99),
                                stats.timingErrorMs().max());
        print(
                json,
                new String[] {
                    "replay at " + label,
                    stats.frames() + " frames",
                    "",
                    fmt(stats.frames() / s),
                    timing,
                    speed == 1
                            ? (stats.timingErrorMs().percentile(0.99) <= 2.0
                                    ? "goal p99 <= 2 ms met"
                                    : "goal p99 <= 2 ms MISSED")
                            : ""
                });
    }

    /** Frames due every 5 ms, waited for as the replayer waits, with no work: the OS's share. */
    private static void timerFloor(boolean json) {
        final int n = 1000;
        final long every = 5_000_000L;
        org.edgesplit.emulator.LatencyStats late = new org.edgesplit.emulator.LatencyStats();
        long t0 = System.nanoTime();
        for (int i = 1; i <= n; i++) {
            long target = t0 + i * every;
            long left;
            while ((left = target - System.nanoTime()) > 300_000) {
                java.util.concurrent.locks.LockSupport.parkNanos(left - 300_000);
            }
            while (System.nanoTime() < target) {
                Thread.onSpinWait();
            }
            late.add((System.nanoTime() - target) / 1e6);
        }
        print(
                json,
                new String[] {
                    "timer floor (wait, no work)",
                    n + " waits of 5 ms",
                    "",
                    "",
                    String.format(
                            Locale.ROOT,
                            "lateness p50 %.3f / p99 %.3f / max %.3f ms",
                            late.percentile(0.5),
                            late.percentile(0.99),
                            late.max()),
                    "machine load " + loadAverage()
                });
    }

    private static String loadAverage() {
        return String.format(
                Locale.ROOT,
                "%.1f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
    }

    private static boolean header;

    private static void print(boolean json, String[] r) {
        if (json) {
            System.out.printf(
                    Locale.ROOT,
                    "{\"what\":\"%s\",\"load\":\"%s\",\"offered_fps\":\"%s\",\"frames_per_s\":\"%s\",\"detail\":\"%s\",\"verdict\":\"%s\"}%n",
                    (Object[]) r);
            return;
        }
        if (!header) {
            header = true;
            System.out.printf(
                    "| %-28s | %-18s | %-10s | %-10s | %-46s | %-22s |%n",
                    "what", "load", "offered/s", "frames/s", "detail", "verdict");
            System.out.printf(
                    "|%s|%s|%s|%s|%s|%s|%n",
                    "-".repeat(30),
                    "-".repeat(20),
                    "-".repeat(12),
                    "-".repeat(12),
                    "-".repeat(48),
                    "-".repeat(24));
        }
        System.out.printf("| %-28s | %-18s | %-10s | %-10s | %-46s | %-22s |%n", (Object[]) r);
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.0f", d);
    }
}
