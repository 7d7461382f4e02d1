package org.edgesplit.jobs.planning;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.edgesplit.avro.DeadLetter;
import org.edgesplit.avro.InferenceResult;
import org.edgesplit.avro.Plan;
import org.edgesplit.avro.UeTelemetry;
import org.edgesplit.core.topics.Topics;
import org.edgesplit.jobs.DeadLetters;
import org.edgesplit.jobs.EdgeJobOptions;
import org.edgesplit.jobs.RawRecord;

/**
 * The control path:
 *
 * <pre>
 * telemetry → decode-telemetry → keyBy(cell) ─┐
 * results → edge-samples → broadcast ─────────┴→ planning-window → plans (control topic)
 * </pre>
 */
public final class PlanningPipeline {
    private static final Duration TELEMETRY_OUT_OF_ORDER = Duration.ofMillis(500);
    private static final Duration TELEMETRY_IDLE = Duration.ofSeconds(5);

    private PlanningPipeline() {}

    /** The plans and the telemetry that could not be used. */
    public record Outputs(DataStream<Plan> plans, DataStream<DeadLetter> deadLetters) {}

    public static Outputs build(
            DataStream<RawRecord> rawTelemetry,
            DataStream<InferenceResult> results,
            EdgeJobOptions options,
            Topics topics) {
        PlannerSettings settings = options.planning();
        SingleOutputStreamOperator<UeTelemetry> telemetry =
                rawTelemetry
                        .process(new TelemetryDecoder(topics.telemetry()))
                        .name("decode-telemetry")
                        .uid("decode-telemetry");
        DataStream<UeTelemetry> timed =
                settings.eventTime()
                        ? telemetry
                                .assignTimestampsAndWatermarks(
                                        WatermarkStrategy.<UeTelemetry>forBoundedOutOfOrderness(
                                                        TELEMETRY_OUT_OF_ORDER)
                                                .withTimestampAssigner(
                                                        (t, previous) -> t.getTimeMs())
                                                .withIdleness(TELEMETRY_IDLE))
                                .name("telemetry-time")
                                .uid("telemetry-time")
                        : telemetry;

        BroadcastStream<EdgeSample> edge =
                results.map(EdgeSample::of)
                        .name("edge-samples")
                        .uid("edge-samples")
                        .broadcast(PlanningWindow.EDGE_PROFILE);

        DataStream<Plan> plans =
                timed.keyBy(new ByCell())
                        .connect(edge)
                        .process(new PlanningWindow(options.models(), settings))
                        .name("planning-window")
                        .uid("planning-window");
        return new Outputs(plans, telemetry.getSideOutput(DeadLetters.TAG));
    }

    /** Keys telemetry by edge cell. */
    static final class ByCell implements KeySelector<UeTelemetry, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(UeTelemetry t) {
            return t.getCellId();
        }
    }
}
