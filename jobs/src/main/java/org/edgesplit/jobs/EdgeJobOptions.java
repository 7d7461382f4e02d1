package org.edgesplit.jobs;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.edgesplit.core.kafka.KafkaSettings;
import org.edgesplit.core.model.Device;
import org.edgesplit.core.streaming.CellSettings;
import org.edgesplit.core.streaming.StreamingPlanners;
import org.edgesplit.core.topics.Topics;
import org.edgesplit.jobs.planning.PlannerSettings;

/**
 * The edge job's options, parsed once from {@code --name value} arguments into one typed object.
 * Each option has a default and a description ({@link #OPTIONS}); {@code --help} prints them.
 */
public record EdgeJobOptions(
        String bootstrapServers,
        Path kafkaProperties,
        String topicPrefix,
        String groupId,
        String startingOffsets,
        String models,
        int maxBatch,
        long maxWaitMicros,
        int maxInFlight,
        Duration asyncTimeout,
        Device device,
        int ortThreads,
        Duration checkpointInterval,
        Delivery delivery,
        Duration ueIdleTimeout,
        Duration bufferTimeout,
        int parallelism,
        PlannerSettings planning)
        implements Serializable {

    /** Result delivery guarantee. */
    public enum Delivery {
        AT_LEAST_ONCE,
        EXACTLY_ONCE
    }

    /** An option: its name, default value and description. */
    public record Option(String name, String defaultValue, String description) {}

    public static final List<Option> OPTIONS =
            List.of(
                    new Option("bootstrap-servers", "127.0.0.1:9092", "Kafka bootstrap servers."),
                    new Option(
                            "kafka-properties",
                            "",
                            "Java properties file passed to every Kafka client (TLS, SASL, ...)."),
                    new Option(
                            "topic-prefix",
                            Topics.DEFAULT_PREFIX,
                            "Prefix of every EdgeSplit topic."),
                    new Option(
                            "group-id",
                            "edgesplit-edge",
                            "Kafka consumer group of the features source."),
                    new Option(
                            "starting-offsets",
                            "committed",
                            "Where a fresh job starts reading: committed (else earliest), earliest or latest."),
                    new Option(
                            "models",
                            "models/bundles",
                            "Folder of model bundles (each a folder with manifest.json), on every task manager."),
                    new Option("max-batch", "32", "Most frames in one model call."),
                    new Option(
                            "max-wait-ms",
                            "2",
                            "Longest a frame waits for its batch to fill (fractions allowed; 0 = no waiting)."),
                    new Option(
                            "max-in-flight",
                            "256",
                            "Frames in the inference operator per subtask; beyond it the job back-pressures Kafka."),
                    new Option(
                            "async-timeout-ms",
                            "60000",
                            "A frame not answered in this time becomes an INFERENCE_TIMEOUT dead letter."),
                    new Option(
                            "device",
                            "cpu",
                            "cpu or cuda (ONNX Runtime's CUDA provider; falls back to CPU with a warning)."),
                    new Option(
                            "ort-threads",
                            "1",
                            "ONNX Runtime intra-op threads per session; parallelism is the main way to use cores."),
                    new Option(
                            "checkpoint-interval-ms",
                            "5000",
                            "Checkpoint interval; 0 disables checkpointing."),
                    new Option(
                            "delivery",
                            "at-least-once",
                            "Result delivery: at-least-once or exactly-once (Kafka transactions)."),
                    new Option(
                            "ue-idle-timeout-s",
                            "600",
                            "Per-UE state is cleared after this long without frames."),
                    new Option(
                            "buffer-timeout-ms",
                            "2",
                            "Longest Flink holds a network buffer before sending it; Flink's 100 ms default would dominate latency."),
                    new Option(
                            "parallelism", "0", "Job parallelism; 0 keeps the cluster's default."),
                    new Option(
                            "planner",
                            "optimizer",
                            "Live planner: "
                                    + String.join(", ", StreamingPlanners.NAMES)
                                    + ", or none."),
                    new Option(
                            "policy",
                            "",
                            "MAHPPO policy file for --planner mahppo (default: the bundled one)."),
                    new Option("plan-window-ms", "2000", "Planning window length."),
                    new Option(
                            "plan-time",
                            "processing",
                            "Planning windows in processing or event time (telemetry timestamps)."),
                    new Option(
                            "plan-model",
                            "",
                            "Model the cell's UEs run (default: the first bundle)."),
                    new Option(
                            "accuracy-floor",
                            "0.80",
                            "Smallest accuracy a plan may use (fraction)."),
                    new Option(
                            "band-hz",
                            "2000000",
                            "Uplink band shared by a cell's UEs (the paper's 2 x 1 MHz)."),
                    new Option(
                            "beta",
                            "1.0",
                            "Weight of UE energy (J) against latency (s) in the planner's objective."),
                    new Option(
                            "device-factor",
                            "10",
                            "How much slower the UEs are than this machine's ONNX Runtime (as the emulator's --device-factor)."),
                    new Option("device-power-w", "2.5", "UE device compute power in W."));

    public static EdgeJobOptions parse(String... args) {
        Map<String, String> values = parseArgs(args, OPTIONS);
        try {
            double waitMs = Double.parseDouble(values.get("max-wait-ms"));
            EdgeJobOptions o =
                    new EdgeJobOptions(
                            values.get("bootstrap-servers"),
                            values.get("kafka-properties").isEmpty()
                                    ? null
                                    : Path.of(values.get("kafka-properties")),
                            values.get("topic-prefix"),
                            values.get("group-id"),
                            values.get("starting-offsets"),
                            values.get("models"),
                            Integer.parseInt(values.get("max-batch")),
                            Math.round(waitMs * 1000),
                            Integer.parseInt(values.get("max-in-flight")),
                            Duration.ofMillis(Long.parseLong(values.get("async-timeout-ms"))),
                            Device.parse(values.get("device")),
                            Integer.parseInt(values.get("ort-threads")),
                            Duration.ofMillis(Long.parseLong(values.get("checkpoint-interval-ms"))),
                            Delivery.valueOf(
                                    values.get("delivery")
                                            .toUpperCase(Locale.ROOT)
                                            .replace('-', '_')),
                            Duration.ofSeconds(Long.parseLong(values.get("ue-idle-timeout-s"))),
                            Duration.ofMillis(Long.parseLong(values.get("buffer-timeout-ms"))),
                            Integer.parseInt(values.get("parallelism")),
                            planning(values));
            o.check();
            return o;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "a numeric option has a non-numeric value: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().contains("No enum constant")) {
                throw new IllegalArgumentException(
                        "--delivery must be at-least-once or exactly-once");
            }
            throw e;
        }
    }

    private static PlannerSettings planning(Map<String, String> v) {
        String time = v.get("plan-time");
        if (!time.equals("processing") && !time.equals("event")) {
            throw new IllegalArgumentException(
                    "--plan-time must be processing or event, got " + time);
        }
        String planner = v.get("planner");
        if (!planner.equals("none")
                && !StreamingPlanners.NAMES.contains(planner)
                && !planner.matches("fixed-[0-9]+")) {
            throw new IllegalArgumentException(
                    "unknown --planner "
                            + planner
                            + "; known: "
                            + StreamingPlanners.NAMES
                            + " or none");
        }
        double floor = Double.parseDouble(v.get("accuracy-floor"));
        require(floor >= 0 && floor <= 1, "--accuracy-floor must be a fraction in [0, 1]");
        long windowMs = Long.parseLong(v.get("plan-window-ms"));
        require(windowMs > 0, "--plan-window-ms must be > 0");
        int workers = Math.max(1, Integer.parseInt(v.get("parallelism")));
        CellSettings paper = CellSettings.paperRadio(floor, workers, null);
        CellSettings cell =
                new CellSettings(
                        Double.parseDouble(v.get("band-hz")),
                        paper.noisePsd(),
                        paper.pmax(),
                        paper.pathLossExponent(),
                        Double.parseDouble(v.get("beta")),
                        floor,
                        workers,
                        paper.edgeUtilisation(),
                        null);
        return new PlannerSettings(
                planner,
                v.get("policy").isEmpty() ? null : v.get("policy"),
                v.get("plan-model").isEmpty() ? null : v.get("plan-model"),
                Duration.ofMillis(windowMs),
                time.equals("event"),
                3,
                Double.parseDouble(v.get("device-factor")),
                Double.parseDouble(v.get("device-power-w")),
                cell);
    }

    public boolean planningEnabled() {
        return !planning.planner().equals("none");
    }

    private void check() {
        require(maxBatch >= 1, "--max-batch must be >= 1");
        require(maxWaitMicros >= 0, "--max-wait-ms must be >= 0");
        require(maxInFlight >= 1, "--max-in-flight must be >= 1");
        require(
                !asyncTimeout.isNegative() && !asyncTimeout.isZero(),
                "--async-timeout-ms must be > 0");
        require(ortThreads >= 1, "--ort-threads must be >= 1");
        require(!checkpointInterval.isNegative(), "--checkpoint-interval-ms must be >= 0");
        require(parallelism >= 0, "--parallelism must be >= 0");
        require(!bufferTimeout.isNegative(), "--buffer-timeout-ms must be >= 0");
        require(
                List.of("committed", "earliest", "latest").contains(startingOffsets),
                "--starting-offsets must be committed, earliest or latest");
        require(
                delivery != Delivery.EXACTLY_ONCE || !checkpointInterval.isZero(),
                "--delivery exactly-once needs checkpointing (--checkpoint-interval-ms > 0)");
        new Topics(topicPrefix);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Parses {@code --name value} pairs against known options; unknown names are errors. */
    public static Map<String, String> parseArgs(String[] args, List<Option> options) {
        Map<String, String> values = new LinkedHashMap<>();
        options.forEach(o -> values.put(o.name(), o.defaultValue()));
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("expected --option, got '" + arg + "'");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException(
                        "unknown option --"
                                + name
                                + "; known: "
                                + options.stream().map(o -> "--" + o.name()).toList());
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option --" + name + " needs a value");
                }
                value = args[++i];
            }
            values.put(name, value);
        }
        return values;
    }

    public static String help(List<Option> options) {
        StringBuilder b = new StringBuilder();
        for (Option o : options) {
            b.append(
                    String.format(
                            "  --%-24s %s (default: %s)%n",
                            o.name(),
                            o.description(),
                            o.defaultValue().isEmpty() ? "none" : o.defaultValue()));
        }
        return b.toString();
    }

    public Topics topics() {
        return new Topics(topicPrefix);
    }

    public KafkaSettings kafka() {
        return KafkaSettings.of(bootstrapServers, kafkaProperties);
    }

    /** The options as a Flink configuration, shown in the web UI as global job parameters. */
    public Configuration asConfiguration() {
        Configuration c = new Configuration();
        c.setString("edgesplit.bootstrap-servers", bootstrapServers);
        c.setString("edgesplit.topic-prefix", topicPrefix);
        c.setString("edgesplit.models", models);
        c.setString("edgesplit.max-batch", String.valueOf(maxBatch));
        c.setString("edgesplit.max-wait-us", String.valueOf(maxWaitMicros));
        c.setString("edgesplit.max-in-flight", String.valueOf(maxInFlight));
        c.setString("edgesplit.device", device.name());
        c.setString("edgesplit.delivery", delivery.name());
        c.setString("edgesplit.checkpoint-interval", checkpointInterval.toString());
        return c;
    }
}
