package org.edgesplit.emulator.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.edgesplit.avro.Plan;
import org.edgesplit.core.kafka.EmbeddedKafka;
import org.edgesplit.core.kafka.KafkaSettings;
import org.edgesplit.core.kafka.TopicAdmin;
import org.edgesplit.core.streaming.StreamingPlanners;
import org.edgesplit.core.topics.Topic;
import org.edgesplit.core.topics.Topics;
import org.edgesplit.emulator.EmulatorOptions;
import org.edgesplit.emulator.EmulatorRunner;
import org.edgesplit.emulator.report.HtmlReport;
import org.edgesplit.emulator.report.PlannerSummary;
import org.edgesplit.emulator.report.RunLog;
import org.edgesplit.jobs.EdgeJobOptions;

/**
 * {@code ./edgesplit demo}: the whole system on one machine. An embedded Kafka broker, the edge job
 * (with its planner) on a Flink MiniCluster, and N emulated UEs on real uplink traces with real
 * images and real head compute. The planner changes midway — the job is stopped with a savepoint
 * and resumed with the next planner, keeping its state — so the planners can be compared on the
 * same UEs and links. Prints a table per planner and writes an HTML report.
 */
public final class Demo {
    static final List<EdgeJobOptions.Option> OPTIONS =
            List.of(
                    new EdgeJobOptions.Option(
                            "duration",
                            "90",
                            "Seconds the UEs run, split evenly between the planners."),
                    new EdgeJobOptions.Option("ues", "20", "Number of emulated UEs."),
                    new EdgeJobOptions.Option(
                            "planners",
                            "edge-only,mahppo,optimizer",
                            "Planners in the order they take over: "
                                    + String.join(", ", StreamingPlanners.NAMES)
                                    + "."),
                    new EdgeJobOptions.Option(
                            "report", "reports/demo.html", "Where the HTML report goes."),
                    new EdgeJobOptions.Option(
                            "arrivals",
                            "poisson:4",
                            "Task arrivals per UE (as the emulator's --arrivals)."),
                    new EdgeJobOptions.Option(
                            "channel",
                            "trace",
                            "Uplink model (trace, subchannels or ofdma; as the emulator's --channel)."),
                    new EdgeJobOptions.Option(
                            "traces",
                            "traces/cellular-uplink",
                            "Mahimahi uplink traces for --channel trace."),
                    new EdgeJobOptions.Option(
                            "accuracy-floor",
                            "0.90",
                            "Plans never use a (point, bits) measured below this accuracy."),
                    new EdgeJobOptions.Option("plan-window-ms", "2000", "Planning window."),
                    new EdgeJobOptions.Option("parallelism", "2", "Edge job parallelism."),
                    new EdgeJobOptions.Option(
                            "models", "models/bundles", "Folder of model bundles."),
                    new EdgeJobOptions.Option("model", "fmnist-resnet", "Model the UEs run."),
                    new EdgeJobOptions.Option(
                            "bootstrap-servers", "", "External Kafka; none = an embedded broker."),
                    new EdgeJobOptions.Option(
                            "kafka-properties",
                            "",
                            "Client properties file for every Kafka client."),
                    new EdgeJobOptions.Option(
                            "jobmanager",
                            "",
                            "External Flink REST address host:port; none = a MiniCluster."),
                    new EdgeJobOptions.Option(
                            "job-jar",
                            "",
                            "The job jar to ship to an external cluster (jobs/target/edgesplit-jobs-*-job.jar)."),
                    new EdgeJobOptions.Option(
                            "savepoint-dir",
                            "",
                            "Savepoints between planners (shared storage for an external cluster); none = a temporary folder."));

    private static final Duration POLL = Duration.ofMillis(200);
    static final String SWITCHING = "(switching)";

    /** After a restart: the first planning window plus time for its plans to reach the UEs. */
    private static final long SETTLE_EXTRA_MS = 1000;

