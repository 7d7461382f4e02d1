package org.edgesplit.core.streaming;

import java.io.Serializable;

/**
 * The fixed facts of one edge cell that a planning window needs besides live measurements.
 *
 * @param bandwidthHz the uplink band B shared by the cell's UEs
 * @param noisePsd noise power spectral density N0 (W/Hz)
 * @param pmax largest UE transmit power (W)
 * @param pathLossExponent alpha in g = d^-alpha, when a UE reports a distance only
 * @param beta weight of UE energy against latency
 * @param accuracyFloor smallest accuracy a plan may use (a fraction)
 * @param edgeWorkers parallel edge workers (the Flink job's parallelism)
 * @param edgeUtilisation share of the workers' time the planner may fill
 * @param device the UEs' compute profile
 */
public record CellSettings(
        double bandwidthHz,
        double noisePsd,
        double pmax,
        double pathLossExponent,
        double beta,
        double accuracyFloor,
        int edgeWorkers,
        double edgeUtilisation,
        DeviceProfile device)
        implements Serializable {

    /**
     * The paper's radio (2 x 1 MHz, sigma^2 = 1e-9 W per MHz, pmax 1 W, alpha 3) as one OFDMA band.
     */
    public static CellSettings paperRadio(
            double accuracyFloor, int edgeWorkers, DeviceProfile device) {
        return new CellSettings(2e6, 1e-15, 1.0, 3.0, 1.0, accuracyFloor, edgeWorkers, 0.8, device);
    }

    public double edgeCapacity() {
        return edgeWorkers * edgeUtilisation;
    }
}
