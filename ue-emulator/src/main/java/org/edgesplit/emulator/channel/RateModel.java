package org.edgesplit.emulator.channel;

import java.util.List;

/** Instantaneous uplink rates of the UEs transmitting at one moment. */
public interface RateModel {
    /** Rate in bit/s of each transmission in {@code active}, in the same order. */
    double[] rates(List<Transmission> active);
}
