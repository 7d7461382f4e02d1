package org.edgesplit.jobs;

import org.edgesplit.avro.FeatureFrame;

/** A validated frame with the job's own bookkeeping: when it entered and where it came from. */
public class FrameEnvelope {
    public FeatureFrame frame;
    public long jobInTimeMs;
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;

    public FrameEnvelope() {}

    public FrameEnvelope(FeatureFrame frame, long jobInTimeMs, RawRecord source) {
        this.frame = frame;
        this.jobInTimeMs = jobInTimeMs;
        this.sourceTopic = source.topic;
        this.sourcePartition = source.partition;
        this.sourceOffset = source.offset;
    }

    public String ueId() {
        return frame.getUeId();
    }
}
