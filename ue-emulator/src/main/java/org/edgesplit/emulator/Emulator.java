package org.edgesplit.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.edgesplit.avro.ChannelSample;
import org.edgesplit.avro.FeatureFrame;
import org.edgesplit.avro.InferenceResult;
import org.edgesplit.avro.Plan;
import org.edgesplit.avro.UeTelemetry;
import org.edgesplit.avro.UeTraceKind;
import org.edgesplit.avro.UeTraceRecord;
import org.edgesplit.core.model.FrameEncoder;
import org.edgesplit.core.model.ModelBundle;
import org.edgesplit.core.model.TestImages;
import org.edgesplit.core.streaming.DeviceProfile;
import org.edgesplit.emulator.channel.MahimahiTrace;
import org.edgesplit.emulator.channel.OfdmaShare;
import org.edgesplit.emulator.channel.PaperSubChannels;
import org.edgesplit.emulator.channel.RateBasedUplink;
import org.edgesplit.emulator.channel.TraceUplink;
import org.edgesplit.emulator.channel.Transmission;
import org.edgesplit.emulator.channel.Uplink;
import org.edgesplit.emulator.trace.TraceRecorder;

/**
 * N emulated UEs on one event loop in real time. Per task: arrival, real head compute on a shared
 * bounded pool (held for the device profile's time), the emulated uplink (contention as the channel
 * model says), then the frame goes to the sink. Compute results and plans come in from other
 * threads; everything about a UE changes on the loop thread only.
 */
public final class Emulator implements AutoCloseable {
    /** Longest the loop sleeps without looking at its inbox. */
    private static final long MAX_IDLE_NANOS = 5_000_000;

    /** After a stop, tasks already computing or uploading get this long to finish. */
    private static final long STOP_GRACE_NANOS = 3_000_000_000L;

    private enum Kind {
        ARRIVAL,
        COMPUTE_DUE,
        UPLINK,
        TELEMETRY
    }

    private record Event(long atNanos, long order, Kind kind, int ue, long seq)
            implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(atNanos, o.atNanos);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    private final EmulatorOptions options;
    private final ModelBundle bundle;
    private final FrameEncoder encoder;
    private final TestImages images;
    private final DeviceProfile profile;
    private final FrameSink sink;
    private final TraceRecorder recorder;
    private final ResultMatcher matcher;
    private final LatencyStats ueSideMs = new LatencyStats();
    private final List<EmulatedUe> ues = new ArrayList<>();
    private final Uplink uplink;
    private final ExecutorService computePool;
    private final BlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong plansApplied = new AtomicLong();
    private final AtomicLong plansRejected = new AtomicLong();
    private long eventOrder;
    private long startNanos;
    private long startEpochMs;
    private long droppedAtStop;
    private volatile double energyTotalJ;

    public Emulator(
            EmulatorOptions options,
            ModelBundle bundle,
            TestImages images,
            DeviceProfile profile,
            FrameSink sink,
            TraceRecorder recorder) {
        this.options = options;
        this.bundle = bundle;
        this.encoder = new FrameEncoder(bundle);
        this.images = images;
        this.profile = profile;
        this.sink = sink;
        this.recorder = recorder;
        this.matcher = new ResultMatcher();
        checkPoint(options.splitPoint(), options.bits());
        SplittableRandom seeds = new SplittableRandom(options.seed());
        for (int i = 0; i < options.ues(); i++) {
            SplittableRandom r = seeds.split();
            double d =
                    options.distanceMinM()
                            + r.nextDouble() * (options.distanceMaxM() - options.distanceMinM());
            ues.add(
                    new EmulatedUe(
                            i,
                            options.ueId(i),
                            d,
                            Math.pow(d, -options.pathLossExponent()),
                            ArrivalProcess.parse(options.arrivals(), r, i),
                            initialPlan(i)));
        }
        this.uplink = uplink(options, seeds.split());
        this.fadingRandom = seeds.split();
        this.computePool =
                Executors.newFixedThreadPool(
                        options.computeThreads(),
                        runnable -> {
                            Thread t = new Thread(runnable, "ue-head-compute");
                            t.setDaemon(true);
                            return t;
                        });
    }

    private final SplittableRandom fadingRandom;