    private Demo() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("./edgesplit demo [options]\n" + EdgeJobOptions.help(OPTIONS));
            return;
        }
        Map<String, String> o;
        List<String> planners;
        try {
            o = EdgeJobOptions.parseArgs(args, OPTIONS);
            planners =
                    Arrays.stream(o.get("planners").split(","))
                            .map(String::trim)
                            .filter(s -> !s.isEmpty())
                            .toList();
            if (planners.isEmpty()) {
                throw new IllegalArgumentException("--planners needs at least one planner");
            }
            for (String p : planners) {
                StreamingPlanners.byName(p, null, 5);
            }
            if (Integer.parseInt(o.get("duration")) < 3 * planners.size()) {
                throw new IllegalArgumentException(
                        "--duration must give each planner at least 3 s");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("demo: " + e.getMessage());
            System.exit(2);
            return;
        }
        run(o, planners);
    }

    static void run(Map<String, String> o, List<String> planners) throws Exception {
        int duration = Integer.parseInt(o.get("duration"));
        int ues = Integer.parseInt(o.get("ues"));
        Path report = Path.of(o.get("report"));
        Path savepoints =
                o.get("savepoint-dir").isEmpty()
                        ? Files.createTempDirectory("edgesplit-savepoints-")
                        : Path.of(o.get("savepoint-dir"));
        RunLog log = new RunLog();
        EmbeddedKafka broker = o.get("bootstrap-servers").isEmpty() ? EmbeddedKafka.start() : null;
        try (EdgeCluster flink =
                o.get("jobmanager").isEmpty()
                        ? EdgeCluster.embedded(Integer.parseInt(o.get("parallelism")) + 1)
                        : EdgeCluster.remote(o.get("jobmanager"), Path.of(o.get("job-jar")))) {
            String bootstrap =
                    broker != null ? broker.bootstrapServers() : o.get("bootstrap-servers");
            KafkaSettings kafka =
                    o.get("kafka-properties").isEmpty()
                            ? KafkaSettings.of(bootstrap)
                            : KafkaSettings.of(bootstrap, Path.of(o.get("kafka-properties")));
            Topics topics = Topics.DEFAULT;
            TopicAdmin.ensureTopics(kafka, topics, (short) 1);
            System.out.printf(
                    "EdgeSplit demo: %d UEs on %s links, planners %s, %d s each%n",
                    ues, o.get("channel"), planners, duration / planners.size());
            System.out.println("Kafka at " + bootstrap + "; Flink web UI at " + flink.webUi());

            AtomicReference<String> phase = new AtomicReference<>(planners.get(0));
            AtomicBoolean reading = new AtomicBoolean(true);
            Thread planReader =
                    new Thread(() -> readPlans(kafka, topics, log, phase, reading), "demo-plans");
            planReader.start();

            EmulatorOptions emulator =
                    EmulatorOptions.parse(emulatorArgs(o, bootstrap, duration, ues));
            EmulatorRunner runner =
                    new EmulatorRunner(emulator, kafka, System.out, s -> s)
                            .onTaskDone(
                                    m ->
                                            log.task(
                                                    new RunLog.Task(
                                                            m.ueId(),
                                                            phase.get(),
                                                            System.currentTimeMillis(),
                                                            m.endToEndMs(),
                                                            m.energyJ(),
                                                            m.point(),
                                                            m.bits(),
                                                            m.bytes(),
                                                            m.correct())));

            JobClient job = flink.submit(jobOptions(o, bootstrap, planners.get(0)), null);
            AtomicReference<Throwable> emulatorFailure = new AtomicReference<>();
            Thread ueThread =
                    new Thread(
                            () -> {
                                try {
                                    runner.run();
                                } catch (Throwable t) {
                                    emulatorFailure.set(t);
                                }
                            },
                            "demo-ues");
            long start = System.currentTimeMillis();
            ueThread.start();
            long phaseMs = duration * 1000L / planners.size();
            long settleMs = Long.parseLong(o.get("plan-window-ms")) + SETTLE_EXTRA_MS;
            for (int i = 0; i < planners.size(); i++) {
                String planner = planners.get(i);
                long phaseStart = start + i * phaseMs;
                if (i > 0) {
                    // Tasks finishing while the job restarts and the new planner's first window
                    // closes belong to neither planner: they are counted apart as "switching".
                    phase.set(SWITCHING);
                    long switchStart = System.currentTimeMillis();
                    String savepoint = EdgeCluster.stop(job, savepoints);
                    job = flink.submit(jobOptions(o, bootstrap, planner), savepoint);
                    System.out.printf(
                            "[%5.1f s] planner -> %s (resumed from %s)%n",
                            (System.currentTimeMillis() - start) / 1000.0, planner, savepoint);
                    Thread.sleep(settleMs);
                    log.phase(new RunLog.Phase(SWITCHING, switchStart, System.currentTimeMillis()));
                } else {
                    System.out.printf("[%5.1f s] planner -> %s%n", 0.0, planner);
                }
                phase.set(planner);
                long phaseEnd = phaseStart + phaseMs;
                log.phase(
                        new RunLog.Phase(
                                planner,
                                Math.max(phaseStart, System.currentTimeMillis()),
                                phaseEnd));
                long wait = phaseEnd - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
            }
            ueThread.join();
            reading.set(false);
            planReader.join();
            job.cancel().get();
            if (emulatorFailure.get() != null) {
                throw new IllegalStateException("the emulated UEs failed", emulatorFailure.get());
            }

            List<PlannerSummary> summaries = PlannerSummary.of(log);
            System.out.println();
            System.out.println(
                    "Per planner (latency = capture to result at the UE; energy = UE compute + transmit):");
            System.out.print(PlannerSummary.table(summaries));
            String setup =
                    String.format(
                            Locale.ROOT,
                            "%d UEs, arrivals %s, %s uplinks (%s), model %s, edge parallelism %s, planning window %s ms, "
                                    + "accuracy floor %s, %d s per planner.",
                            ues,
                            o.get("arrivals"),
                            o.get("channel"),
                            o.get("traces"),
                            o.get("model"),
                            o.get("parallelism"),
                            o.get("plan-window-ms"),
                            o.get("accuracy-floor"),
                            duration / planners.size());
            HtmlReport.write(log, "EdgeSplit demo", setup, report);
            System.out.println("Report: " + report.toAbsolutePath());
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    static String[] emulatorArgs(Map<String, String> o, String bootstrap, int duration, int ues) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers", bootstrap,
                                "--models", o.get("models"),
                                "--model", o.get("model"),
                                "--ues", String.valueOf(ues),
                                "--duration-s", String.valueOf(duration),
                                "--arrivals", o.get("arrivals"),
                                "--channel", o.get("channel"),
                                "--progress-interval-s", "5"));
        if (o.get("channel").equals("trace")) {
            a.addAll(List.of("--traces", o.get("traces")));
        }
        if (!o.get("kafka-properties").isEmpty()) {
            a.addAll(List.of("--kafka-properties", o.get("kafka-properties")));
        }
        return a.toArray(String[]::new);
    }

    static EdgeJobOptions jobOptions(Map<String, String> o, String bootstrap, String planner) {
        List<String> a =
                new ArrayList<>(
                        List.of(
                                "--bootstrap-servers", bootstrap,
                                "--models", o.get("models"),
                                "--parallelism", o.get("parallelism"),
                                "--planner", planner,
                                "--plan-model", o.get("model"),
                                "--plan-window-ms", o.get("plan-window-ms"),
                                "--accuracy-floor", o.get("accuracy-floor"),
                                "--checkpoint-interval-ms", "2000",
                                "--group-id", "edgesplit-demo"));
        if (!o.get("kafka-properties").isEmpty()) {
            a.addAll(List.of("--kafka-properties", o.get("kafka-properties")));
        }
        return EdgeJobOptions.parse(a.toArray(String[]::new));
    }

    private static void readPlans(
            KafkaSettings kafka,
            Topics topics,
            RunLog log,
            AtomicReference<String> phase,
            AtomicBoolean reading) {
        Topic<Plan> control = topics.control();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(kafka.consumer("demo-plans-" + UUID.randomUUID()))) {
            consumer.subscribe(List.of(control.name()));
            while (reading.get()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    Plan p = control.valueSerde().deserialize(r.value());
                    log.plan(
                            new RunLog.PlanEvent(
                                    System.currentTimeMillis(),
                                    p.getUeId(),
                                    p.getEpoch(),
                                    p.getSplitPoint(),
                                    p.getBits(),
                                    phase.get()));
                }
            }
        }
    }
}
