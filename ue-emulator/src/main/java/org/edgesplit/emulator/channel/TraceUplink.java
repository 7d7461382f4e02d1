package org.edgesplit.emulator.channel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-UE links driven by recorded capacity traces: UE {@code i} has its own trace (and start offset
 * into it), so UEs do not contend; a frame finishes when its last packet may cross.
 */
public final class TraceUplink implements Uplink {
    private final List<MahimahiTrace> traces;
    private final double[] offsetMs;
    private final Map<Integer, Double> finishS = new HashMap<>();

    /** {@code traces.get(i)} and {@code offsetMs[i]} are UE i's link. */
    public TraceUplink(List<MahimahiTrace> traces, double[] offsetMs) {
        if (traces.size() != offsetMs.length) {
            throw new IllegalArgumentException("one trace and one offset per UE needed");
        }
        this.traces = List.copyOf(traces);
        this.offsetMs = offsetMs.clone();
    }

    public MahimahiTrace trace(int ue) {
        return traces.get(ue);
    }

    @Override
    public double start(Transmission tx, long bits, double nowS) {
        double startMs = nowS * 1000 + offsetMs[tx.ue()];
        double endMs = traces.get(tx.ue()).finishMs(startMs, (bits + 7) / 8);
        double end = (endMs - offsetMs[tx.ue()]) / 1000;
        finishS.put(tx.ue(), end);
        return end > nowS ? bits / (end - nowS) : Double.POSITIVE_INFINITY;
    }

    @Override
    public double nextFinishS() {
        return finishS.values().stream().mapToDouble(d -> d).min().orElse(Double.POSITIVE_INFINITY);
    }

    @Override
    public List<Finished> finishedBy(double nowS) {
        List<Finished> done = new ArrayList<>();
        finishS.entrySet()
                .removeIf(
                        e -> {
                            if (e.getValue() <= nowS) {
                                done.add(new Finished(e.getKey(), e.getValue()));
                                return true;
                            }
                            return false;
                        });
        return done;
    }

    @Override
    public void cancel(int ue) {
        finishS.remove(ue);
    }
}
