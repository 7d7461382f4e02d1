package org.edgesplit.core.mahppo;

import java.util.random.RandomGenerator;

/**
 * One UE's actor: a shared body (state -> 256 -> 128, ReLU) and four heads (128 -> 64 -> out):
 * point logits, sub-channel logits, power mean (sigmoid scaled to [1e-10, pmax]) and power sigma
 * (softplus). The heads return pre-activations; {@link #mu} and {@link #sigma} apply the rest.
 */
final class ActorNet {
    final Mlp body;
    final Mlp pointHead;
    final Mlp channelHead;
    final Mlp muHead;
    final Mlp sigmaHead;
    final double pmax;
    private final double[][] dCode;

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
        int code = bodyHidden[bodyHidden.length - 1];
        body = new Mlp(bodySizes, true, maxRows, rng);
        pointHead = new Mlp(new int[] {code, headHidden, points}, false, maxRows, rng);
        channelHead = new Mlp(new int[] {code, headHidden, channels}, false, maxRows, rng);
        muHead = new Mlp(new int[] {code, headHidden, 1}, false, maxRows, rng);
        sigmaHead = new Mlp(new int[] {code, headHidden, 1}, false, maxRows, rng);
        this.pmax = pmax;
        dCode = new double[maxRows][code];
    }

    int points() {
        return pointHead.outputSize();
    }

    int channels() {
        return channelHead.outputSize();
    }

    void forward(double[][] x, int rows) {
        double[][] code = body.forward(x, rows);
        pointLogits = pointHead.forward(code, rows);
        channelLogits = channelHead.forward(code, rows);
        muPre = muHead.forward(code, rows);
        sigmaPre = sigmaHead.forward(code, rows);
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
        double[][] a = pointHead.backward(gPoint, rows, true);
        addInto(dCode, a, rows, true);
        addInto(dCode, channelHead.backward(gChannel, rows, true), rows, false);
        addInto(dCode, muHead.backward(gMu, rows, true), rows, false);
        addInto(dCode, sigmaHead.backward(gSigma, rows, true), rows, false);
        body.backward(dCode, rows, false);
    }

    private static void addInto(double[][] acc, double[][] g, int rows, boolean first) {
        for (int r = 0; r < rows; r++) {
            double[] ar = acc[r];
            double[] gr = g[r];
            if (first) {
                System.arraycopy(gr, 0, ar, 0, ar.length);
            } else {
                for (int c = 0; c < ar.length; c++) {
                    ar[c] += gr[c];
                }
            }
        }
    }

    Mlp[] parts() {
        return new Mlp[] {body, pointHead, channelHead, muHead, sigmaHead};
    }

    void zeroGrad() {
        for (Mlp m : parts()) {
            m.zeroGrad();
        }
    }

    void adam(double lr, int t) {
        for (Mlp m : parts()) {
            m.adam(lr, t);
        }
    }

    int parameterCount() {
        int c = 0;
        for (Mlp m : parts()) {
            c += m.parameterCount();
        }
        return c;
    }
}
