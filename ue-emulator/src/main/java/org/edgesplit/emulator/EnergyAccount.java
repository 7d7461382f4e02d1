package org.edgesplit.emulator;

/** A UE's energy: compute (power x compute time) plus transmit (power x upload time). */
public final class EnergyAccount {
    private double computeJ;
    private double transmitJ;
    private double reportedJ;

    /** Adds compute energy; returns the joules added. */
    public double addCompute(double powerW, double seconds) {
        double j = powerW * seconds;
        computeJ += j;
        return j;
    }

    /** Adds transmit energy; returns the joules added. */
    public double addTransmit(double powerW, double seconds) {
        double j = powerW * seconds;
        transmitJ += j;
        return j;
    }

    public double computeJ() {
        return computeJ;
    }

    public double transmitJ() {
        return transmitJ;
    }

    public double totalJ() {
        return computeJ + transmitJ;
    }

    /** Energy used since the last call (for telemetry intervals). */
    public double sinceLastReportJ() {
        double now = totalJ();
        double delta = now - reportedJ;
        reportedJ = now;
        return delta;
    }
}
