package org.edgesplit.core.mahppo;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A fully connected layer in {@code float} with manual backprop and Adam, working on whole
 * minibatches (rows of {@code float[]}).
 *
 * <p>Weights are kept twice: {@code wt[in][out]} (the master copy, used by the forward pass and the
 * weight gradient) and its transpose {@code w[out][in]} (used for the input gradient). With both
 * layouts every inner loop is a contiguous multiply-add over whole rows that C2 vectorises (a
 * dot-product loop would not be: Java may not reorder floating-point sums). Each inner loop folds
 * four rank-1 terms into one pass ({@code y[o] += a0 w0[o] + a1 w1[o] + a2 w2[o] + a3 w3[o]}), so
 * the destination row is loaded and stored once per four terms, and terms whose scalar is zero
 * (ReLU outputs, masked gradients) are skipped before grouping. The mirror is refreshed by the Adam
 * step.
 *
 * <p>Inputs may be a slice of a wider row ({@code xOff}): four heads read their parts of one fused
 * hidden layer that way.
 */
final class Dense {
    final int in;
    final int out;
    final float[][] wt;
    final float[][] w;
    final float[] b;
    final float[][] gwt;
    final float[] gb;
    private final float[][] mW;
    private final float[][] vW;
    private final float[] mB;
    private final float[] vB;
    private int[] nz = new int[0];
    private int[][] rowNz = new int[0][];
    private int[] rowCnt = new int[0];
    private int[][] colNz = new int[0][0];
    private final int[] colCnt;

