package org.edgesplit.core.streaming;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The edge's measured cost per (split point, bits): decode + tail time per frame and queue wait, as
 * exponentially weighted means of what the running job reports, so the planner sees the edge as it
 * is now (its load, its batching, its hardware).
 */
public final class EdgeProfile implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Weight of a new sample: about the last 20 batches count. */
    static final double EWMA_WEIGHT = 0.05;

    private final Map<Long, double[]> byKey = new HashMap<>();

    private static long key(int point, int bits) {
        return ((long) point << 32) | (bits & 0xffffffffL);
    }

    /** Adds a batch's measurement. */
    public void update(int point, int bits, double perFrameS, double queueWaitS) {
        double[] v = byKey.get(key(point, bits));
        if (v == null) {
            byKey.put(key(point, bits), new double[] {perFrameS, queueWaitS, 1});
        } else {
            v[0] += EWMA_WEIGHT * (perFrameS - v[0]);
            v[1] += EWMA_WEIGHT * (queueWaitS - v[1]);
            v[2]++;
        }
    }

    public boolean has(int point, int bits) {
        return byKey.containsKey(key(point, bits));
    }

    /** Decode + tail + queue wait per frame, or {@code fallbackS} when not measured yet. */
    public double edgeSeconds(int point, int bits, double fallbackS) {
        double[] v = byKey.get(key(point, bits));
        return v == null ? fallbackS : v[0] + v[1];
    }

    public double computeSeconds(int point, int bits, double fallbackS) {
        double[] v = byKey.get(key(point, bits));
        return v == null ? fallbackS : v[0];
    }

    public int size() {
        return byKey.size();
    }
}
