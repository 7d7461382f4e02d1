package org.edgesplit.jobs.planning;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.edgesplit.avro.Plan;
import org.edgesplit.avro.UeTelemetry;
import org.edgesplit.core.model.Manifest;
import org.edgesplit.core.model.ModelCatalog;
import org.edgesplit.core.planner.Planner;
import org.edgesplit.core.planner.StreamingPlan;
import org.edgesplit.core.planner.StreamingProblem;
import org.edgesplit.core.streaming.CellSettings;
import org.edgesplit.core.streaming.DeviceProfile;
import org.edgesplit.core.streaming.EdgeProfile;
import org.edgesplit.core.streaming.ProblemBuilder;
import org.edgesplit.core.streaming.StreamingPlanners;
import org.edgesplit.core.streaming.UeObservation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tumbling planning window per edge cell: gathers the latest telemetry of each UE in the window,
 * with the edge's measured costs (broadcast from the inference path), solves the streaming model
 * with the chosen planner, and emits a plan for every UE whose decision changed, all under the
 * window's new epoch. Epochs only grow (they are at least the window's end time in ms); UEs silent
 * for a few windows are forgotten.
 */
public final class PlanningWindow
        extends KeyedBroadcastProcessFunction<String, UeTelemetry, EdgeSample, Plan> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PlanningWindow.class);

    /**
     * Shares and powers closer than this (relative) to the plan in force are not worth a new plan.
     */
    static final double CHANGE_TOLERANCE = 0.05;

    static final String EDGE_KEY = "edge";

    /** The edge's measured costs, shared by every cell of the job. */
    public static final MapStateDescriptor<String, EdgeProfile> EDGE_PROFILE =
            new MapStateDescriptor<>(
                    "edge-profile", Types.STRING, TypeInformation.of(EdgeProfile.class));

    private final String modelsDir;
    private final PlannerSettings settings;

    private transient Manifest manifest;
    private transient CellSettings cell;
    private transient Planner<StreamingProblem, StreamingPlan> planner;
    private transient MapState<String, UeTelemetry> window;
    private transient MapState<String, Plan> inForce;
    private transient MapState<String, Integer> silentWindows;
    private transient MapState<String, Double> lastRate;
    private transient ValueState<Long> epoch;
    private transient ValueState<Long> timer;
    private transient Counter plansSent;

    public PlanningWindow(String modelsDir, PlannerSettings settings) {
        this.modelsDir = modelsDir;
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        ModelCatalog catalog = ModelCatalog.load(Path.of(modelsDir));
        String modelId =
                settings.modelId() != null
                        ? settings.modelId()
                        : catalog.modelIds().iterator().next();
        manifest =
                catalog.manifest(modelId)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "planner model "
                                                        + modelId
                                                        + " is not among "
                                                        + catalog.modelIds()));
        DeviceProfile device =
                DeviceProfile.fromManifest(
                        manifest, settings.deviceFactor(), settings.devicePowerW());
        CellSettings c = settings.cell();
        cell =
                new CellSettings(
                        c.bandwidthHz(),
                        c.noisePsd(),
                        c.pmax(),
                        c.pathLossExponent(),
                        c.beta(),
                        c.accuracyFloor(),
                        c.edgeWorkers(),
                        c.edgeUtilisation(),
                        device);
        planner =
                StreamingPlanners.byName(
                        settings.planner(),
                        settings.policyFile() == null ? null : Path.of(settings.policyFile()),
                        manifest.localPoint());
        var rc = getRuntimeContext();
        window =
                rc.getMapState(
                        new MapStateDescriptor<>(
                                "window", Types.STRING, TypeInformation.of(UeTelemetry.class)));
        inForce =
                rc.getMapState(
                        new MapStateDescriptor<>(
                                "in-force", Types.STRING, TypeInformation.of(Plan.class)));
        silentWindows =
                rc.getMapState(new MapStateDescriptor<>("silent-windows", Types.STRING, Types.INT));
        lastRate =
                rc.getMapState(new MapStateDescriptor<>("last-rate", Types.STRING, Types.DOUBLE));
        epoch = rc.getState(new ValueStateDescriptor<>("epoch", Types.LONG));
        timer = rc.getState(new ValueStateDescriptor<>("timer", Types.LONG));
        plansSent = rc.getMetricGroup().counter("plansSent");
        LOG.info(
                "planning window: planner {}, model {}, window {}, device {}",
                planner.name(),
                modelId,
                settings.window(),
                device.name());
    }

    @Override
    public void processElement(UeTelemetry t, ReadOnlyContext ctx, Collector<Plan> out)
            throws Exception {
        window.put(t.getUeId(), t);
        if (timer.value() == null) {
            long len = settings.window().toMillis();
            long now =
                    settings.eventTime()
                            ? t.getTimeMs()
                            : ctx.timerService().currentProcessingTime();
            long end = (now / len + 1) * len - 1;
            if (settings.eventTime()) {
                ctx.timerService().registerEventTimeTimer(end);
            } else {
                ctx.timerService().registerProcessingTimeTimer(end);
            }
            timer.update(end);
        }
    }

    @Override
    public void processBroadcastElement(EdgeSample s, Context ctx, Collector<Plan> out)
            throws Exception {
        var state = ctx.getBroadcastState(EDGE_PROFILE);
        EdgeProfile profile = state.get(EDGE_KEY);
        if (profile == null) {
            profile = new EdgeProfile();
        }
        profile.update(s.point, s.bits, s.perFrameMs / 1000.0, s.queueWaitMs / 1000.0);
        state.put(EDGE_KEY, profile);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Plan> out) throws Exception {
        timer.clear();
        List<UeTelemetry> seen = new ArrayList<>();
        for (UeTelemetry t : window.values()) {
            seen.add(t);
        }
        window.clear();
        forgetSilentUes(seen);
        if (seen.isEmpty()) {
            return;
        }
        seen.sort((a, b) -> a.getUeId().compareTo(b.getUeId()));
        EdgeProfile edge = ctx.getBroadcastState(EDGE_PROFILE).get(EDGE_KEY);
        // A UE that sent nothing in the window (it went local) keeps its last measured rate.
        List<UeObservation> ues = new ArrayList<>(seen.size());
        for (UeTelemetry t : seen) {
            UeObservation u = observation(t);
            if (!Double.isNaN(u.rateBps())) {
                lastRate.put(t.getUeId(), u.rateBps());
            } else if (lastRate.contains(t.getUeId())) {
                u =
                        new UeObservation(
                                u.ueId(),
                                lastRate.get(t.getUeId()),
                                u.gain(),
                                u.distanceM(),
                                u.arrivalRate(),
                                u.backlog(),
                                u.planEpoch());
            }
            ues.add(u);
        }
        StreamingPlan plan =
                planner.plan(
                        ProblemBuilder.build(
                                manifest, cell, ues, edge == null ? new EdgeProfile() : edge));

        // Epochs follow the clock, so they keep growing even when the job restarts without state.
        long next = Math.max((epoch.value() == null ? 0 : epoch.value()) + 1, timestamp);
        boolean any = false;
        long now = System.currentTimeMillis();
        for (int i = 0; i < seen.size(); i++) {
            String ue = seen.get(i).getUeId();
            StreamingPlan.Assignment a = plan.assignments().get(i);
            Plan candidate =
                    Plan.newBuilder()
                            .setUeId(ue)
                            .setEpoch(next)
                            .setModelId(manifest.modelId())
                            .setSplitPoint(a.point())
                            .setBits(a.bits())
                            .setBandwidthShare(a.bandwidthShare())
                            .setTransmitPowerW(a.power())
                            .setPlanner(planner.name())
                            .setIssuedTimeMs(now)
                            .build();
            Plan current = inForce.get(ue);
            if (current == null || changed(current, candidate)) {
                inForce.put(ue, candidate);
                out.collect(candidate);
                plansSent.inc();
                any = true;
            }
        }
        if (any) {
            epoch.update(next);
        }
    }

    private void forgetSilentUes(List<UeTelemetry> seen) throws Exception {
        java.util.Set<String> present = new java.util.HashSet<>();
        seen.forEach(t -> present.add(t.getUeId()));
        List<String> forget = new ArrayList<>();
        for (Map.Entry<String, Plan> e : inForce.entries()) {
            String ue = e.getKey();
            if (present.contains(ue)) {
                silentWindows.remove(ue);
                continue;
            }
            int silent = (silentWindows.contains(ue) ? silentWindows.get(ue) : 0) + 1;
            if (silent >= settings.forgetAfterWindows()) {
                forget.add(ue);
            } else {
                silentWindows.put(ue, silent);
            }
        }
        for (String ue : forget) {
            inForce.remove(ue);
            silentWindows.remove(ue);
            lastRate.remove(ue);
        }
    }

    /** Whether a new decision differs enough from the plan in force to be sent. */
    static boolean changed(Plan current, Plan candidate) {
        return current.getSplitPoint() != candidate.getSplitPoint()
                || current.getBits() != candidate.getBits()
                || differs(current.getBandwidthShare(), candidate.getBandwidthShare())
                || differs(current.getTransmitPowerW(), candidate.getTransmitPowerW());
    }

    private static boolean differs(Double a, Double b) {
        double x = a == null ? 0 : a;
        double y = b == null ? 0 : b;
        return Math.abs(x - y) > CHANGE_TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
    }

    static UeObservation observation(UeTelemetry t) {
        return new UeObservation(
                t.getUeId(),
                t.getUplinkRateBps() == null ? Double.NaN : t.getUplinkRateBps(),
                t.getChannelGain() == null ? Double.NaN : t.getChannelGain(),
                t.getDistanceM() == null ? Double.NaN : t.getDistanceM(),
                t.getArrivalRateHz(),
                t.getBacklog(),
                t.getPlanEpoch());
    }
}