    Dense(int in, int out, RandomGenerator rng) {
        this.in = in;
        this.out = out;
        wt = new float[in][out];
        w = new float[out][in];
        b = new float[out];
        gwt = new float[in][out];
        gb = new float[out];
        colCnt = new int[in];
        mW = new float[in][out];
        vW = new float[in][out];
        mB = new float[out];
        vB = new float[out];
        // PyTorch's nn.Linear default: U(-1/sqrt(in), 1/sqrt(in)) for weights and biases.
        double bound = 1.0 / Math.sqrt(in);
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                wt[i][o] = (float) ((2 * rng.nextDouble() - 1) * bound);
            }
        }
        for (int o = 0; o < out; o++) {
            b[o] = (float) ((2 * rng.nextDouble() - 1) * bound);
        }
        syncMirror();
    }

    /** Recomputes {@code w} from {@code wt}; call after changing {@code wt} directly. */
    void syncMirror() {
        for (int i = 0; i < in; i++) {
            float[] row = wt[i];
            for (int o = 0; o < out; o++) {
                w[o][i] = row[o];
            }
        }
    }

    private int[] scratch(int size) {
        if (nz.length < size) {
            nz = new int[size];
        }
        return nz;
    }

    /**
     * {@code y[r] = x[r][xOff .. xOff+in) W + b} for the first {@code rows} rows. Remembers which
     * inputs were non-zero, for the weight gradient of a following {@link #backward}.
     */
    void forward(float[][] x, int xOff, float[][] y, int rows) {
        if (rowNz.length < rows) {
            rowNz = new int[rows][in];
            rowCnt = new int[rows];
        }
        for (int r = 0; r < rows; r++) {
            float[] xr = x[r];
            float[] yr = y[r];
            int[] idx = rowNz[r];
            System.arraycopy(b, 0, yr, 0, out);
            int k = compact(xr, xOff, in, idx);
            rowCnt[r] = k;
            int j = 0;
            for (; j + 3 < k; j += 4) {
                int i0 = idx[j];
                int i1 = idx[j + 1];
                int i2 = idx[j + 2];
                int i3 = idx[j + 3];
                madd4(
                        yr,
                        xr[xOff + i0],
                        wt[i0],
                        xr[xOff + i1],
                        wt[i1],
                        xr[xOff + i2],
                        wt[i2],
                        xr[xOff + i3],
                        wt[i3],
                        out);
            }
            for (; j < k; j++) {
                int i0 = idx[j];
                madd1(yr, xr[xOff + i0], wt[i0], out);
            }
        }
    }

    /**
     * Accumulates the parameter gradients for upstream gradient {@code dy}; writes (overwrites) the
     * input gradient to {@code dx[r][xOff .. xOff+in)} unless {@code dx} is null. {@code x} and
     * {@code rows} must be those of the last {@link #forward} call.
     */
    void backward(float[][] x, int xOff, float[][] dy, float[][] dx, int rows) {
        // bias: sum of the rows of dy
        int r = 0;
        for (; r + 3 < rows; r += 4) {
            madd4(gb, 1f, dy[r], 1f, dy[r + 1], 1f, dy[r + 2], 1f, dy[r + 3], out);
        }
        for (; r < rows; r++) {
            madd1(gb, 1f, dy[r], out);
        }
        // weights: gwt[i] += sum_r x[r][i] dy[r], over the rows where x[r][i] != 0
        // (the rows of each input column come from the forward pass's per-row lists)
        if (colNz.length < in || colNz[0].length < rows) {
            colNz = new int[in][rows];
        }
        Arrays.fill(colCnt, 0);
        for (int q = 0; q < rows; q++) {
            int[] list = rowNz[q];
            int k = rowCnt[q];
            for (int j = 0; j < k; j++) {
                int i = list[j];
                colNz[i][colCnt[i]++] = q;
            }
        }
        for (int i = 0; i < in; i++) {
            int c = xOff + i;
            int[] idx = colNz[i];
            int k = colCnt[i];
            float[] g = gwt[i];
            int j = 0;
            for (; j + 3 < k; j += 4) {
                int r0 = idx[j];
                int r1 = idx[j + 1];
                int r2 = idx[j + 2];
                int r3 = idx[j + 3];
                madd4(
                        g, x[r0][c], dy[r0], x[r1][c], dy[r1], x[r2][c], dy[r2], x[r3][c], dy[r3],
                        out);
            }
            for (; j < k; j++) {
                int r0 = idx[j];
                madd1(g, x[r0][c], dy[r0], out);
            }
        }
        int[] idx = scratch(Math.max(in, out));
        if (dx == null) {
            return;
        }
        // input: dx[r] = dy[r] W^T, over the outputs where dy[r][o] != 0
        for (r = 0; r < rows; r++) {
            float[] dyr = dy[r];
            float[] dxr = dx[r];
            Arrays.fill(dxr, xOff, xOff + in, 0f);
            int k = compact(dyr, 0, out, idx);
            int j = 0;
            if (xOff == 0) {
                for (; j + 3 < k; j += 4) {
                    int o0 = idx[j];
                    int o1 = idx[j + 1];
                    int o2 = idx[j + 2];
                    int o3 = idx[j + 3];
                    madd4(dxr, dyr[o0], w[o0], dyr[o1], w[o1], dyr[o2], w[o2], dyr[o3], w[o3], in);
                }
                for (; j < k; j++) {
                    int o0 = idx[j];
                    madd1(dxr, dyr[o0], w[o0], in);
                }
            } else {
                for (; j < k; j++) {
                    int o0 = idx[j];
                    float d = dyr[o0];
                    float[] wo = w[o0];
                    for (int i = 0; i < in; i++) {
                        dxr[xOff + i] += d * wo[i];
                    }
                }
            }
        }
    }

    /**
     * Writes the indices {@code i < n} with {@code v[off + i] != 0} to {@code idx}; returns their
     * count. Branch-free: about half of the entries are zero, in no predictable pattern.
     */
    private static int compact(float[] v, int off, int n, int[] idx) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            idx[k] = i;
            k += v[off + i] != 0 ? 1 : 0;
        }
        return k;
    }

    /** {@code y[o] += a0 w0[o] + a1 w1[o] + a2 w2[o] + a3 w3[o]} for {@code o < n}. */
    private static void madd4(
            float[] y,
            float a0,
            float[] w0,
            float a1,
            float[] w1,
            float a2,
            float[] w2,
            float a3,
            float[] w3,
            int n) {
        for (int o = 0; o < n; o++) {
            y[o] += a0 * w0[o] + a1 * w1[o] + a2 * w2[o] + a3 * w3[o];
        }
    }

    private static void madd1(float[] y, float a, float[] w, int n) {
        for (int o = 0; o < n; o++) {
            y[o] += a * w[o];
        }
    }

    void zeroGrad() {
        for (float[] g : gwt) {
            Arrays.fill(g, 0f);
        }
        Arrays.fill(gb, 0f);
    }

    /** One Adam step (PyTorch's defaults: betas 0.9/0.999, eps 1e-8, bias correction). */
    void adam(double lr, int t, double beta1, double beta2, double eps) {
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float e = (float) eps;
        float stepSize = (float) (lr / (1 - Math.pow(beta1, t)));
        float invSqrtC2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, t)));
        for (int i = 0; i < in; i++) {
            adamRow(wt[i], gwt[i], mW[i], vW[i], stepSize, invSqrtC2, b1, b2, e);
        }
        adamRow(b, gb, mB, vB, stepSize, invSqrtC2, b1, b2, e);
        syncMirror();
    }

    /** Float throughout, as PyTorch's Adam on float32 tensors; the loop vectorises. */
    private static void adamRow(
            float[] p,
            float[] g,
            float[] m,
            float[] v,
            float stepSize,
            float invSqrtC2,
            float beta1,
            float beta2,
            float eps) {
        float c1 = 1 - beta1;
        float c2 = 1 - beta2;
        for (int k = 0; k < p.length; k++) {
            float gk = g[k];
            float mk = beta1 * m[k] + c1 * gk;
            float vk = beta2 * v[k] + c2 * gk * gk;
            m[k] = mk;
            v[k] = vk;
            p[k] -= stepSize * mk / ((float) Math.sqrt(vk) * invSqrtC2 + eps);
        }
    }

    int parameterCount() {
        return in * out + out;
    }
}
