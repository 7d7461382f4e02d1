package org.edgesplit.emulator;

import java.util.Arrays;
import org.edgesplit.core.stats.Quantiles;

/** Latency samples in milliseconds with percentiles; thread-safe. */
public final class LatencyStats {
    private double[] samples = new double[1024];
    private int count;
    private double sum;

    public synchronized void add(double ms) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = ms;
        sum += ms;
    }

    public synchronized int count() {
        return count;
    }

    public synchronized double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }

    /** The {@code q}-quantile (0..1); NaN when empty. */
    public synchronized double percentile(double q) {
        double[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        return Quantiles.ofSorted(sorted, q);
    }

    public synchronized double max() {
        double m = Double.NaN;
        for (int i = 0; i < count; i++) {
            m = i == 0 ? samples[i] : Math.max(m, samples[i]);
        }
        return m;
    }
}
