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

    /** Removes and returns the UEs whose transmissions finished by {@code nowS}. */
    List<Integer> finishedBy(double nowS);

    /** Drops a UE's transmission (the UE stopped). */
    void cancel(int ue);
}
