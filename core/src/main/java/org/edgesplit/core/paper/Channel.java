package org.edgesplit.core.paper;

/** Shannon rates of the paper's uplink sub-channels. */
public final class Channel {
    private static final double LN2 = Math.log(2.0);

    private Channel() {}

    /** Received power factor {@code d^alpha}; a UE's received power is {@code p / d^alpha}. */
    public static double pathLoss(double distance, double alpha) {
        return Math.pow(distance, alpha);
    }

    /** {@code W log2(1 + signal / (interference + noise))} in bit/s. */
    public static double rate(double widthHz, double signalW, double interferenceW, double noiseW) {
        return widthHz * (Math.log1p(signalW / (interferenceW + noiseW)) / LN2);
    }
}
