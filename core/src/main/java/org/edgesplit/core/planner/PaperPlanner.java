package org.edgesplit.core.planner;

/** A planner for the paper's environment, asked once per slot. */
public interface PaperPlanner extends Planner<PaperObservation, PaperDecision> {

    /** Called at the start of every episode; stateful planners reset here. */
    default void startEpisode(PaperObservation first) {}
}
