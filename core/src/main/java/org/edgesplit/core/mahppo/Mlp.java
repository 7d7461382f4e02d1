package org.edgesplit.core.mahppo;

import java.util.random.RandomGenerator;

/**
 * A stack of {@link Dense} layers with ReLU between them (and after the last one if asked), with
 * activation buffers for batches of up to {@code maxRows} rows.
 */
final class Mlp {
    final Dense[] layers;
    private final boolean reluOut;
    private final int maxRows;

    /** acts[0] is the input (a reference to the caller's rows); acts[k] the output of layer k. */
    private final double[][][] acts;

    private final double[][][] grads;

    Mlp(int[] sizes, boolean reluOut, int maxRows, RandomGenerator rng) {
        this.reluOut = reluOut;
        this.maxRows = maxRows;
        layers = new Dense[sizes.length - 1];
        for (int k = 0; k < layers.length; k++) {
            layers[k] = new Dense(sizes[k], sizes[k + 1], rng);
        }
        acts = new double[sizes.length][][];
        grads = new double[sizes.length][][];
        for (int k = 1; k < sizes.length; k++) {
            acts[k] = new double[maxRows][sizes[k]];
            grads[k] = new double[maxRows][sizes[k]];
        }
        grads[0] = new double[maxRows][sizes[0]];
    }

    int inputSize() {
        return layers[0].in;
    }

    int outputSize() {
        return layers[layers.length - 1].out;
    }

    int maxRows() {
        return maxRows;
    }

    /** Forward pass; the returned rows are owned by this MLP and overwritten by the next call. */
    double[][] forward(double[][] x, int rows) {
        acts[0] = x;
        for (int k = 0; k < layers.length; k++) {
            layers[k].forward(acts[k], acts[k + 1], rows);
            if (k < layers.length - 1 || reluOut) {
                relu(acts[k + 1], rows, layers[k].out);
            }
        }
        return acts[layers.length];
    }

    /**
     * Backward pass for the last {@link #forward} call; {@code dOut} is the gradient with respect
     * to the output. Returns the input gradient if {@code needInput}, else null.
     */
    double[][] backward(double[][] dOut, int rows, boolean needInput) {
        int last = layers.length;
        double[][] dy = dOut;
        if (reluOut) {
            dy = grads[last];
            maskRelu(dOut, acts[last], dy, rows, layers[last - 1].out);
        }
        for (int k = last - 1; k >= 0; k--) {
            double[][] dx = k > 0 || needInput ? grads[k] : null;
            layers[k].backward(acts[k], dy, dx, rows);
            if (k > 0) {
                maskRelu(dx, acts[k], dx, rows, layers[k - 1].out);
                dy = dx;
            }
        }
        return needInput ? grads[0] : null;
    }

    void zeroGrad() {
        for (Dense d : layers) {
            d.zeroGrad();
        }
    }

    void adam(double lr, int t) {
        for (Dense d : layers) {
            d.adam(lr, t, 0.9, 0.999, 1e-8);
        }
    }

    int parameterCount() {
        int c = 0;
        for (Dense d : layers) {
            c += d.parameterCount();
        }
        return c;
    }

    private static void relu(double[][] a, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            double[] ar = a[r];
            for (int c = 0; c < cols; c++) {
                if (ar[c] < 0) {
                    ar[c] = 0;
                }
            }
        }
    }

    /** Gradient through ReLU: zero where the activation was clipped (output is 0). */
    private static void maskRelu(double[][] g, double[][] act, double[][] out, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            double[] gr = g[r];
            double[] ar = act[r];
            double[] or = out[r];
            for (int c = 0; c < cols; c++) {
                or[c] = ar[c] > 0 ? gr[c] : 0;
            }
        }
    }
}
