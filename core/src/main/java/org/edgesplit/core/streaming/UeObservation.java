package org.edgesplit.core.streaming;

/**
 * What the planner knows of a UE in a window, from its telemetry.
 *
 * @param ueId the UE
 * @param rateBps measured uplink rate, or NaN
 * @param gain linear channel gain, or NaN
 * @param distanceM distance to the edge, or NaN
 * @param arrivalRate tasks per second
 * @param backlog tasks waiting
 * @param planEpoch epoch of the plan in force on the UE
 */
public record UeObservation(
        String ueId,
        double rateBps,
        double gain,
        double distanceM,
        double arrivalRate,
        int backlog,
        long planEpoch) {

    /** The channel gain: given, or from distance with the path-loss exponent, or NaN. */
    public double gainOr(double pathLossExponent) {
        if (!Double.isNaN(gain)) {
            return gain;
        }
        if (!Double.isNaN(distanceM)) {
            return Math.pow(distanceM, -pathLossExponent);
        }
        return Double.NaN;
    }
}
