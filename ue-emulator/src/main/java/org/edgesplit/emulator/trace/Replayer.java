package org.edgesplit.emulator.trace;

import java.util.concurrent.locks.LockSupport;
import org.edgesplit.avro.FeatureFrame;
import org.edgesplit.avro.UeTraceKind;
import org.edgesplit.avro.UeTraceRecord;
import org.edgesplit.emulator.LatencyStats;

/**
 * Re-publishes a trace's frames with the recorded timing (scaled by a speed, or as fast as
 * possible) in file order, so each UE's frames keep their order. Time fields are shifted so a
 * replayed frame looks like a live one: its capture and send times keep their distance to its
 * publish time.
 */
public final class Replayer {
    /** Sleep until this close to a frame's time, then spin: parking alone is too coarse. */
    private static final long SPIN_NANOS = 300_000;

    /** Where a replayed frame goes. */
    public interface Publisher {
        void publish(FeatureFrame frame, long publishNanos);
    }

    /** What a replay did. */
    public record Stats(long frames, double seconds, LatencyStats timingErrorMs) {}

    private final TraceReader.Trace trace;
    private final double speed;
    private final String uePrefix;

    /**
     * @param speed 1 = recorded timing, 10 = ten times faster, infinity = as fast as possible
     * @param uePrefix prepended to every UE id (so a trace can be replayed next to its original)
     */
    public Replayer(TraceReader.Trace trace, double speed, String uePrefix) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be > 0");
        }
        this.trace = trace;
        this.speed = speed;
        this.uePrefix = uePrefix == null ? "" : uePrefix;
    }

    /** The trace's first frame (for warming up serializers before timing starts), or null. */
    public FeatureFrame firstFrame() {
        return trace.records().stream()
                .filter(r -> r.getFrame() != null)
                .map(UeTraceRecord::getFrame)
                .findFirst()
                .orElse(null);
    }

    public Stats run(Publisher publisher, java.util.function.BooleanSupplier stop) {
        LatencyStats errors = new LatencyStats();
        long frames = 0;
        long t0 = System.nanoTime();
        long t0Epoch = System.currentTimeMillis();
        boolean max = Double.isInfinite(speed);
        for (UeTraceRecord r : trace.records()) {
            if (stop.getAsBoolean()) {
                break;
            }
            if (r.getKind() != UeTraceKind.FRAME || r.getFrame() == null) {
                continue;
            }
            long offsetNanos = max ? 0 : Math.round(r.getTimeUs() * 1000 / speed);
            long target = t0 + offsetNanos;
            if (!max) {
                waitUntil(target);
            }
            FeatureFrame f = FeatureFrame.newBuilder(r.getFrame()).build();
            long nowNanos = System.nanoTime();
            long publishEpochMs = t0Epoch + (nowNanos - t0) / 1_000_000;
            long recordedPublishMs = trace.startEpochMs() + r.getTimeUs() / 1000;
            long shift = publishEpochMs - recordedPublishMs;
            f.setCaptureTimeMs(f.getCaptureTimeMs() + shift);
            f.setSendTimeMs(f.getSendTimeMs() + shift);
            f.setUeId(uePrefix + f.getUeId());
            if (!max) {
                errors.add((nowNanos - target) / 1e6);
            }
            publisher.publish(f, nowNanos);
            frames++;
        }
        return new Stats(frames, (System.nanoTime() - t0) / 1e9, errors);
    }

    private static void waitUntil(long target) {
        long left;
        while ((left = target - System.nanoTime()) > SPIN_NANOS) {
            LockSupport.parkNanos(left - SPIN_NANOS);
        }
        while (System.nanoTime() < target) {
            Thread.onSpinWait();
        }
    }
}
