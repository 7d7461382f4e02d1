package org.edgesplit.core.paper;

/**
 * Parameters of the paper's environment (SYSTEM-MODEL.md section 1).
 *
 * @param net the DNN every UE runs
 * @param users number of UEs (paper: 5)
 * @param channels number of uplink sub-channels (paper: 2)
 * @param slotTime slot length in s (paper: 0.5)
 * @param beta weight of energy in the reward (paper: 1 in training)
 * @param channelWidthHz sub-channel width W in Hz (paper: 1 MHz)
 * @param noiseW noise power sigma^2 in W (paper: 1e-9)
 * @param pathLossExponent alpha in {@code g = d^-alpha} (paper: 3)
 * @param pmax maximum transmit power in W (paper: 1)
 * @param dmin smallest UE distance in m (paper: 1)
 * @param dmax largest UE distance in m (paper: 100)
 * @param lambda Poisson mean of tasks per UE and episode (paper: 200)
 * @param testDistance distance of every UE in test episodes (paper: 50)
 */
public record PaperSettings(
        Dnn net,
        int users,
        int channels,
        double slotTime,
        double beta,
        double channelWidthHz,
        double noiseW,
        double pathLossExponent,
        double pmax,
        double dmin,
        double dmax,
        int lambda,
        double testDistance) {

    /** Smallest transmit power an agent may choose (the reference clamps to it). */
    public static final double PMIN = 1e-10;

    public PaperSettings {
        if (net == null) {
            throw new IllegalArgumentException("net must be set");
        }
        if (users < 1 || channels < 1) {
            throw new IllegalArgumentException("users and channels must be >= 1");
        }
        if (!(slotTime > 0) || !(channelWidthHz > 0) || !(noiseW > 0) || !(pmax > 0)) {
            throw new IllegalArgumentException(
                    "slot_time, channel_width_hz, noise_w and pmax must be > 0");
        }
        if (!(dmax > dmin)) {
            throw new IllegalArgumentException("dmax must exceed dmin");
        }
    }

    /** The paper's defaults for {@code net}: 5 UEs, 2 sub-channels, lambda 200, beta 1. */
    public static PaperSettings paper(Dnn net) {
        return new PaperSettings(net, 5, 2, 0.5, 1.0, 1e6, 1e-9, 3, 1.0, 1, 100, 200, 50);
    }

    public PaperSettings withUsers(int n) {
        return new PaperSettings(
                net,
                n,
                channels,
                slotTime,
                beta,
                channelWidthHz,
                noiseW,
                pathLossExponent,
                pmax,
                dmin,
                dmax,
                lambda,
                testDistance);
    }

    public PaperSettings withLambda(int l) {
        return new PaperSettings(
                net,
                users,
                channels,
                slotTime,
                beta,
                channelWidthHz,
                noiseW,
                pathLossExponent,
                pmax,
                dmin,
                dmax,
                l,
                testDistance);
    }

    public PaperSettings withChannels(int m) {
        return new PaperSettings(
                net,
                users,
                m,
                slotTime,
                beta,
                channelWidthHz,
                noiseW,
                pathLossExponent,
                pmax,
                dmin,
                dmax,
                lambda,
                testDistance);
    }

    /** Length of the state vector: 4 entries per UE. */
    public int stateDim() {
        return 4 * users;
    }

    /** Training episodes stop after {@code lambda * 0.15 / slot} slots, as in the reference. */
    public int trainingSlotCap() {
        return (int) ((lambda * 0.15) / slotTime);
    }
}
