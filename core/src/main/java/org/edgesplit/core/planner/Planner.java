package org.edgesplit.core.planner;

/**
 * Decides how UEs split their DNN and use the uplink. The same contract serves the paper's slotted
 * environment ({@link PaperPlanner}: observation of one slot in, one action per UE out) and the
 * streaming system ({@link StreamingOptimizer}: a planning window's problem in, a plan out).
 *
 * @param <P> what the planner sees
 * @param <D> what it decides
 */
public interface Planner<P, D> {
    D plan(P problem);

    /** Short name for tables and logs. */
    default String name() {
        return getClass().getSimpleName();
    }
}
