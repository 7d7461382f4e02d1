package org.edgesplit.emulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.edgesplit.core.kafka.KafkaSettings;
import org.edgesplit.core.topics.Topics;
import org.edgesplit.emulator.channel.Fading;
import org.edgesplit.jobs.EdgeJobOptions;
import org.edgesplit.jobs.EdgeJobOptions.Option;

/**
 * The emulator's options, parsed once from {@code --name value} arguments (with the project's
 * {@link EdgeJobOptions#parseArgs} helper) into one typed object.
 */
public record EmulatorOptions(
        String bootstrapServers,
        Path kafkaProperties,
        String topicPrefix,
        Path models,
        String model,
        int ues,
        String ueIdPrefix,
        String arrivals,
        double durationS,
        long tasksPerUe,
        ChannelKind channel,
        int subChannels,
        double channelWidthHz,
        double bandHz,
        double noiseW,
        double pathLossExponent,
        double distanceMinM,
        double distanceMaxM,
        Fading fading,
        List<Path> traces,
        String deviceProfile,
        double deviceFactor,
        double devicePowerW,
        int splitPoint,
        int bits,
        double powerW,
        int computeThreads,
        long telemetryIntervalMs,
        Path record,
        long seed,
        double progressIntervalS,
        double drainS) {

    /** The uplink model all UEs share. */
    public enum ChannelKind {
        SUBCHANNELS,
        OFDMA,
        TRACE
    }

    public static final List<Option> OPTIONS =
            List.of(
                    new Option(
                            "bootstrap-servers",
                            "",
                            "Kafka bootstrap servers; none = start an embedded broker."),
                    new Option(
                            "kafka-properties",
                            "",
                            "Java properties file passed to every Kafka client (TLS, SASL, ...)."),
                    new Option("topic-prefix", Topics.DEFAULT_PREFIX, "Prefix of every topic."),
                    new Option("models", "models/bundles", "Folder of model bundles."),
                    new Option("model", "fmnist-resnet", "Model bundle the UEs run."),
                    new Option("ues", "4", "Number of emulated UEs."),
                    new Option("ue-prefix", "ue-", "UE ids are this prefix plus 0, 1, ..."),
                    new Option(
                            "arrivals",
                            "poisson:5",
                            "Task arrivals per UE: poisson:RATE_HZ or trace:FILE (one arrival ms per line)."),
                    new Option("duration-s", "30", "Run length in seconds; 0 = until Ctrl-C."),
                    new Option(
                            "tasks-per-ue",
                            "0",
                            "Stop each UE after this many tasks; 0 = no limit."),
                    new Option(
                            "channel",
                            "subchannels",
                            "Uplink model: subchannels (paper, interference), ofdma (band shares) or trace (Mahimahi)."),
                    new Option("sub-channels", "2", "Paper sub-channels M (channel subchannels)."),
                    new Option(
                            "channel-width-hz", "1e6", "Width W of one sub-channel (subchannels)."),
                    new Option("band-hz", "10e6", "Band B shared by OFDMA shares (channel ofdma)."),
                    new Option(
                            "noise-w",
                            "1e-9",
                            "Noise power sigma^2 over one sub-channel width; OFDMA uses the density noise-w / channel-width-hz."),
                    new Option(
                            "path-loss-exponent", "3", "Path-loss exponent alpha: g = d^-alpha."),
                    new Option(
                            "distance-m",
                            "1:100",
                            "UE distance in m: a value, or MIN:MAX drawn uniformly per UE."),
                    new Option("fading", "none", "none or rayleigh (per-frame |h|^2 ~ Exp(1))."),
                    new Option(
                            "traces",
                            "traces/cellular-uplink",
                            "Mahimahi uplink traces (channel trace): a folder of *.up files or FILE,FILE,...; UE i uses trace i mod n."),
                    new Option(
                            "device-profile",
                            "measured",
                            "measured (bundle head latency x device-factor at device-power-w) or jetson-resnet18, jetson-vgg11, jetson-mobilenetv2 (paper table)."),
                    new Option(
                            "device-factor",
                            "10",
                            "How much slower the UE is than this machine (measured profile)."),
                    new Option(
                            "device-power-w", "2.5", "UE compute power in W (measured profile)."),
                    new Option(
                            "split-point",
                            "2",
                            "Initial split point (0 = edge-only, local point = local-only)."),
                    new Option("bits", "4", "Initial bits per code element."),
                    new Option("power-w", "1.0", "Initial transmit power in W."),
                    new Option(
                            "compute-threads",
                            "2",
                            "Threads of the shared head-compute pool (ONNX Runtime, 1 intra-op thread each)."),
                    new Option(
                            "telemetry-interval-ms", "1000", "Telemetry period per UE; 0 = none."),
                    new Option(
                            "record", "", "Write a trace (Avro container file) of the run here."),
                    new Option("seed", "1", "Seed of every random draw."),
                    new Option(
                            "progress-interval-s",
                            "1",
                            "Seconds between console progress lines; 0 = none."),
                    new Option(
                            "drain-s",
                            "10",
                            "After the run, wait at most this long for outstanding results."));

    public static EmulatorOptions parse(String... args) {
        Map<String, String> v = EdgeJobOptions.parseArgs(args, OPTIONS);
        EmulatorOptions o;
        try {
            String[] distance = v.get("distance-m").split(":");
            if (distance.length > 2) {
                throw new IllegalArgumentException(
                        "--distance-m must be a value or MIN:MAX, got " + v.get("distance-m"));
            }
            double dMin = Double.parseDouble(distance[0]);
            double dMax = distance.length == 2 ? Double.parseDouble(distance[1]) : dMin;
            o =
                    new EmulatorOptions(
                            v.get("bootstrap-servers"),
                            optionalPath(v.get("kafka-properties")),
                            v.get("topic-prefix"),
                            Path.of(v.get("models")),
                            v.get("model"),
                            Integer.parseInt(v.get("ues")),
                            v.get("ue-prefix"),
                            v.get("arrivals"),
                            Double.parseDouble(v.get("duration-s")),
                            Long.parseLong(v.get("tasks-per-ue")),
                            channel(v.get("channel")),
                            Integer.parseInt(v.get("sub-channels")),
                            Double.parseDouble(v.get("channel-width-hz")),
                            Double.parseDouble(v.get("band-hz")),
                            Double.parseDouble(v.get("noise-w")),
                            Double.parseDouble(v.get("path-loss-exponent")),
                            dMin,
                            dMax,
                            Fading.parse(v.get("fading")),
                            traces(v.get("traces"), channel(v.get("channel"))),
                            v.get("device-profile"),
                            Double.parseDouble(v.get("device-factor")),
                            Double.parseDouble(v.get("device-power-w")),
                            Integer.parseInt(v.get("split-point")),
                            Integer.parseInt(v.get("bits")),
                            Double.parseDouble(v.get("power-w")),
                            Integer.parseInt(v.get("compute-threads")),
                            Long.parseLong(v.get("telemetry-interval-ms")),
                            optionalPath(v.get("record")),
                            Long.parseLong(v.get("seed")),
                            Double.parseDouble(v.get("progress-interval-s")),
                            Double.parseDouble(v.get("drain-s")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "a numeric option has a non-numeric value: " + e.getMessage());
        }
        o.check();
        return o;
    }

    private void check() {
        require(ues >= 1, "--ues must be >= 1");
        require(durationS >= 0, "--duration-s must be >= 0");
        require(tasksPerUe >= 0, "--tasks-per-ue must be >= 0");
        require(subChannels >= 1, "--sub-channels must be >= 1");
        require(channelWidthHz > 0, "--channel-width-hz must be > 0");
        require(bandHz > 0, "--band-hz must be > 0");
        require(noiseW > 0, "--noise-w must be > 0");
        require(pathLossExponent >= 0, "--path-loss-exponent must be >= 0");
        require(
                distanceMinM > 0 && distanceMaxM >= distanceMinM,
                "--distance-m needs 0 < MIN <= MAX");
        require(deviceFactor > 0, "--device-factor must be > 0");
        require(devicePowerW >= 0, "--device-power-w must be >= 0");
        require(splitPoint >= 0, "--split-point must be >= 0");
        require(bits >= 1 && bits <= 8, "--bits must be 1..8");
        require(powerW > 0, "--power-w must be > 0");
        require(computeThreads >= 1, "--compute-threads must be >= 1");
        require(telemetryIntervalMs >= 0, "--telemetry-interval-ms must be >= 0");
        require(progressIntervalS >= 0, "--progress-interval-s must be >= 0");
        require(drainS >= 0, "--drain-s must be >= 0");
        require(!ueIdPrefix.isEmpty(), "--ue-prefix must not be empty");
        require(
                List.of("measured", "jetson-resnet18", "jetson-vgg11", "jetson-mobilenetv2")
                        .contains(deviceProfile),
                "--device-profile must be measured, jetson-resnet18, jetson-vgg11 or jetson-mobilenetv2");
        if (record != null && record.getParent() != null) {
            require(
                    Files.isDirectory(record.getParent()),
                    "--record: folder " + record.getParent() + " does not exist");
        }
        // Arrivals are checked here so that a bad spec fails before any broker starts.
        ArrivalProcess.parse(arrivals, new java.util.Random(seed), 0);
        new Topics(topicPrefix);
    }

    private static ChannelKind channel(String text) {
        try {
            return ChannelKind.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--channel must be subchannels, ofdma or trace, got '" + text + "'");
        }
    }

    private static List<Path> traces(String spec, ChannelKind channel) {
        if (channel != ChannelKind.TRACE) {
            return List.of();
        }
        Path dir = Path.of(spec);
        if (!spec.contains(",") && Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                List<Path> up =
                        files.filter(f -> f.getFileName().toString().endsWith(".up"))
                                .sorted()
                                .toList();
                require(!up.isEmpty(), "--traces: no *.up files in " + dir);
                return up;
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("--traces: cannot list " + dir, e);
            }
        }
        List<Path> files = java.util.Arrays.stream(spec.split(",")).map(Path::of).toList();
        for (Path f : files) {
            require(Files.isReadable(f), "--traces: cannot read uplink trace " + f);
        }
        return files;
    }

    private static Path optionalPath(String s) {
        return s == null || s.isEmpty() ? null : Path.of(s);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public boolean embeddedKafka() {
        return bootstrapServers.isBlank();
    }

    public Topics topics() {
        return new Topics(topicPrefix);
    }

    public KafkaSettings kafka(String bootstrap) {
        return KafkaSettings.of(bootstrap, kafkaProperties);
    }

    public String ueId(int index) {
        return ueIdPrefix + index;
    }
}
