package org.edgesplit.emulator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.edgesplit.core.testing.TestPaths;
import org.edgesplit.jobs.EdgeJobOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's demo, headless and short: it runs every planner and its report holds their numbers.
 */
class DemoITCase {
    private static final List<String> PLANNERS = List.of("edge-only", "mahppo", "optimizer");

    @Test
    void shortDemoWritesReportWithEveryPlannersNumbers(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("demo.html");
        Map<String, String> options =
                EdgeJobOptions.parseArgs(
                        new String[] {
                            "--duration", "30",
                            "--ues", "6",
                            "--planners", String.join(",", PLANNERS),
                            "--report", report.toString(),
                            "--models", TestPaths.modelsDir().toString(),
                            "--traces",
                                    TestPaths.repoRoot()
                                            .resolve("traces/cellular-uplink")
                                            .toString(),
                            "--savepoint-dir", dir.resolve("savepoints").toString()
                        },
                        Demo.OPTIONS);

        Demo.run(options, PLANNERS);

        String html = Files.readString(report);
        for (String planner : PLANNERS) {
            assertThat(html).contains("<tr><td>" + planner + "</td><td>");
        }
        assertThat(html)
                .contains("Latency CDF", "UE energy per task", "Split-point mix", "Plan epochs");
        assertThat(html).doesNotContain("<td>NaN</td>");
    }
}
