package org.edgesplit.core.mahppo;

import java.util.random.RandomGenerator;

/**
 * One UE's actor: a shared body (state -> 256 -> 128, ReLU) and four heads (128 -> 64 -> out):
 * point logits, sub-channel logits, power mean (sigmoid scaled to [1e-10, pmax]) and power sigma
 * (softplus). The heads return pre-activations; {@link #mu} and {@link #sigma} apply the rest.
 *
 * <p>The four heads' first layers are stored as one fused layer {@code code -> 4 * head} (head
 * {@code h} owns columns {@code [h * head, (h + 1) * head)}); that is the same function with the
 * same parameters, computed in one wide pass instead of four narrow ones. Heads' outputs and their
 * gradients are exchanged in {@code double} (they are tiny); everything inside is {@code float}.
 */
final class ActorNet {
    static final int HEADS = 4;

    final Mlp body;
    final Dense hidden;
    final Dense[] outs = new Dense[HEADS];
    final int headHidden;
    final double pmax;
    private final int maxRows;

    private float[][] code;
    private final float[][] hid;
    private final float[][][] outBuf = new float[HEADS][][];
    private final float[][][] dOut = new float[HEADS][][];
    private final float[][] dHid;
    private final float[][] dCode;

    double[][] pointLogits;
    double[][] channelLogits;
    double[][] muPre;
    double[][] sigmaPre;

    ActorNet(
            int stateDim,
            int[] bodyHidden,
            int headHidden,
            int points,
            int channels,
            double pmax,
            int maxRows,
            RandomGenerator rng) {
        int[] bodySizes = new int[bodyHidden.length + 1];
        bodySizes[0] = stateDim;
        System.arraycopy(bodyHidden, 0, bodySizes, 1, bodyHidden.length);
        int codeSize = bodyHidden[bodyHidden.length - 1];
        this.maxRows = maxRows;
        this.headHidden = headHidden;
        body = new Mlp(bodySizes, true, maxRows, rng);
        hidden = new Dense(codeSize, HEADS * headHidden, rng);
        int[] sizes = {points, channels, 1, 1};
        for (int h = 0; h < HEADS; h++) {
            outs[h] = new Dense(headHidden, sizes[h], rng);
            outBuf[h] = new float[maxRows][sizes[h]];
            dOut[h] = new float[maxRows][sizes[h]];
        }
        this.pmax = pmax;
        hid = new float[maxRows][HEADS * headHidden];
        dHid = new float[maxRows][HEADS * headHidden];
        dCode = new float[maxRows][codeSize];
        pointLogits = new double[maxRows][points];
        channelLogits = new double[maxRows][channels];
        muPre = new double[maxRows][1];
        sigmaPre = new double[maxRows][1];
    }

    int points() {
        return outs[0].out;
    }

    int channels() {
        return outs[1].out;
    }

    int maxRows() {
        return maxRows;
    }

    /** All layers in file order: body, fused head layer, the four output layers. */
    Dense[] layers() {
        Dense[] all = new Dense[body.layers.length + 1 + HEADS];
        System.arraycopy(body.layers, 0, all, 0, body.layers.length);
        all[body.layers.length] = hidden;
        System.arraycopy(outs, 0, all, body.layers.length + 1, HEADS);
        return all;
    }

    void forward(float[][] x, int rows) {
        code = body.forward(x, rows);
        hidden.forward(code, 0, hid, rows);
        Mlp.relu(hid, rows, hidden.out);
        double[][][] dst = {pointLogits, channelLogits, muPre, sigmaPre};
        for (int h = 0; h < HEADS; h++) {
            outs[h].forward(hid, h * headHidden, outBuf[h], rows);
            int k = outs[h].out;
            for (int r = 0; r < rows; r++) {
                float[] src = outBuf[h][r];
                double[] d = dst[h][r];
                for (int j = 0; j < k; j++) {
                    d[j] = src[j];
                }
            }
        }
    }

    double mu(int row) {
        return PpoMath.sigmoid(muPre[row][0]) * (pmax - 1e-10) + 1e-10;
    }

    double sigma(int row) {
        return PpoMath.softplus(sigmaPre[row][0]);
    }

    /** Backward pass for the last {@link #forward}, given gradients of the heads' outputs. */
    void backward(
            double[][] gPoint, double[][] gChannel, double[][] gMu, double[][] gSigma, int rows) {
        double[][][] src = {gPoint, gChannel, gMu, gSigma};
        for (int h = 0; h < HEADS; h++) {
            int k = outs[h].out;
            for (int r = 0; r < rows; r++) {
                double[] s = src[h][r];
                float[] d = dOut[h][r];
                for (int j = 0; j < k; j++) {
                    d[j] = (float) s[j];
                }
            }
            outs[h].backward(hid, h * headHidden, dOut[h], dHid, rows);
        }
        Mlp.maskRelu(dHid, hid, dHid, rows, hidden.out);
        hidden.backward(code, 0, dHid, dCode, rows);
        body.backward(dCode, rows, false);
    }

    void zeroGrad() {
        for (Dense d : layers()) {
            d.zeroGrad();
        }
    }

    void adam(double lr, int t) {
        for (Dense d : layers()) {
            d.adam(lr, t, 0.9, 0.999, 1e-8);
        }
    }

    int parameterCount() {
        int c = 0;
        for (Dense d : layers()) {
            c += d.parameterCount();
        }
        return c;
    }
}
