package org.edgesplit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.edgesplit.avro.FeatureFrame;
import org.edgesplit.avro.Plan;
import org.edgesplit.avro.UeTraceKind;
import org.edgesplit.avro.UeTraceRecord;
import org.edgesplit.core.model.ModelBundle;
import org.edgesplit.core.model.TestImages;
import org.edgesplit.core.paper.Dnn;
import org.edgesplit.core.streaming.DeviceProfile;
import org.edgesplit.core.testing.TestPaths;
import org.edgesplit.emulator.trace.Replayer;
import org.edgesplit.emulator.trace.TraceReader;
import org.edgesplit.emulator.trace.TraceRecorder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emulator's event loop with the real bundle and an in-memory sink (no Kafka). */
class EmulatorTest {
    private static final int UES = 3;
    private static final int TASKS = 6;
    private static final double ENERGY_TOL = 1e-9;
    private static ModelBundle bundle;
    private static TestImages images;

    @BeforeAll
    static void load() throws Exception {
        bundle = ModelBundle.load(TestPaths.fmnistBundle());
        images = TestImages.fromBundle(TestPaths.fmnistBundle());
    }

    @AfterAll
    static void close() {
        bundle.close();
    }

    static EmulatorOptions options(String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--ues", String.valueOf(UES),
                                "--tasks-per-ue", String.valueOf(TASKS),
                                "--arrivals", "poisson:40",
                                "--channel", "subchannels",
                                "--distance-m", "20:60",
                                "--duration-s", "30",
                                "--telemetry-interval-ms", "100",
                                "--models", TestPaths.modelsDir().toString()));
        args.addAll(List.of(extra));
        return EmulatorOptions.parse(args.toArray(String[]::new));
    }

    static Emulator emulator(EmulatorOptions o, ListSink sink, TraceRecorder recorder) {
        return new Emulator(o, bundle, images, DeviceProfile.paper(Dnn.RESNET18), sink, recorder);
    }

    @Test
    void everyTaskBecomesOneFrameInOrderWithItsEnergy() throws Exception {
        ListSink sink = new ListSink();
        try (Emulator e = emulator(options(), sink, null)) {
            e.run();
        }
        assertThat(sink.frames).hasSize(UES * TASKS);
        Map<String, List<Long>> seqs = seqsByUe(sink.frames);
        assertThat(seqs).hasSize(UES);
        seqs.values().forEach(s -> assertThat(s).containsExactly(0L, 1L, 2L, 3L, 4L, 5L));
        DeviceProfile p = DeviceProfile.paper(Dnn.RESNET18);
        for (FeatureFrame f : sink.frames) {
            assertThat(f.getSplitPoint()).isEqualTo(2);
            assertThat(f.getCodec().getBits()).isEqualTo(4);
            assertThat(f.getComputeEnergyJ()).isCloseTo(p.computeEnergyJ(2), within(ENERGY_TOL));
            assertThat(f.getHeadComputeMs()).isCloseTo(p.latencyS(2) * 1000, within(ENERGY_TOL));
            assertThat(f.getUplinkMs()).isPositive();
            // Transmit energy = power (1 W) x upload time.
            assertThat(f.getTransmitEnergyJ())
                    .isCloseTo(1.0 * f.getUplinkMs() / 1000, within(ENERGY_TOL));
            assertThat(f.getLabel()).isNotNull();
        }
        assertThat(sink.telemetry).isNotEmpty();
        assertThat(sink.telemetry).allSatisfy(t -> assertThat(t.getPlanEpoch()).isZero());
    }

    @Test
    void aPlanSwitchTakesEffectAtTheNextTask() throws Exception {
        ListSink sink = new ListSink();
        try (Emulator e = emulator(options("--ues", "1"), sink, null)) {
            sink.onFrame =
                    f -> {
                        if (f.getSeq() == 2) {
                            // Arrives while task 2 is done and before task 3 starts.
                            assertThat(e.offerPlan(plan(1, 3, 2))).isTrue();
                        }
                    };
            e.run();
            assertThat(e.plansApplied()).isEqualTo(1);
        }
        List<FeatureFrame> f = sink.frames;
        assertThat(f).hasSize(TASKS);
        for (int i = 0; i < TASKS; i++) {
            boolean after = i >= 3;
            assertThat(f.get(i).getSplitPoint()).isEqualTo(after ? 3 : 2);
            assertThat(f.get(i).getCodec().getBits()).isEqualTo(after ? 2 : 4);
            assertThat(f.get(i).getPlanEpoch()).isEqualTo(after ? 1 : 0);
        }
    }

    @Test
    void aTraceLinkHoldsEachFrameForItsNextDeliveryOpportunity(@TempDir Path dir) throws Exception {
        // One 1500-byte opportunity every 100 ms: a frame (< 1500 bytes) waits for the next one.
        StringBuilder ops = new StringBuilder();
        for (int ms = 100; ms <= 1000; ms += 100) {
            ops.append(ms).append('\n');
        }
        Path trace = dir.resolve("sparse.up");
        java.nio.file.Files.writeString(trace, ops);
        ListSink sink = new ListSink();
        long t0 = System.nanoTime();
        try (Emulator e =
                emulator(
                        options(
                                "--ues", "1",
                                "--arrivals", "poisson:200",
                                "--channel", "trace",
                                "--traces", trace.toString()),
                        sink,
                        null)) {
            e.run();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(sink.frames).hasSize(TASKS);
        assertThat(sink.frames).allSatisfy(f -> assertThat(f.getUplinkMs()).isBetween(0.0, 100.0));
        // At most one frame per opportunity: six frames need at least five more opportunities.
        assertThat(seconds).isGreaterThanOrEqualTo(0.5);
    }

    @Test
    void aPlanForAPointTheModelLacksIsRejected() {
        try (Emulator e = emulator(options(), new ListSink(), null)) {
            assertThat(e.offerPlan(plan(1, 9, 4))).isFalse();
            assertThat(e.offerPlan(plan(1, 2, 3))).isFalse();
            assertThat(e.plansRejected()).isEqualTo(2);
        }
    }

    @Test
    void localOnlyTasksSendNothing() throws Exception {
        ListSink sink = new ListSink();
        try (Emulator e = emulator(options("--split-point", "5"), sink, null)) {
            e.run();
            assertThat(e.matcher().matched()).isEqualTo(UES * TASKS);
            assertThat(e.ueSummaries())
                    .allSatisfy(
                            u ->
                                    assertThat(u.computeJ())
                                            .isCloseTo(
                                                    TASKS * 0.045887 * 2.1454, within(ENERGY_TOL)));
        }
        assertThat(sink.frames).isEmpty();
    }

    @Test
    void recordThenReplayGivesTheSameFramesInTheSameOrderPerUe(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.avro");
        ListSink live = new ListSink();
        try (TraceRecorder rec = new TraceRecorder(file, System.currentTimeMillis(), "test");
                Emulator e =
                        emulator(
                                options("--channel", "ofdma", "--fading", "rayleigh"), live, rec)) {
            e.run();
        }
        TraceReader.Trace trace = TraceReader.read(file);
        Map<UeTraceKind, Long> kinds =
                trace.records().stream()
                        .collect(
                                Collectors.groupingBy(
                                        UeTraceRecord::getKind, Collectors.counting()));
        assertThat(kinds.get(UeTraceKind.ARRIVAL)).isEqualTo(UES * TASKS);
        assertThat(kinds.get(UeTraceKind.CHANNEL)).isEqualTo(UES * TASKS);
        assertThat(kinds.get(UeTraceKind.FRAME)).isEqualTo(UES * TASKS);
        List<Long> times = trace.records().stream().map(UeTraceRecord::getTimeUs).toList();
        assertThat(times).isSorted();

        for (double speed : new double[] {Double.POSITIVE_INFINITY, 10}) {
            List<FeatureFrame> replayed = new ArrayList<>();
            Replayer.Stats stats =
                    new Replayer(trace, speed, "").run((f, nanos) -> replayed.add(f), () -> false);
            assertThat(stats.frames()).isEqualTo(UES * TASKS);
            Map<String, List<String>> a = fingerprints(live.frames);
            Map<String, List<String>> b = fingerprints(replayed);
            assertThat(b).isEqualTo(a);
            for (int i = 0; i < replayed.size(); i++) {
                FeatureFrame f = replayed.get(i);
                assertThat(f.getSendTimeMs() - f.getCaptureTimeMs())
                        .as("times shift together")
                        .isEqualTo(
                                matching(live.frames, f).getSendTimeMs()
                                        - matching(live.frames, f).getCaptureTimeMs());
            }
        }
    }

    private static FeatureFrame matching(List<FeatureFrame> frames, FeatureFrame f) {
        return frames.stream()
                .filter(x -> x.getUeId().equals(f.getUeId()) && x.getSeq() == f.getSeq())
                .findFirst()
                .orElseThrow();
    }

    /** Per UE, in order: seq, point, bits, payload and the UE's costs. */
    private static Map<String, List<String>> fingerprints(List<FeatureFrame> frames) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (FeatureFrame f : frames) {
            out.computeIfAbsent(f.getUeId(), k -> new ArrayList<>())
                    .add(
                            f.getSeq()
                                    + "/"
                                    + f.getSplitPoint()
                                    + "/"
                                    + f.getCodec()
                                    + "/"
                                    + java.util.HexFormat.of().formatHex(f.getPayload().array())
                                    + "/"
                                    + f.getUplinkMs()
                                    + "/"
                                    + f.getTransmitEnergyJ()
                                    + "/"
                                    + f.getLabel());
        }
        return out;
    }

    private static Map<String, List<Long>> seqsByUe(List<FeatureFrame> frames) {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        frames.forEach(
                f -> out.computeIfAbsent(f.getUeId(), k -> new ArrayList<>()).add(f.getSeq()));
        return out;
    }

    static Plan plan(long epoch, int point, int bits) {
        return Plan.newBuilder()
                .setUeId("ue-0")
                .setEpoch(epoch)
                .setSplitPoint(point)
                .setBits(bits)
                .setTransmitPowerW(0.5)
                .setPlanner("test")
                .setIssuedTimeMs(0)
                .build();
    }
}
