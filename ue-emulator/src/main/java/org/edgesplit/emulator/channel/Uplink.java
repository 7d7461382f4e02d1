package org.edgesplit.emulator.channel;

import java.util.List;

/**
 * The uplink of all emulated UEs, in emulated seconds: transmissions start, progress at the rates
 * the channel gives them (rates may change when other UEs start or stop), and finish.
 */
public interface Uplink {
    /** Starts sending {@code bits} for {@code tx.ue()} at {@code nowS}; returns the rate now. */
    double start(Transmission tx, long bits, double nowS);

    /** The earliest time a transmission in flight finishes, or infinity when none is. */
    double nextFinishS();

    /** A transmission that finished, and when by the model (not when it was noticed). */
    record Finished(int ue, double atS) {}

    /** Removes and returns the transmissions that finished by {@code nowS}. */
    List<Finished> finishedBy(double nowS);

    /** Drops a UE's transmission (the UE stopped). */
    void cancel(int ue);
}
