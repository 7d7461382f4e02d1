package org.edgesplit.core.mahppo;

import java.util.random.RandomGenerator;

/**
 * A stack of {@link Dense} layers with ReLU between them (and after the last one if asked), with
 * activation buffers for batches of up to {@code maxRows} rows. Nothing is allocated per call.
 */
final class Mlp {
    final Dense[] layers;
    private final boolean reluOut;
    private final int maxRows;

    /** acts[0] is the input (a reference to the caller's rows); acts[k] the output of layer k. */
    private final float[][][] acts;

    private final float[][][] grads;

    Mlp(int[] sizes, boolean reluOut, int maxRows, RandomGenerator rng) {
        this.reluOut = reluOut;
        this.maxRows = maxRows;
        layers = new Dense[sizes.length - 1];
        for (int k = 0; k < layers.length; k++) {
            layers[k] = new Dense(sizes[k], sizes[k + 1], rng);
        }
        acts = new float[sizes.length][][];
        grads = new float[sizes.length][][];
        for (int k = 1; k < sizes.length; k++) {
            acts[k] = new float[maxRows][sizes[k]];
            grads[k] = new float[maxRows][sizes[k]];
        }
        grads[0] = new float[maxRows][sizes[0]];
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
    float[][] forward(float[][] x, int rows) {
        acts[0] = x;
        for (int k = 0; k < layers.length; k++) {
            layers[k].forward(acts[k], 0, acts[k + 1], rows);
            if (k < layers.length - 1 || reluOut) {
                relu(acts[k + 1], rows, layers[k].out);
            }
        }
        return acts[layers.length];
    }

    /**
     * Backward pass for the last {@link #forward} call; {@code dOut} is the gradient with respect
     * to the output (after the final ReLU if there is one). Returns the input gradient if {@code
     * needInput}, else null.
     */
    float[][] backward(float[][] dOut, int rows, boolean needInput) {
        int last = layers.length;
        float[][] dy = dOut;
        if (reluOut) {
            dy = grads[last];
            maskRelu(dOut, acts[last], dy, rows, layers[last - 1].out);
        }
        for (int k = last - 1; k >= 0; k--) {
            float[][] dx = k > 0 || needInput ? grads[k] : null;
            layers[k].backward(acts[k], 0, dy, dx, rows);
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

    static void relu(float[][] a, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            float[] ar = a[r];
            for (int c = 0; c < cols; c++) {
                ar[c] = Math.max(ar[c], 0f);
            }
        }
    }

    /**
     * Gradient through ReLU: zero where the activation was clipped (output is 0). The mask is
     * computed as {@code min(act * Float.MAX_VALUE, 1)}, which C2 vectorises (a ternary would be a
     * mispredicted branch half of the time): 0 for a clipped unit, 1 for any activation of at least
     * 3e-39 (smaller, denormal activations would get a partial mask).
     */
    static void maskRelu(float[][] g, float[][] act, float[][] out, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            float[] gr = g[r];
            float[] ar = act[r];
            float[] or = out[r];
            for (int c = 0; c < cols; c++) {
                or[c] = gr[c] * Math.min(ar[c] * Float.MAX_VALUE, 1f);
            }
        }
    }
}
