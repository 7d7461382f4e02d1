package org.edgesplit.jobs;

import org.edgesplit.avro.DeadLetter;
import org.edgesplit.avro.InferenceResult;

/** What inference made of one frame: a result, or a dead letter when the model call failed. */
public class InferenceOutcome {
    public InferenceResult result;
    public DeadLetter deadLetter;

    public InferenceOutcome() {}

    static InferenceOutcome of(InferenceResult result) {
        InferenceOutcome o = new InferenceOutcome();
        o.result = result;
        return o;
    }

    static InferenceOutcome failed(DeadLetter deadLetter) {
        InferenceOutcome o = new InferenceOutcome();
        o.deadLetter = deadLetter;
        return o;
    }
}
