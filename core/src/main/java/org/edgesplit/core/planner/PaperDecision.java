package org.edgesplit.core.planner;

import java.util.Arrays;

/**
 * One slot's hybrid action for every UE: partition point (0..5), sub-channel and transmit power in
 * W.
 */
public record PaperDecision(int[] points, int[] channels, double[] powers) {

    /** The same action for all {@code n} UEs. */
    public static PaperDecision uniform(int n, int point, int channel, double power) {
        int[] p = new int[n];
        int[] c = new int[n];
        double[] w = new double[n];
        Arrays.fill(p, point);
        Arrays.fill(c, channel);
        Arrays.fill(w, power);
        return new PaperDecision(p, c, w);
    }

    @Override
    public String toString() {
        return "points="
                + Arrays.toString(points)
                + " channels="
                + Arrays.toString(channels)
                + " powers="
                + Arrays.toString(powers);
    }
}
