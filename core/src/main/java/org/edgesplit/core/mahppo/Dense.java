package org.edgesplit.core.mahppo;

import java.util.random.RandomGenerator;

/**
 * A fully connected layer with manual backprop and Adam state.
 *
 * <p>Weights are kept twice: {@code wt[in][out]} (the master copy, used by the forward pass and the
 * weight gradient) and its transpose {@code w[out][in]} (used for the input gradient). With both
 * layouts every inner loop is a contiguous axpy that C2 vectorises; a dot-product loop would not
 * be, because Java may not reorder floating-point sums. The mirror is refreshed after each
 * optimiser step, which costs one pass over the weights per minibatch.
 */
final class Dense {
    final int in;
    final int out;
    final double[][] wt;
    final double[][] w;
    final double[] b;
    final double[][] gwt;
    final double[] gb;
    private final double[][] mW;
    private final double[][] vW;
    private final double[] mB;
    private final double[] vB;

    Dense(int in, int out, RandomGenerator rng) {
        this.in = in;
        this.out = out;
        wt = new double[in][out];
        w = new double[out][in];
        b = new double[out];
        gwt = new double[in][out];
        gb = new double[out];
        mW = new double[in][out];
        vW = new double[in][out];
        mB = new double[out];
        vB = new double[out];
        // PyTorch's nn.Linear default: U(-1/sqrt(in), 1/sqrt(in)) for weights and biases.
        double bound = 1.0 / Math.sqrt(in);
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                wt[i][o] = (2 * rng.nextDouble() - 1) * bound;
            }
        }
        for (int o = 0; o < out; o++) {
            b[o] = (2 * rng.nextDouble() - 1) * bound;
        }
        syncMirror();
    }

    /** Recomputes {@code w} from {@code wt}; call after changing {@code wt} directly. */
    void syncMirror() {
        for (int i = 0; i < in; i++) {
            double[] row = wt[i];
            for (int o = 0; o < out; o++) {
                w[o][i] = row[o];
            }
        }
    }

    /** {@code y[r] = x[r] W + b} for the first {@code rows} rows. */
    void forward(double[][] x, double[][] y, int rows) {
        for (int r = 0; r < rows; r++) {
            double[] xr = x[r];
            double[] yr = y[r];
            System.arraycopy(b, 0, yr, 0, out);
            for (int i = 0; i < in; i++) {
                double xi = xr[i];
                if (xi == 0) {
                    continue; // ReLU outputs are often zero
                }
                double[] wi = wt[i];
                for (int o = 0; o < out; o++) {
                    yr[o] += xi * wi[o];
                }
            }
        }
    }

    /**
     * Accumulates the parameter gradients for upstream gradient {@code dy}; writes the input
     * gradient to {@code dx} unless it is null.
     */
    void backward(double[][] x, double[][] dy, double[][] dx, int rows) {
        for (int r = 0; r < rows; r++) {
            double[] xr = x[r];
            double[] dyr = dy[r];
            for (int o = 0; o < out; o++) {
                gb[o] += dyr[o];
            }
            for (int i = 0; i < in; i++) {
                double xi = xr[i];
                if (xi == 0) {
                    continue;
                }
                double[] g = gwt[i];
                for (int o = 0; o < out; o++) {
                    g[o] += xi * dyr[o];
                }
            }
            if (dx != null) {
                double[] dxr = dx[r];
                java.util.Arrays.fill(dxr, 0, in, 0.0);
                for (int o = 0; o < out; o++) {
                    double d = dyr[o];
                    if (d == 0) {
                        continue;
                    }
                    double[] wo = w[o];
                    for (int i = 0; i < in; i++) {
                        dxr[i] += d * wo[i];
                    }
                }
            }
        }
    }

    void zeroGrad() {
        for (double[] g : gwt) {
            java.util.Arrays.fill(g, 0);
        }
        java.util.Arrays.fill(gb, 0);
    }

    /** One Adam step (PyTorch's defaults: betas 0.9/0.999, eps 1e-8, bias correction). */
    void adam(double lr, int t, double beta1, double beta2, double eps) {
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        double stepSize = lr / c1;
        double invSqrtC2 = 1 / Math.sqrt(c2);
        for (int i = 0; i < in; i++) {
            adamRow(wt[i], gwt[i], mW[i], vW[i], stepSize, invSqrtC2, beta1, beta2, eps);
        }
        adamRow(b, gb, mB, vB, stepSize, invSqrtC2, beta1, beta2, eps);
        syncMirror();
    }

    private static void adamRow(
            double[] p,
            double[] g,
            double[] m,
            double[] v,
            double stepSize,
            double invSqrtC2,
            double beta1,
            double beta2,
            double eps) {
        for (int k = 0; k < p.length; k++) {
            double gk = g[k];
            m[k] = beta1 * m[k] + (1 - beta1) * gk;
            v[k] = beta2 * v[k] + (1 - beta2) * gk * gk;
            p[k] -= stepSize * m[k] / (Math.sqrt(v[k]) * invSqrtC2 + eps);
        }
    }

    int parameterCount() {
        return in * out + out;
    }
}
