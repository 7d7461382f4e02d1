package org.edgesplit.jobs.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.edgesplit.core.kafka.EmbeddedKafka;
import org.edgesplit.core.kafka.TopicAdmin;
import org.edgesplit.core.topics.Topics;
import org.edgesplit.jobs.EdgeJobOptions;

/**
 * {@code ./edgesplit cluster}: a real Flink session cluster (JobManager and two TaskManagers as
 * separate JVMs) and a separate-JVM Kafka broker on this machine; the shaded job jar is submitted
 * through REST at parallelism 1, then stopped with a savepoint and resumed at parallelism 2. Prints
 * each phase's throughput and the ratio.
 */
public final class ClusterMain {
    static final List<EdgeJobOptions.Option> OPTIONS =
            List.of(
                    new EdgeJobOptions.Option("frames", "3000", "Frames per phase."),
                    new EdgeJobOptions.Option("ues", "16", "Number of UEs sending frames."),
                    new EdgeJobOptions.Option(
                            "split-point",
                            "0",
                            "Split point of the frames (0: the whole network runs at the edge)."),
                    new EdgeJobOptions.Option("bits", "8", "Bits per feature element."),
                    new EdgeJobOptions.Option(
                            "models", "models/bundles", "Folder of model bundles."),
                    new EdgeJobOptions.Option(
                            "job-jar",
                            "",
                            "Shaded job jar; none = jobs/target/edgesplit-jobs-*-job.jar."),
                    new EdgeJobOptions.Option(
                            "work-dir",
                            "",
                            "Folder for the cluster's config, logs and savepoints; none = a"
                                    + " temporary one, deleted after a successful run."));

    private ClusterMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("./edgesplit cluster [options]\n" + EdgeJobOptions.help(OPTIONS));
            return;
        }
        Map<String, String> o = EdgeJobOptions.parseArgs(args, OPTIONS);
        Path jar =
                o.get("job-jar").isEmpty()
                        ? findJobJar(Path.of("jobs", "target"))
                        : Path.of(o.get("job-jar"));
        boolean temporary = o.get("work-dir").isEmpty();
        Path work =
                temporary
                        ? Files.createTempDirectory("edgesplit-cluster-")
                        : Files.createDirectories(Path.of(o.get("work-dir")));
        ClusterRescale.Plan plan =
                new ClusterRescale.Plan(
                        Integer.parseInt(o.get("frames")),
                        Integer.parseInt(o.get("ues")),
                        Integer.parseInt(o.get("split-point")),
                        Integer.parseInt(o.get("bits")),
                        Path.of(o.get("models")).toAbsolutePath());

        System.out.println("EdgeSplit on a multi-process Flink cluster; work folder " + work);
        System.out.printf(
                "host: %d cores, load average %.1f (other work on this machine shares them)%n",
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                LocalCluster cluster =
                        LocalCluster.start(work, 2, 1, Map.of(), List.of(avroTrust()))) {
            System.out.println("Kafka broker (separate JVM) at " + kafka.bootstrapServers());
            System.out.println("Flink cluster at " + cluster.restUrl() + cluster.describe());
            Topics topics = Topics.DEFAULT;
            TopicAdmin.ensureTopics(kafka.settings(), topics, (short) 1);
            ClusterRescale.Report report =
                    new ClusterRescale(cluster, kafka.settings(), topics, jar, List.of())
                            .run(plan, work.resolve("savepoints"));
            print(report, plan);
        }
        if (temporary) {
            // Kept on failure for its logs; on success only the uploaded 100 MB job jar matters.
            org.edgesplit.core.process.LocalProcesses.deleteRecursively(work);
        }
    }

    static void print(ClusterRescale.Report r, ClusterRescale.Plan plan) {
        System.out.printf(
                "%nmeasured frames per phase %d (after a warm-up batch) from %d UEs, split point %d,"
                        + " %d bits%n",
                r.first().frames(), plan.ues(), plan.splitPoint(), plan.bits());
        System.out.printf(
                "%-12s %12s %16s %14s%n",
                "parallelism", "frames/s", "subtasks seen", "taskmanagers");
        for (ClusterRescale.Phase p : List.of(r.first(), r.second())) {
            System.out.printf(
                    "%-12d %12.1f %16d %14d%n",
                    p.parallelism(), p.framesPerSecond(), p.distinctWorkers(), p.taskManagers());
        }
        long once = r.answers().values().stream().filter(c -> c == 1).count();
        System.out.printf("ratio p2/p1  %12.2f%n", r.ratio());
        System.out.printf(
                "answered exactly once: %d of %d frames (%d answered more than once)%n",
                once, r.sent(), r.answers().values().stream().filter(c -> c > 1).count());
    }

    /** The system property Avro needs on every Flink JVM to copy our records. */
    public static String avroTrust() {
        return "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=org.edgesplit.avro";
    }

    /** The shaded job jar built by {@code mvn package} in {@code targetDir}. */
    public static Path findJobJar(Path targetDir) throws IOException {
        if (!Files.isDirectory(targetDir)) {
            throw new IOException("no " + targetDir + ": build the project first (mvn package)");
        }
        try (Stream<Path> files = Files.list(targetDir)) {
            return files.filter(
                            f -> f.getFileName().toString().matches("edgesplit-jobs-.*-job\\.jar"))
                    .findFirst()
                    .orElseThrow(
                            () ->
                                    new IOException(
                                            "no edgesplit-jobs-*-job.jar in "
                                                    + targetDir
                                                    + ": run mvn package"));
        }
    }
}
