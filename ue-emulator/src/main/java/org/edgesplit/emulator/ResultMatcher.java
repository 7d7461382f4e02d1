package org.edgesplit.emulator;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.edgesplit.avro.InferenceResult;

/**
 * Matches the edge's results to the frames our UEs sent (by UE id and sequence number): end-to-end
 * latency from capture, correctness against the label, and stage timings.
 */
public final class ResultMatcher {
    /** What the UE remembers about a frame it sent. */
    public record Sent(
            long captureNanos,
            double uplinkMs,
            Integer label,
            int point,
            int bits,
            long planEpoch,
            double energyJ,
            long bytes) {}

    /**
     * A finished task: a result matched to its frame, or a local-only task (edge time 0, bytes 0).
     */
    public record Match(
            String ueId,
            long seq,
            int point,
            int bits,
            long planEpoch,
            double endToEndMs,
            double uplinkMs,
            double edgeMs,
            Boolean correct,
            int predictedClass,
            double energyJ,
            long bytes) {}

    /** Frames awaiting a result are tracked up to this many (no edge running = none answered). */
    static final int MAX_PENDING = 1_000_000;

    private final Map<String, Sent> pending = new ConcurrentHashMap<>();
    private final AtomicLong untracked = new AtomicLong();
    private final AtomicLong matched = new AtomicLong();
    private final AtomicLong correct = new AtomicLong();
    private final AtomicLong labelled = new AtomicLong();
    private final AtomicLong unknown = new AtomicLong();
    private final LatencyStats endToEnd = new LatencyStats();
    private final LatencyStats edge = new LatencyStats();
    private final LatencyStats uplink = new LatencyStats();

    public static String key(String ueId, long seq) {
        return ueId + "#" + seq;
    }

    public void sent(String ueId, long seq, Sent sent) {
        if (pending.size() >= MAX_PENDING) {
            untracked.incrementAndGet();
            return;
        }
        pending.put(key(ueId, seq), sent);
    }

    /** Frames sent while too many were unanswered to track them. */
    public long untracked() {
        return untracked.get();
    }

    /**
     * Matches a result received at {@code nowNanos}; null when it is not one of ours (or a repeat).
     */
    public Match accept(InferenceResult r, long nowNanos) {
        Sent s = pending.remove(key(r.getUeId(), r.getSeq()));
        if (s == null) {
            unknown.incrementAndGet();
            return null;
        }
        double e2e = (nowNanos - s.captureNanos()) / 1e6;
        double edgeMs = r.getJobOutTimeMs() - r.getJobInTimeMs();
        Boolean ok = s.label() == null ? null : s.label() == r.getPredictedClass();
        record(e2e, s.uplinkMs(), edgeMs, ok);
        Match m =
                new Match(
                        r.getUeId(),
                        r.getSeq(),
                        s.point(),
                        s.bits(),
                        s.planEpoch(),
                        e2e,
                        s.uplinkMs(),
                        edgeMs,
                        ok,
                        r.getPredictedClass(),
                        s.energyJ(),
                        s.bytes());
        listener.accept(m);
        return m;
    }

    /** A task the UE finished itself (local-only): counts like a matched result. */
    public void local(Match m) {
        record(m.endToEndMs(), 0, 0, m.correct());
        listener.accept(m);
    }

    private volatile Consumer<Match> listener = m -> {};

    /** Sees every finished task (on the thread that finished it); for demos and reports. */
    public void listener(Consumer<Match> listener) {
        this.listener = listener;
    }

    private void record(double e2e, double uplinkMs, double edgeMs, Boolean ok) {
        matched.incrementAndGet();
        endToEnd.add(e2e);
        uplink.add(uplinkMs);
        edge.add(edgeMs);
        if (ok != null) {
            labelled.incrementAndGet();
            if (ok) {
                correct.incrementAndGet();
            }
        }
    }

    public int unanswered() {
        return pending.size();
    }

    public long matched() {
        return matched.get();
    }

    public long unknownResults() {
        return unknown.get();
    }

    public double accuracy() {
        return labelled.get() == 0 ? Double.NaN : correct.get() / (double) labelled.get();
    }

    public LatencyStats endToEnd() {
        return endToEnd;
    }

    public LatencyStats edge() {
        return edge;
    }

    public LatencyStats uplink() {
        return uplink;
    }
}
