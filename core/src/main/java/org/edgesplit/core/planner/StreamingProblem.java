package org.edgesplit.core.planner;

import java.util.List;

/**
 * One planning window of the streaming model (SYSTEM-MODEL.md section 2): a shared OFDMA band of
 * width B split into per-UE shares b_i with {@code r_i = b_i B log2(1 + p_i g_i / (N0 b_i B))}, or
 * a UE whose link rate is given (a trace); per UE the candidate (point, bits) options.
 *
 * @param bandwidthHz total uplink band B
 * @param noisePsd noise power spectral density N0 in W/Hz
 * @param pmax largest UE transmit power in W
 * @param beta weight of UE energy against latency in the objective
 * @param edgeCapacity edge compute seconds available per second (e.g. number of workers times a
 *     target utilisation); {@code sum_i lambda_i * edgeTime_i} may not exceed it
 * @param accuracyFloor smallest acceptable accuracy of an option
 * @param ues the UEs
 */
public record StreamingProblem(
        double bandwidthHz,
        double noisePsd,
        double pmax,
        double beta,
        double edgeCapacity,
        double accuracyFloor,
        List<Ue> ues) {

    public StreamingProblem {
        if (!(bandwidthHz > 0) || !(noisePsd > 0) || !(pmax > 0) || beta < 0) {
            throw new IllegalArgumentException("bandwidth, noise and pmax must be > 0, beta >= 0");
        }
        ues = List.copyOf(ues);
        for (Ue u : ues) {
            if (u.options().isEmpty()) {
                throw new IllegalArgumentException("every UE needs at least one option");
            }
        }
    }

    /**
     * A UE. Set {@code gain} (linear channel gain) for a share of the band, or {@code fixedRateBps}
     * > 0 when the link rate is given by a trace (then no band is assigned).
     *
     * @param arrivalRate frames per second
     */
    public record Ue(double gain, double fixedRateBps, double arrivalRate, List<Option> options) {
        public Ue {
            options = List.copyOf(options);
        }

        public static Ue withGain(double gain, double arrivalRate, List<Option> options) {
            return new Ue(gain, 0, arrivalRate, options);
        }

        public static Ue withRate(double rateBps, double arrivalRate, List<Option> options) {
            return new Ue(0, rateBps, arrivalRate, options);
        }
    }

    /**
     * A candidate split: cut at {@code point}, compress to {@code bits} per element.
     *
     * @param payloadBytes bytes sent per frame (0 for local-only)
     * @param ueLatency UE compute time per frame in s
     * @param ueEnergy UE compute energy per frame in J
     * @param edgeTime edge decode + tail time per frame in s
     * @param accuracy measured accuracy of this (point, bits)
     */
    public record Option(
            int point,
            int bits,
            long payloadBytes,
            double ueLatency,
            double ueEnergy,
            double edgeTime,
            double accuracy) {}
}
