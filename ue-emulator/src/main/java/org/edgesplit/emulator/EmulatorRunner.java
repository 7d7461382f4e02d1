package org.edgesplit.emulator;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.edgesplit.core.kafka.KafkaSettings;
import org.edgesplit.core.kafka.TopicAdmin;
import org.edgesplit.core.model.ModelBundle;
import org.edgesplit.core.model.SessionConfig;
import org.edgesplit.core.model.SharedBundles;
import org.edgesplit.core.model.TestImages;
import org.edgesplit.core.paper.Dnn;
import org.edgesplit.core.streaming.DeviceProfile;
import org.edgesplit.emulator.trace.TraceRecorder;

/**
 * One emulator run against a Kafka cluster: loads the bundle, wires the UEs to Kafka (and the
 * recorder), runs, waits for outstanding results, prints the summary. Used by {@link EmulatorMain},
 * tests and the closed-loop demo.
 */
public final class EmulatorRunner {
    private final EmulatorOptions options;
    private final KafkaSettings kafka;
    private final PrintStream console;
    private final UnaryOperator<FrameSink> sinkWrapper;
    private final AtomicReference<Emulator> running = new AtomicReference<>();
    private volatile java.util.function.Consumer<ResultMatcher.Match> onTaskDone = m -> {};

    /** Sees every finished task (answered frame or local-only task): for demos and reports. */
    public EmulatorRunner onTaskDone(java.util.function.Consumer<ResultMatcher.Match> listener) {
        this.onTaskDone = listener;
        return this;
    }

    /** The emulator while it runs (null before), e.g. to read live numbers. */
    public Emulator emulator() {
        return running.get();
    }

    /** {@code sinkWrapper} may wrap the Kafka sink (tests capture frames with it). */
    public EmulatorRunner(
            EmulatorOptions options,
            KafkaSettings kafka,
            PrintStream console,
            UnaryOperator<FrameSink> sinkWrapper) {
        this.options = options;
        this.kafka = kafka;
        this.console = console;
        this.sinkWrapper = sinkWrapper;
    }

    /** Stops a run in progress (Ctrl-C); the summary and the recording still complete. */
    public void requestStop() {
        Emulator e = running.get();
        if (e != null) {
            e.requestStop();
        }
    }

    /** Runs to the end and returns the emulator (closed) for its numbers. */
    public Emulator run() throws Exception {
        TopicAdmin.ensureTopics(kafka, options.topics(), (short) 1);
        Path bundleDir = options.models().resolve(options.model());
        try (SharedBundles.Lease lease = SharedBundles.acquire(bundleDir, SessionConfig.cpu())) {
            ModelBundle bundle = lease.bundle();
            TestImages images = TestImages.fromBundle(bundleDir);
            DeviceProfile profile = profile(bundle);
            AtomicReference<Emulator> ref = new AtomicReference<>();
            TraceRecorder recorder =
                    options.record() == null
                            ? null
                            : new TraceRecorder(
                                    options.record(),
                                    System.currentTimeMillis(),
                                    "edgesplit emulate, device profile " + profile.name());
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
            try (KafkaUeLink link =
                    new KafkaUeLink(
                            kafka,
                            options.topics(),
                            r -> {
                                Emulator e = ref.get();
                                if (e != null) {
                                    e.acceptResult(r);
                                }
                            },
                            p -> {
                                Emulator e = ref.get();
                                if (e != null) {
                                    e.offerPlan(p);
                                }
                            })) {
                Emulator emulator =
                        new Emulator(
                                options,
                                bundle,
                                images,
                                profile,
                                sinkWrapper.apply(link),
                                recorder);
                link.warmUp();
                emulator.matcher().listener(onTaskDone);
                ref.set(emulator);
                running.set(emulator);
                ConsoleReport report = new ConsoleReport(console, emulator);
                if (options.progressIntervalS() > 0) {
                    long ms = Math.round(options.progressIntervalS() * 1000);
                    ticker.scheduleAtFixedRate(report::progress, ms, ms, TimeUnit.MILLISECONDS);
                }
                long t0 = System.nanoTime();
                double runS;
                try {
                    emulator.run();
                    runS = (System.nanoTime() - t0) / 1e9;
                    link.flush();
                    emulator.awaitResults(options.drainS());
                } finally {
                    ticker.shutdownNow();
                    emulator.close();
                    if (recorder != null) {
                        recorder.close();
                    }
                }
                report.summary(runS);
                if (recorder != null) {
                    console.printf(
                            "Recorded %d trace records to %s%n",
                            recorder.records(), recorder.file());
                }
                return emulator;
            }
        }
    }

    private DeviceProfile profile(ModelBundle bundle) {
        String p = options.deviceProfile();
        if (p.startsWith("jetson-")) {
            Dnn dnn = Dnn.fromId(p.substring("jetson-".length()));
            if (bundle.localPoint() != Dnn.LOCAL_ONLY) {
                throw new IllegalArgumentException(
                        "--device-profile "
                                + p
                                + " has points 0..5; model "
                                + bundle.modelId()
                                + " has 0.."
                                + bundle.localPoint());
            }
            return DeviceProfile.paper(dnn);
        }
        return DeviceProfile.measured(bundle, options.deviceFactor(), options.devicePowerW());
    }
}
