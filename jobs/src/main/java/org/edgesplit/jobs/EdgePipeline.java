package org.edgesplit.jobs;

import java.util.concurrent.TimeUnit;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.edgesplit.avro.DeadLetter;
import org.edgesplit.avro.InferenceResult;
import org.edgesplit.core.topics.Topics;

/**
 * The edge pipeline between its source and sinks:
 *
 * <pre>
 * raw records → validate-frames ─┬→ keyBy(UE) → dedup-per-ue → decode-and-tail → route-outcomes → results
 *                                └──────────────── dead letters (every stage) ─────────────────→ dead letters
 * </pre>
 *
 * Tests call {@link #build} with their own sources and sinks.
 */
public final class EdgePipeline {
    private EdgePipeline() {}

    /** The pipeline's two outputs. */
    public record Outputs(
            DataStream<InferenceResult> results, DataStream<DeadLetter> deadLetters) {}

    public static Outputs build(DataStream<RawRecord> raw, EdgeJobOptions options, Topics topics) {
        SingleOutputStreamOperator<FrameEnvelope> valid =
                raw.process(new FrameValidator(options.models(), topics.features()))
                        .name("validate-frames")
                        .uid("validate-frames");

        SingleOutputStreamOperator<FrameEnvelope> fresh =
                valid.keyBy(new ByUe())
                        .process(new FrameDeduplicator(options.ueIdleTimeout()))
                        .name("dedup-per-ue")
                        .uid("dedup-per-ue");

        SingleOutputStreamOperator<InferenceOutcome> outcomes =
                AsyncDataStream.unorderedWait(
                                fresh,
                                new TailInference(
                                        options.models(),
                                        options.maxBatch(),
                                        options.maxWaitMicros(),
                                        options.device(),
                                        options.ortThreads()),
                                options.asyncTimeout().toMillis(),
                                TimeUnit.MILLISECONDS,
                                options.maxInFlight())
                        .name("decode-and-tail")
                        .uid("decode-and-tail");

        SingleOutputStreamOperator<InferenceResult> results =
                outcomes.process(new OutcomeRouter()).name("route-outcomes").uid("route-outcomes");

        DataStream<DeadLetter> deadLetters =
                valid.getSideOutput(DeadLetters.TAG)
                        .union(
                                fresh.getSideOutput(DeadLetters.TAG),
                                results.getSideOutput(DeadLetters.TAG));
        return new Outputs(results, deadLetters);
    }

    /** Keys frames by UE id. */
    static final class ByUe implements KeySelector<FrameEnvelope, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(FrameEnvelope envelope) {
            return envelope.ueId();
        }
    }
}
