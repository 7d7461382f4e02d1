package org.edgesplit.jobs.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.edgesplit.avro.Plan;
import org.edgesplit.avro.UeTelemetry;
import org.edgesplit.core.testing.TestPaths;
import org.edgesplit.jobs.EdgeJobOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PlanningWindowTest {
    private static final long WINDOW_MS = 2000;
    private static final double FAST_LINK_BPS = 50e6;
    private static final double SLOW_LINK_BPS = 2e3;

    private KeyedBroadcastOperatorTestHarness<String, UeTelemetry, EdgeSample, Plan> harness;

    @BeforeEach
    void open() throws Exception {
        EdgeJobOptions options =
                EdgeJobOptions.parse(
                        "--models",
                        TestPaths.modelsDir().toString(),
                        "--plan-window-ms",
                        String.valueOf(WINDOW_MS),
                        "--accuracy-floor",
                        "0",
                        "--planner",
                        "optimizer");
        harness =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new PlanningWindow(options.models(), options.planning()),
                        new PlanningPipeline.ByCell(),
                        Types.STRING,
                        PlanningWindow.EDGE_PROFILE);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    static UeTelemetry telemetry(String ue, double rateBps, long timeMs) {
        return UeTelemetry.newBuilder()
                .setUeId(ue)
                .setTimeMs(timeMs)
                .setUplinkRateBps(rateBps)
                .setBacklog(0)
                .setArrivalRateHz(5)
                .setEnergyJ(0)
                .setPlanEpoch(0)
                .build();
    }

    @Test
    void plansEveryUeOnceThenOnlyOnChangeWithGrowingEpochs() throws Exception {
        harness.setProcessingTime(100);
        for (String ue : List.of("ue-a", "ue-b", "ue-c")) {
            harness.processElement(telemetry(ue, FAST_LINK_BPS, 100), 100);
        }
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        harness.setProcessingTime(WINDOW_MS);
        List<Plan> first = harness.extractOutputValues();
        assertThat(first).extracting(Plan::getUeId).containsExactly("ue-a", "ue-b", "ue-c");
        long epoch1 = first.get(0).getEpoch();
        assertThat(first).extracting(Plan::getEpoch).containsOnly(epoch1);
        assertThat(harness.numProcessingTimeTimers()).isZero();

        // Same conditions in the next window: nothing to say.
        for (String ue : List.of("ue-a", "ue-b", "ue-c")) {
            harness.processElement(telemetry(ue, FAST_LINK_BPS, WINDOW_MS + 10), WINDOW_MS + 10);
        }
        harness.setProcessingTime(2 * WINDOW_MS);
        assertThat(harness.extractOutputValues()).hasSize(3);

        // ue-b's link collapses: it alone gets a new plan, under a newer epoch, at another split.
        for (String ue : List.of("ue-a", "ue-c")) {
            harness.processElement(
                    telemetry(ue, FAST_LINK_BPS, 2 * WINDOW_MS + 10), 2 * WINDOW_MS + 10);
        }
        harness.processElement(
                telemetry("ue-b", SLOW_LINK_BPS, 2 * WINDOW_MS + 10), 2 * WINDOW_MS + 10);
        harness.setProcessingTime(3 * WINDOW_MS);
        List<Plan> all = harness.extractOutputValues();
        assertThat(all).hasSize(4);
        Plan moved = all.get(3);
        assertThat(moved.getUeId()).isEqualTo("ue-b");
        assertThat(moved.getEpoch()).isGreaterThan(epoch1);
        assertThat(moved.getSplitPoint()).isNotEqualTo(first.get(1).getSplitPoint());
    }

    @Test
    void forgetsUesSilentForThreeWindows() throws Exception {
        harness.setProcessingTime(0);
        harness.processElement(telemetry("ue-a", FAST_LINK_BPS, 0), 0);
        harness.processElement(telemetry("ue-b", FAST_LINK_BPS, 0), 0);
        harness.setProcessingTime(WINDOW_MS);
        assertThat(uesWithPlanInForce()).containsExactlyInAnyOrder("ue-a", "ue-b");

        // ue-b goes quiet; ue-a keeps reporting.
        for (int w = 1; w <= 3; w++) {
            harness.processElement(
                    telemetry("ue-a", FAST_LINK_BPS, w * WINDOW_MS + 1), w * WINDOW_MS + 1);
            harness.setProcessingTime((w + 1) * WINDOW_MS);
        }
        assertThat(uesWithPlanInForce()).containsExactly("ue-a");

        // When it comes back it is planned afresh.
        int before = harness.extractOutputValues().size();
        harness.processElement(
                telemetry("ue-b", FAST_LINK_BPS, 4 * WINDOW_MS + 1), 4 * WINDOW_MS + 1);
        harness.setProcessingTime(5 * WINDOW_MS);
        assertThat(
                        harness.extractOutputValues()
                                .subList(before, harness.extractOutputValues().size()))
                .extracting(Plan::getUeId)
                .containsExactly("ue-b");
    }

    /** The UEs the cell's window keeps a plan in force for. */
    private List<String> uesWithPlanInForce() throws Exception {
        org.apache.flink.runtime.state.KeyedStateBackend<String> backend =
                harness.getOperator().getKeyedStateBackend();
        backend.setCurrentKey("cell-0");
        var inForce =
                backend.getPartitionedState(
                        org.apache.flink.runtime.state.VoidNamespace.INSTANCE,
                        org.apache.flink.runtime.state.VoidNamespaceSerializer.INSTANCE,
                        new org.apache.flink.api.common.state.MapStateDescriptor<>(
                                "in-force",
                                Types.STRING,
                                org.apache.flink.api.common.typeinfo.TypeInformation.of(
                                        Plan.class)));
        List<String> ues = new java.util.ArrayList<>();
        inForce.keys().forEach(ues::add);
        return ues;
    }

    @Test
    void edgeMeasurementsReachEveryCell() throws Exception {
        harness.processBroadcastElement(new EdgeSample(2, 4, 1.5, 0.5), 0);
        assertThat(
                        harness.getBroadcastState(PlanningWindow.EDGE_PROFILE)
                                .get(PlanningWindow.EDGE_KEY)
                                .size())
                .isEqualTo(1);
    }

    @Test
    void badPlannerOptionsGetClearErrors() {
        assertThatThrownBy(() -> EdgeJobOptions.parse("--planner", "oracle"))
                .hasMessageContaining("unknown --planner oracle");
        assertThatThrownBy(() -> EdgeJobOptions.parse("--plan-time", "wall"))
                .hasMessageContaining("processing or event");
        assertThatThrownBy(() -> EdgeJobOptions.parse("--accuracy-floor", "1.5"))
                .hasMessageContaining("fraction");
        assertThatThrownBy(() -> EdgeJobOptions.parse("--plan-window-ms", "0"))
                .hasMessageContaining("> 0");
    }
}
