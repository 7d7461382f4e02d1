package org.edgesplit.emulator.demo;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.edgesplit.jobs.EdgeJob;
import org.edgesplit.jobs.EdgeJobOptions;
import org.edgesplit.jobs.local.EmbeddedFlink;

/**
 * Where the demo runs the edge job: a MiniCluster of its own, or an external Flink cluster reached
 * through its REST address (the job jar is shipped with each submission). Both go through Flink's
 * remote environment, so the demo treats them alike.
 */
final class EdgeCluster implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(120);

    private final EmbeddedFlink embedded;
    private final String host;
    private final int port;
    private final String[] jars;

    private EdgeCluster(EmbeddedFlink embedded, String host, int port, String[] jars) {
        this.embedded = embedded;
        this.host = host;
        this.port = port;
        this.jars = jars;
    }

    static EdgeCluster embedded(int slots) throws Exception {
        EmbeddedFlink flink = EmbeddedFlink.start(1, slots);
        URI rest = URI.create(flink.webUi());
        // The job's classes are on this JVM's class path, which the MiniCluster shares: no jar to
        // ship.
        return new EdgeCluster(flink, rest.getHost(), rest.getPort(), new String[0]);
    }

    static EdgeCluster remote(String hostPort, Path jobJar) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(
                    "--jobmanager must be host:port, got '" + hostPort + "'");
        }
        if (jobJar == null || !jobJar.toFile().isFile()) {
            throw new IllegalArgumentException(
                    "an external Flink cluster needs --job-jar (jobs/target/edgesplit-jobs-*-job.jar): "
                            + jobJar);
        }
        return new EdgeCluster(
                null,
                hostPort.substring(0, colon),
                Integer.parseInt(hostPort.substring(colon + 1)),
                new String[] {jobJar.toString()});
    }

    String webUi() {
        return "http://" + host + ":" + port;
    }

    /** Submits the edge job, resuming from {@code savepoint} when given. */
    JobClient submit(EdgeJobOptions options, String savepoint) throws Exception {
        Configuration conf = EdgeJob.flinkConfig(options);
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createRemoteEnvironment(host, port, conf, jars);
        EdgeJob.attach(env, options);
        return env.executeAsync("EdgeSplit edge job (" + options.planning().planner() + ")");
    }

    /** Stops the job with a savepoint, so the next planner resumes its state. */
    static String stop(JobClient job, Path savepointDir) throws Exception {
        return job.stopWithSavepoint(
                        false, savepointDir.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (embedded != null) {
            embedded.close();
        }
    }
}
