package org.edgesplit.core.stats;

/** The one quantile convention of every EdgeSplit table: the sample at rank floor(q * n). */
public final class Quantiles {
    private Quantiles() {}

    /** The {@code q}-quantile (0..1) of samples sorted ascending; NaN when there are none. */
    public static double ofSorted(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }
}