    private static Uplink uplink(EmulatorOptions o, SplittableRandom random) {
        return switch (o.channel()) {
            case SUBCHANNELS ->
                    new RateBasedUplink(
                            new PaperSubChannels(o.subChannels(), o.channelWidthHz(), o.noiseW()));
            case OFDMA ->
                    new RateBasedUplink(
                            new OfdmaShare(o.bandHz(), o.noiseW() / o.channelWidthHz()));
            case TRACE -> {
                List<MahimahiTrace> loaded = o.traces().stream().map(MahimahiTrace::read).toList();
                List<MahimahiTrace> perUe = new ArrayList<>();
                double[] offsets = new double[o.ues()];
                for (int i = 0; i < o.ues(); i++) {
                    MahimahiTrace t = loaded.get(i % loaded.size());
                    perUe.add(t);
                    // A UE with a trace of its own starts at its beginning; UEs sharing a trace
                    // start at different places so they do not move in step.
                    offsets[i] =
                            i < loaded.size() ? 0 : Math.floor(random.nextDouble() * t.periodMs());
                }
                yield new TraceUplink(perUe, offsets);
            }
        };
    }

    private Plan initialPlan(int ue) {
        return Plan.newBuilder()
                .setUeId(options.ueId(ue))
                .setEpoch(0)
                .setModelId(bundle.modelId())
                .setSplitPoint(options.splitPoint())
                .setBits(options.bits())
                .setSubChannel(ue % options.subChannels())
                .setBandwidthShare(1.0 / options.ues())
                .setTransmitPowerW(options.powerW())
                .setPlanner("initial")
                .setIssuedTimeMs(System.currentTimeMillis())
                .build();
    }

    private void checkPoint(int point, int bits) {
        if (point == bundle.localPoint()) {
            return;
        }
        if (point < 0 || point > bundle.localPoint() || bundle.level(point, bits).isEmpty()) {
            throw new IllegalArgumentException(
                    "model "
                            + bundle.modelId()
                            + " has no split point "
                            + point
                            + " with "
                            + bits
                            + " bits (points 0.."
                            + bundle.localPoint()
                            + ", "
                            + bundle.localPoint()
                            + " = local-only)");
        }
    }

    // ---- inputs from other threads ----

    /** A plan from the control topic: kept for the UE's next task if valid and newer. */
    public boolean offerPlan(Plan plan) {
        EmulatedUe ue = byId(plan.getUeId());
        if (ue == null) {
            return false;
        }
        try {
            checkPoint(plan.getSplitPoint(), plan.getBits());
            if (plan.getSubChannel() != null
                    && (plan.getSubChannel() < 0
                            || plan.getSubChannel() >= options.subChannels())) {
                throw new IllegalArgumentException("bad sub-channel " + plan.getSubChannel());
            }
        } catch (IllegalArgumentException e) {
            plansRejected.incrementAndGet();
            return false;
        }
        return ue.plan.offer(plan);
    }

    /** A result from the results topic. */
    public void acceptResult(InferenceResult result) {
        ResultMatcher.Match m = matcher.accept(result, System.nanoTime());
        if (m != null) {
            EmulatedUe ue = byId(m.ueId());
            if (ue != null) {
                ue.finished(m.endToEndMs());
            }
        }
    }

