package org.edgesplit.emulator.channel;

import java.util.List;
import org.edgesplit.core.paper.Channel;

/**
 * The paper's uplink: {@code M} sub-channels of width {@code W}; UEs on the same sub-channel
 * interfere: {@code r_i = W log2(1 + p_i g_i / (sum_{j != i on c} p_j g_j + sigma^2))}.
 */
public record PaperSubChannels(int subChannels, double widthHz, double noiseW)
        implements RateModel {
    public PaperSubChannels {
        if (subChannels < 1 || widthHz <= 0 || noiseW <= 0) {
            throw new IllegalArgumentException("sub-channels >= 1, width > 0 and noise > 0 needed");
        }
    }

    @Override
    public double[] rates(List<Transmission> active) {
        double[] received = new double[subChannels];
        for (Transmission t : active) {
            received[channel(t)] += t.powerW() * t.gain();
        }
        double[] out = new double[active.size()];
        for (int i = 0; i < out.length; i++) {
            Transmission t = active.get(i);
            double signal = t.powerW() * t.gain();
            out[i] = Channel.rate(widthHz, signal, received[channel(t)] - signal, noiseW);
        }
        return out;
    }

    private int channel(Transmission t) {
        if (t.subChannel() < 0 || t.subChannel() >= subChannels) {
            throw new IllegalArgumentException(
                    "sub-channel " + t.subChannel() + " outside 0.." + (subChannels - 1));
        }
        return t.subChannel();
    }
}
