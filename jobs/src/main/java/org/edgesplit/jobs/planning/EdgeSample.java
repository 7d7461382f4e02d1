package org.edgesplit.jobs.planning;

import org.edgesplit.avro.InferenceResult;

/** The edge's cost of one answered frame, as the planner learns it from the inference path. */
public class EdgeSample {
    public int point;
    public int bits;

    /** Decode plus this frame's share of its batch's tail call. */
    public double perFrameMs;

    public double queueWaitMs;

    public EdgeSample() {}

    public EdgeSample(int point, int bits, double perFrameMs, double queueWaitMs) {
        this.point = point;
        this.bits = bits;
        this.perFrameMs = perFrameMs;
        this.queueWaitMs = queueWaitMs;
    }

    public static EdgeSample of(InferenceResult r) {
        var t = r.getTimings();
        return new EdgeSample(
                r.getSplitPoint(),
                r.getBits(),
                t.getDecodeMs() + t.getTailMs() / Math.max(1, t.getBatchSize()),
                t.getQueueWaitMs());
    }
}