    private EmulatedUe byId(String id) {
        if (id == null || !id.startsWith(options.ueIdPrefix())) {
            return null;
        }
        try {
            int i = Integer.parseInt(id.substring(options.ueIdPrefix().length()));
            return i >= 0 && i < ues.size() ? ues.get(i) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Asks the loop to stop (Ctrl-C); in-flight tasks get a short grace period. */
    public void requestStop() {
        stopRequested.set(true);
        inbox.offer(() -> {});
    }

    // ---- the loop ----

    /** Runs until the duration, the task limit or a stop request; then waits for results. */
    public void run() throws InterruptedException {
        startNanos = System.nanoTime();
        startEpochMs = System.currentTimeMillis();
        for (EmulatedUe ue : ues) {
            schedule(startNanos + nanos(ue.arrivals.nextGapS()), Kind.ARRIVAL, ue.index, 0);
        }
        if (options.telemetryIntervalMs() > 0) {
            schedule(startNanos + options.telemetryIntervalMs() * 1_000_000, Kind.TELEMETRY, -1, 0);
        }
        long endNanos =
                options.durationS() > 0 ? startNanos + nanos(options.durationS()) : Long.MAX_VALUE;
        boolean stopping = false;
        long graceEnd = Long.MAX_VALUE;
        while (true) {
            long now = System.nanoTime();
            if (!stopping && (stopRequested.get() || now >= endNanos)) {
                stopping = true;
                graceEnd = now + STOP_GRACE_NANOS;
                for (EmulatedUe ue : ues) {
                    ue.arrivalsDone = true;
                    droppedAtStop += ue.backlog.size();
                    ue.backlog.clear();
                }
            }
            if (ues.stream().allMatch(EmulatedUe::drained) || now >= graceEnd) {
                break;
            }
            Runnable r;
            while ((r = inbox.poll()) != null) {
                r.run();
            }
            Event e = events.peek();
            if (e != null && e.atNanos() <= now) {
                events.poll();
                handle(e, now);
                continue;
            }
            long wait = e == null ? MAX_IDLE_NANOS : Math.min(MAX_IDLE_NANOS, e.atNanos() - now);
            r = inbox.poll(wait, TimeUnit.NANOSECONDS);
            if (r != null) {
                r.run();
            }
        }
        for (EmulatedUe ue : ues) {
            if (ue.state != EmulatedUe.State.IDLE) {
                droppedAtStop++;
                uplink.cancel(ue.index);
            }
        }
    }

    /** Waits until every frame sent is answered, or at most {@code drainS} seconds. */
    public void awaitResults(double drainS) throws InterruptedException {
        long deadline = System.nanoTime() + nanos(drainS);
        while (matcher.unanswered() > 0 && System.nanoTime() < deadline && !stopRequested.get()) {
            Thread.sleep(20);
        }
    }

    private void handle(Event e, long now) {
        EmulatedUe ue = e.ue() >= 0 ? ues.get(e.ue()) : null;
        switch (e.kind()) {
            case ARRIVAL -> arrival(ue, now);
            case COMPUTE_DUE -> {
                if (ue.current != null && ue.current.seq == e.seq()) {
                    ue.current.computeDue = true;
                    maybeComputeDone(ue);
                }
            }
            case UPLINK -> uplinkProgress(now);
            case TELEMETRY -> {
                telemetry();
                schedule(now + options.telemetryIntervalMs() * 1_000_000, Kind.TELEMETRY, -1, 0);
            }
        }
    }

    private void arrival(EmulatedUe ue, long now) {
        if (ue.arrivalsDone) {
            return;
        }
        long seq = ue.arrived++;
        ue.intervalArrivals++;
        int image = (int) Math.floorMod(ue.index * 7919L + seq, images.count());
        EmulatedUe.Task task =
                new EmulatedUe.Task(
                        seq, now, System.currentTimeMillis(), image, images.labels()[image]);
        record(ue, UeTraceKind.ARRIVAL, seq).setLabel(task.label);
        recordDone();
        ue.backlog.add(task);
        if (options.tasksPerUe() > 0 && ue.arrived >= options.tasksPerUe()) {
            ue.arrivalsDone = true;
        } else {
            schedule(now + nanos(ue.arrivals.nextGapS()), Kind.ARRIVAL, ue.index, 0);
        }
        if (ue.state == EmulatedUe.State.IDLE) {
            startNext(ue, now);
        }
    }

    private void startNext(EmulatedUe ue, long now) {
        EmulatedUe.Task task = ue.backlog.poll();
        if (task == null) {
            ue.state = EmulatedUe.State.IDLE;
            ue.current = null;
            return;
        }
        Plan applied = ue.plan.applyAtTaskStart();
        if (applied != null) {
            plansApplied.incrementAndGet();
            record(ue, UeTraceKind.PLAN, task.seq).setPlan(applied);
            recordDone();
        }
        task.plan = ue.plan.current();
        ue.current = task;
        ue.state = EmulatedUe.State.COMPUTING;
        int point = task.plan.getSplitPoint();
        task.computeDueNanos = now + nanos(profile.latencyS(point));
        schedule(task.computeDueNanos, Kind.COMPUTE_DUE, ue.index, task.seq);
        byte[][] input = {images.image(task.image)};
        int bits = task.plan.getBits();
        computePool.execute(
                () -> {
                    Runnable done;
                    try {
                        if (point == bundle.localPoint()) {
                            int predicted = encoder.classifyLocally(input)[0];
                            done = () -> task.predicted = predicted;
                        } else {
                            var encoded = encoder.encode(point, bits, input)[0];
                            done = () -> task.encoded = encoded;
                        }
                    } catch (RuntimeException ex) {
                        done =
                                () -> {
                                    throw ex;
                                };
                    }
                    Runnable set = done;
                    inbox.offer(
                            () -> {
                                set.run();
                                task.computeReady = true;
                                if (ue.current == task) {
                                    maybeComputeDone(ue);
                                }
                            });
                });
    }

    private void maybeComputeDone(EmulatedUe ue) {
        EmulatedUe.Task task = ue.current;
        if (!task.computeDue || !task.computeReady || ue.state != EmulatedUe.State.COMPUTING) {
            return;
        }
        long now = System.nanoTime();
        int point = task.plan.getSplitPoint();
        double computeS = profile.latencyS(point);
        double computeJ = ue.energy.addCompute(profile.powerW(point), computeS);
        energyChanged(computeJ);
        task.computeEndEpochMs = System.currentTimeMillis();
        if (point == bundle.localPoint()) {
            double ms = (now - task.arrivalNanos) / 1e6;
            boolean ok = task.predicted == task.label;
            matcher.local(
                    new ResultMatcher.Match(
                            ue.id,
                            task.seq,
                            point,
                            task.plan.getBits(),
                            task.plan.getEpoch(),
                            ms,
                            0,
                            0,
                            ok,
                            task.predicted,
                            computeJ,
                            0));
            ue.finished(ms);
            ue.localTasks++;
            record(ue, UeTraceKind.LOCAL_RESULT, task.seq)
                    .setPredictedClass(task.predicted)
                    .setLabel(task.label);
            recordDone();
            startNext(ue, now);
            return;
        }
        task.frame =
                encoder.frame(
                        ue.id,
                        task.seq,
                        point,
                        task.encoded,
                        task.plan.getEpoch(),
                        task.captureEpochMs,
                        computeS * 1000,
                        computeJ,
                        task.label);
        // Placeholders of the final size, so the uplink carries exactly the bytes sent.
        task.frame.setUplinkMs(0.0);
        task.frame.setTransmitEnergyJ(0.0);
        task.frame.setSendTimeMs(task.computeEndEpochMs);
        task.wireBytes = sink.wireBytes(task.frame);
        double fading = options.fading().sample(fadingRandom);
        task.gain = ue.pathGain * fading;
        Transmission tx = transmission(ue, task);
        double nowS = seconds(now);
        task.uplinkStartS = nowS;
        task.rateAtStartBps = uplink.start(tx, task.wireBytes * 8, nowS);
        ue.state = EmulatedUe.State.UPLOADING;
        scheduleUplink();
    }

    private Transmission transmission(EmulatedUe ue, EmulatedUe.Task task) {
        Plan p = task.plan;
        int sub = p.getSubChannel() != null ? p.getSubChannel() : ue.index % options.subChannels();
        double share = p.getBandwidthShare() != null ? p.getBandwidthShare() : 1.0 / options.ues();
        return new Transmission(ue.index, task.gain, p.getTransmitPowerW(), sub, share);
    }

    private void scheduleUplink() {
        double next = uplink.nextFinishS();
        if (Double.isFinite(next)) {
            schedule(startNanos + nanos(next), Kind.UPLINK, -1, 0);
        }
    }

    private void uplinkProgress(long now) {
        // A hair of slack: the event fires at the rounded finish time.
        for (Uplink.Finished f : uplink.finishedBy(seconds(now) + 1e-7)) {
            uploaded(ues.get(f.ue()), f.atS(), now);
        }
        scheduleUplink();
    }

    private void uploaded(EmulatedUe ue, double finishedS, long now) {
        EmulatedUe.Task task = ue.current;
        // The model's upload time, not when the loop got round to it (the machine may be busy).
        double uplinkS = Math.max(0, finishedS - task.uplinkStartS);
        double txJ = ue.energy.addTransmit(task.plan.getTransmitPowerW(), uplinkS);
        energyChanged(txJ);
        FeatureFrame frame = task.frame;
        frame.setUplinkMs(uplinkS * 1000);
        frame.setTransmitEnergyJ(txJ);
        matcher.sent(
                ue.id,
                task.seq,
                new ResultMatcher.Sent(
                        task.arrivalNanos,
                        uplinkS * 1000,
                        task.label,
                        frame.getSplitPoint(),
                        frame.getCodec().getBits(),
                        frame.getPlanEpoch(),
                        frame.getComputeEnergyJ() + txJ,
                        task.wireBytes));
        sink.frame(frame);
        ueSideMs.add((System.nanoTime() - task.arrivalNanos) / 1e6);
        framesSent.incrementAndGet();
        bytesSent.addAndGet(task.wireBytes);
        ue.frames++;
        ue.intervalBits += task.wireBytes * 8.0;
        ue.intervalUplinkS += uplinkS;
        Plan p = task.plan;
        Transmission tx = transmission(ue, task);
        record(ue, UeTraceKind.CHANNEL, task.seq)
                .setChannel(
                        ChannelSample.newBuilder()
                                .setRateBps(task.rateAtStartBps)
                                .setBytes(task.wireBytes)
                                .setUplinkMs(uplinkS * 1000)
                                .setGain(
                                        options.channel() == EmulatorOptions.ChannelKind.TRACE
                                                ? null
                                                : task.gain)
                                .setDistanceM(ue.distanceM)
                                .setSubChannel(tx.subChannel())
                                .setBandwidthShare(tx.bandwidthShare())
                                .setTransmitPowerW(p.getTransmitPowerW())
                                .build());
        recordDone();
        record(ue, UeTraceKind.FRAME, task.seq).setFrame(frame).setLabel(task.label);
        recordDone();
        startNext(ue, now);
    }

    private void telemetry() {
        double intervalS = options.telemetryIntervalMs() / 1000.0;
        long now = System.currentTimeMillis();
        for (EmulatedUe ue : ues) {
            UeTelemetry t =
                    UeTelemetry.newBuilder()
                            .setUeId(ue.id)
                            .setTimeMs(now)
                            .setUplinkRateBps(
                                    ue.intervalUplinkS > 0
                                            ? ue.intervalBits / ue.intervalUplinkS
                                            : null)
                            .setChannelGain(
                                    options.channel() == EmulatorOptions.ChannelKind.TRACE
                                            ? null
                                            : ue.pathGain)
                            .setDistanceM(ue.distanceM)
                            .setBacklog(
                                    ue.backlog.size() + (ue.state == EmulatedUe.State.IDLE ? 0 : 1))
                            .setArrivalRateHz(ue.intervalArrivals / intervalS)
                            .setEnergyJ(ue.energy.sinceLastReportJ())
                            .setPlanEpoch(ue.plan.epoch())
                            .setMeanLatencyMs(ue.takeMeanLatencyMs())
                            .build();
            ue.intervalArrivals = 0;
            ue.intervalBits = 0;
            ue.intervalUplinkS = 0;
            sink.telemetry(t);
        }
    }

    // ---- recording ----

    private UeTraceRecord.Builder pendingRecord;

    private UeTraceRecord.Builder record(EmulatedUe ue, UeTraceKind kind, long seq) {
        pendingRecord =
                UeTraceRecord.newBuilder()
                        .setUeId(ue.id)
                        .setTimeUs((System.nanoTime() - startNanos) / 1000)
                        .setKind(kind)
                        .setSeq(seq);
        return pendingRecord;
    }

    private void recordDone() {
        if (recorder != null) {
            recorder.append(pendingRecord.build());
        }
        pendingRecord = null;
    }

    // ---- helpers ----

    private void schedule(long atNanos, Kind kind, int ue, long seq) {
        events.add(new Event(atNanos, eventOrder++, kind, ue, seq));
    }

    private void energyChanged(double addedJ) {
        energyTotalJ += addedJ;
    }

    private double seconds(long nanoTime) {
        return (nanoTime - startNanos) / 1e9;
    }

    private static long nanos(double seconds) {
        return Math.round(seconds * 1e9);
    }

    // ---- what the console and tests read ----

    public ResultMatcher matcher() {
        return matcher;
    }

    /** From a task's arrival to its frame handed to Kafka (UE queue + compute + uplink). */
    public LatencyStats ueSideLatency() {
        return ueSideMs;
    }

    public long framesSent() {
        return framesSent.get();
    }

    public long bytesSent() {
        return bytesSent.get();
    }

    public double energyJ() {
        return energyTotalJ;
    }

    public long plansApplied() {
        return plansApplied.get();
    }

    public long plansRejected() {
        return plansRejected.get();
    }

    public long droppedAtStop() {
        return droppedAtStop;
    }

    public long startEpochMs() {
        return startEpochMs;
    }

    public int ueCount() {
        return ues.size();
    }

    public DeviceProfile profile() {
        return profile;
    }

    /** Per-UE totals for the summary table (read after {@link #run}). */
    public record UeSummary(
            String id,
            double distanceM,
            long tasks,
            long frames,
            long local,
            double computeJ,
            double transmitJ,
            long planEpoch) {}

    public List<UeSummary> ueSummaries() {
        return ues.stream()
                .map(
                        u ->
                                new UeSummary(
                                        u.id,
                                        u.distanceM,
                                        u.arrived,
                                        u.frames,
                                        u.localTasks,
                                        u.energy.computeJ(),
                                        u.energy.transmitJ(),
                                        u.plan.epoch()))
                .toList();
    }

    @Override
    public void close() {
        computePool.shutdownNow();
    }
}
