package org.edgesplit.emulator.channel;

/**
 * What a UE transmits with: its plan's radio settings and its current channel gain.
 *
 * @param ue index of the UE
 * @param gain linear channel gain {@code d^-alpha}, times a fading sample when fading is on
 * @param powerW transmit power
 * @param subChannel paper sub-channel (sub-channel model)
 * @param bandwidthShare share of the band in (0, 1] (OFDMA model)
 */
public record Transmission(
        int ue, double gain, double powerW, int subChannel, double bandwidthShare) {}
