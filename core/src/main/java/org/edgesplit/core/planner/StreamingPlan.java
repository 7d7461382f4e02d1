package org.edgesplit.core.planner;

import java.util.List;

/**
 * A plan for one window of the streaming model.
 *
 * @param assignments one per UE, in the problem's order
 * @param objective sum over UEs of latency + beta * energy per frame
 * @param feasible false when an accuracy floor, the edge capacity or an uplink (arrivals faster
 *     than uploads) could not be met
 */
public record StreamingPlan(List<Assignment> assignments, double objective, boolean feasible) {

    /**
     * @param option index into the UE's options
     * @param bandwidthShare fraction b_i of the band (0 for local-only or rate-given UEs)
     * @param power transmit power in W
     * @param rateBps resulting uplink rate
     * @param latency UE compute + upload + edge time per frame in s
     * @param energy UE compute + transmit energy per frame in J
     */
    public record Assignment(
            int option,
            int point,
            int bits,
            double bandwidthShare,
            double power,
            double rateBps,
            double latency,
            double energy) {}
}
