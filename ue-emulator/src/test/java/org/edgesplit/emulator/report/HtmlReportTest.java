package org.edgesplit.emulator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    static RunLog log() {
        RunLog log = new RunLog();
        log.phase(new RunLog.Phase("edge-only", 0, 10_000));
        log.phase(new RunLog.Phase("optimizer", 10_000, 20_000));
        for (int i = 0; i < 100; i++) {
            log.task(
                    new RunLog.Task(
                            "ue-" + i % 4,
                            "edge-only",
                            i * 100L,
                            100 + i,
                            0.5,
                            0,
                            8,
                            800,
                            i % 10 != 0));
            log.task(
                    new RunLog.Task(
                            "ue-" + i % 4,
                            "optimizer",
                            10_000 + i * 100L,
                            20 + i / 10.0,
                            0.1,
                            2,
                            4,
                            200,
                            true));
        }
        log.plan(new RunLog.PlanEvent(10_100, "ue-0", 7, 2, 4, "optimizer"));
        log.plan(new RunLog.PlanEvent(10_100, "ue-1", 7, 2, 4, "optimizer"));
        return log;
    }

    @Test
    void summarisesEachPlannerInTheOrderTheyRan() {
        List<PlannerSummary> s = PlannerSummary.of(log());
        assertThat(s).extracting(PlannerSummary::planner).containsExactly("edge-only", "optimizer");
        assertThat(s.get(0).tasks()).isEqualTo(100);
        assertThat(s.get(0).p50Ms()).isEqualTo(150.0);
        assertThat(s.get(0).accuracy()).isCloseTo(0.9, within(1e-9));
        assertThat(s.get(0).bytesSent()).isEqualTo(80_000);
        assertThat(s.get(1).energyPerTaskJ()).isCloseTo(0.1, within(1e-9));
        assertThat(s.get(1).planChanges()).isEqualTo(2);
        assertThat(s.get(0).planChanges()).isZero();
    }

    @Test
    void writesReportWithEveryPlannersNumbersAndPlots(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/report.html");
        HtmlReport.write(log(), "EdgeSplit demo", "4 UEs", file);
        String html = Files.readString(file);
        assertThat(html).contains("<td>edge-only</td>", "<td>optimizer</td>", "150.0", "0.9000");
        assertThat(html)
                .contains(
                        "Latency CDF",
                        "Split-point mix",
                        "Plan epochs",
                        "<polyline",
                        "<polygon",
                        "<circle");
        assertThat(html).doesNotContain("<script");
    }
}
