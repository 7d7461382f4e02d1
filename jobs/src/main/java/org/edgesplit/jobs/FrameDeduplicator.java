package org.edgesplit.jobs;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per UE: drops frames whose sequence number was seen already (a UE's retry, a replayed trace
 * overlapping a live one), tracks the plan epoch in force, and forgets UEs that go quiet.
 */
public final class FrameDeduplicator
        extends KeyedProcessFunction<String, FrameEnvelope, FrameEnvelope> {
    private static final long serialVersionUID = 1L;

    private final long idleTimeoutMs;
    private transient ValueState<UeState> state;
    private transient Counter duplicates;

    public FrameDeduplicator(Duration idleTimeout) {
        this.idleTimeoutMs = idleTimeout.toMillis();
    }

    @Override
    public void open(OpenContext context) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("ue", UeState.class));
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicates");
    }

    @Override
    public void processElement(FrameEnvelope in, Context ctx, Collector<FrameEnvelope> out)
            throws Exception {
        UeState ue = state.value();
        if (ue == null) {
            ue = new UeState();
        }
        long seq = in.frame.getSeq();
        long now = ctx.timerService().currentProcessingTime();
        if (seq <= ue.highestSeq) {
            ue.duplicates++;
            duplicates.inc();
            ctx.output(
                    DeadLetters.TAG,
                    DeadLetters.of(
                            in,
                            RejectReason.DUPLICATE_SEQUENCE,
                            "UE "
                                    + in.ueId()
                                    + " sent sequence "
                                    + seq
                                    + " again (highest seen "
                                    + ue.highestSeq
                                    + ")"));
        } else {
            ue.highestSeq = seq;
            ue.planEpoch = Math.max(ue.planEpoch, in.frame.getPlanEpoch());
            ue.frames++;
            out.collect(in);
        }
        // One timer per UE: a newer frame moves it instead of adding another.
        if (ue.lastSeenMs > 0) {
            ctx.timerService().deleteProcessingTimeTimer(ue.lastSeenMs + idleTimeoutMs);
        }
        ue.lastSeenMs = now;
        ctx.timerService().registerProcessingTimeTimer(now + idleTimeoutMs);
        state.update(ue);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FrameEnvelope> out)
            throws Exception {
        UeState ue = state.value();
        if (ue != null && timestamp >= ue.lastSeenMs + idleTimeoutMs) {
            // A UE that returns after this starts afresh; its sequence numbers restart with a new
            // session.
            state.clear();
        }
    }
}
