package org.edgesplit.jobs.planning;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.edgesplit.avro.UeTelemetry;
import org.edgesplit.core.avro.AvroDecodeException;
import org.edgesplit.core.avro.AvroSerde;
import org.edgesplit.core.topics.Topic;
import org.edgesplit.jobs.DeadLetters;
import org.edgesplit.jobs.RawRecord;
import org.edgesplit.jobs.RejectReason;

/** Decodes UE telemetry; undecodable or implausible reports become dead letters. */
public final class TelemetryDecoder extends ProcessFunction<RawRecord, UeTelemetry> {
    private static final long serialVersionUID = 1L;
    private final AvroSerde<UeTelemetry> serde;

    public TelemetryDecoder(Topic<UeTelemetry> telemetry) {
        this.serde = telemetry.valueSerde();
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<UeTelemetry> out) {
        UeTelemetry t;
        try {
            t = serde.deserialize(raw.value);
        } catch (AvroDecodeException e) {
            ctx.output(
                    DeadLetters.TAG,
                    DeadLetters.of(
                            raw,
                            RejectReason.of(e.kind()),
                            e.getMessage(),
                            Topic.deserializeKey(raw.key)));
            return;
        }
        String problem = implausible(t);
        if (problem != null) {
            ctx.output(
                    DeadLetters.TAG,
                    DeadLetters.of(raw, RejectReason.BAD_TELEMETRY, problem, t.getUeId()));
            return;
        }
        out.collect(t);
    }

    /** Why a report cannot be planned on, or null. */
    static String implausible(UeTelemetry t) {
        boolean rate =
                t.getUplinkRateBps() != null
                        && Double.isFinite(t.getUplinkRateBps())
                        && t.getUplinkRateBps() > 0;
        boolean gain =
                t.getChannelGain() != null
                        && Double.isFinite(t.getChannelGain())
                        && t.getChannelGain() > 0;
        boolean distance =
                t.getDistanceM() != null
                        && Double.isFinite(t.getDistanceM())
                        && t.getDistanceM() > 0;
        if (!rate && !gain && !distance) {
            return "telemetry needs a positive finite uplink rate, channel gain or distance";
        }
        if (!Double.isFinite(t.getArrivalRateHz()) || t.getArrivalRateHz() < 0) {
            return "arrival rate must be finite and >= 0, got " + t.getArrivalRateHz();
        }
        return null;
    }
}
