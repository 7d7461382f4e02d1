package org.edgesplit.jobs;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.edgesplit.avro.InferenceResult;

/** Sends results on and failed inferences to the dead-letter side output. */
public final class OutcomeRouter extends ProcessFunction<InferenceOutcome, InferenceResult> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(
            InferenceOutcome outcome, Context ctx, Collector<InferenceResult> out) {
        if (outcome.result != null) {
            out.collect(outcome.result);
        } else {
            ctx.output(DeadLetters.TAG, outcome.deadLetter);
        }
    }
}
