package org.edgesplit.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.edgesplit.core.testing.TestPaths;
import org.edgesplit.core.topics.Topics;
import org.edgesplit.jobs.cluster.ClusterMain;
import org.edgesplit.jobs.cluster.ClusterRescale;
import org.edgesplit.jobs.cluster.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged job jar on a real Flink session cluster: a JobManager and two TaskManagers as
 * separate JVMs, the broker in a JVM of its own, submission through Flink's REST API, and a rescale
 * from parallelism 1 to 2 by stop-with-savepoint and resume.
 */
class MultiProcessClusterITCase {
    private static final int FRAMES_PER_PHASE = 640;
    private static final int UES = 16;
    private static final int TASK_MANAGERS = 2;
    private static final int SLOTS_PER_TASK_MANAGER = 1;

    @Test
    void answersEveryFrameOnceAcrossRescaleFromOneToTwoTaskManagers(@TempDir Path work)
            throws Exception {
        Path jobJar = ClusterMain.findJobJar(Path.of("target"));
        Topics topics = TestKafka.freshTopics("cluster");
        ClusterRescale.Report report;
        List<LocalCluster.Node> nodes;
        try (LocalCluster cluster =
                LocalCluster.start(
                        work.resolve("flink"),
                        TASK_MANAGERS,
                        SLOTS_PER_TASK_MANAGER,
                        Map.of(),
                        List.of(ClusterMain.avroTrust()))) {
            nodes = cluster.nodes();
            Set<Long> pids = new HashSet<>();
            nodes.forEach(n -> pids.add(n.pid()));
            assertThat(pids)
                    .as("one JobManager and two TaskManagers, each its own JVM")
                    .hasSize(1 + TASK_MANAGERS)
                    .doesNotContain(ProcessHandle.current().pid());
            for (LocalCluster.Node n : nodes) {
                assertThat(Files.readString(n.log().resolveSibling(n.name() + ".pid")).strip())
                        .as("PID file of " + n.name())
                        .isEqualTo(String.valueOf(n.pid()));
            }

            report =
                    new ClusterRescale(cluster, TestKafka.settings(), topics, jobJar, List.of())
                            .run(
                                    new ClusterRescale.Plan(
                                            FRAMES_PER_PHASE,
                                            UES,
                                            0,
                                            8,
                                            TestPaths.modelsDir().toAbsolutePath()),
                                    work.resolve("savepoints"));
        }

        assertThat(report.answers()).hasSize(report.sent());
        assertThat(report.answers().values()).as("answers per frame").containsOnly(1);
        assertThat(report.first().taskManagers()).isEqualTo(1);
        assertThat(report.first().distinctWorkers()).isEqualTo(1);
        assertThat(report.second().taskManagers()).isEqualTo(TASK_MANAGERS);
        assertThat(report.second().distinctWorkers()).isEqualTo(2);
        assertThat(nodes).allSatisfy(n -> assertThat(n.process().isAlive()).isFalse());
    }
}
