package org.edgesplit.emulator.channel;

import java.util.List;

/**
 * A band of width {@code B} split into per-UE shares (OFDMA), no interference between shares:
 * {@code r_i = b_i B log2(1 + p_i g_i / (N0 b_i B))}.
 */
public record OfdmaShare(double bandHz, double noiseDensityWPerHz) implements RateModel {
    public OfdmaShare {
        if (bandHz <= 0 || noiseDensityWPerHz <= 0) {
            throw new IllegalArgumentException("band and noise density must be > 0");
        }
    }

    @Override
    public double[] rates(List<Transmission> active) {
        double[] out = new double[active.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rate(active.get(i));
        }
        return out;
    }

    public double rate(Transmission t) {
        double width = t.bandwidthShare() * bandHz;
        if (width <= 0) {
            return 0;
        }
        double snr = t.powerW() * t.gain() / (noiseDensityWPerHz * width);
        return width * Math.log1p(snr) / Math.log(2);
    }
}
