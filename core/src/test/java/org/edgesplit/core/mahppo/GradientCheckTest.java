package org.edgesplit.core.mahppo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The hand-written backprop of the hybrid PPO loss and the critic agree with finite differences.
 *
 * <p>The networks compute in {@code float}, where central differences drown in rounding. So the
 * analytic gradient comes from the float code and the numeric one from a plain {@code double}
 * re-implementation of the same function (naive loops over the same weights, read as doubles): they
 * must agree to float accuracy.
 */
class GradientCheckTest {
    private static final int STATE = 6;
    private static final int ROWS = 7;
    private static final int CHANNELS = 3;
    private static final double H = 1e-6;
    private static final double MAX_REL_ERR = 1e-4;

    @Test
    void actorLossGradientMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(42);
        ActorNet net = new ActorNet(STATE, new int[] {9, 7}, 5, 6, CHANNELS, 1.0, ROWS, rng);
        double[][] x = randomRows(rng, ROWS, STATE);
        float[][] xf = toFloat(x);
        Ref ref = new Ref(net);
        int[] idx = new int[ROWS];
        for (int r = 0; r < ROWS; r++) {
            idx[r] = r;
        }
        double[] adv = new double[ROWS];
        HybridPpoLoss.Rollout old =
                new HybridPpoLoss.Rollout(
                        new int[ROWS],
                        new int[ROWS],
                        new double[ROWS],
                        new double[ROWS],
                        new double[ROWS],
                        new double[ROWS]);
        // Old log-probabilities = current ones shifted by +-0.4 or 0, so rows land clipped,
        // unclipped and inside the range, but never on a kink of the min/clip.
        ref.forward(x);
        double[] shifts = {-0.4, 0.0, 0.4};
        for (int r = 0; r < ROWS; r++) {
            adv[r] = rng.nextDouble() * 2 - 1;
            old.point()[r] = rng.nextInt(6);
            old.channel()[r] = rng.nextInt(CHANNELS);
            old.power()[r] = net.mu(r) + 0.3 * (rng.nextDouble() - 0.5);
            old.logpPoint()[r] = logSoftmax(net.pointLogits[r], old.point()[r]) + shifts[r % 3];
            old.logpChannel()[r] =
                    logSoftmax(net.channelLogits[r], old.channel()[r]) + shifts[(r + 1) % 3];
            double z = (old.power()[r] - net.mu(r)) / net.sigma(r);
            old.logpPower()[r] =
                    -0.5 * z * z
                            - Math.log(net.sigma(r))
                            - PpoMath.LOG_SQRT_2PI
                            + shifts[(r + 2) % 3];
        }
        double scale = 1.0 / (3 * ROWS);
        double[][] gP = new double[ROWS][6];
        double[][] gC = new double[ROWS][CHANNELS];
        double[][] gM = new double[ROWS][1];
        double[][] gS = new double[ROWS][1];
        net.zeroGrad();
        net.forward(xf, ROWS);
        HybridPpoLoss.lossAndGrad(net, ROWS, idx, old, adv, 0.2, 0.01, scale, gP, gC, gM, gS, null);
        net.backward(gP, gC, gM, gS, ROWS);

        Loss loss =
                () -> {
                    ref.forward(x);
                    return HybridPpoLoss.lossAndGrad(
                            net,
                            ROWS,
                            idx,
                            old,
                            adv,
                            0.2,
                            0.01,
                            scale,
                            new double[ROWS][6],
                            new double[ROWS][CHANNELS],
                            new double[ROWS][1],
                            new double[ROWS][1],
                            null);
                };
        double[] err = compare(net.layers(), ref.layers, loss);
        assertThat(err[1]).isGreaterThan(300);
        // Relative error of the whole gradient vector: per-entry ratios of tiny entries only
        // measure finite-difference noise.
        assertThat(err[0]).isLessThan(MAX_REL_ERR);
    }

    @Test
    void criticMseGradientMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(7);
        Mlp critic = new Mlp(new int[] {STATE, 8, 6, 1}, false, ROWS, rng);
        double[][] x = randomRows(rng, ROWS, STATE);
        double[] y = new double[ROWS];
        for (int r = 0; r < ROWS; r++) {
            y[r] = rng.nextDouble() * 4 - 2;
        }
        critic.zeroGrad();
        float[][] v = critic.forward(toFloat(x), ROWS);
        float[][] g = new float[ROWS][1];
        for (int r = 0; r < ROWS; r++) {
            g[r][0] = (float) (2 * (v[r][0] - y[r]) / ROWS);
        }
        critic.backward(g, ROWS, false);
        RefLayer[] ref = RefLayer.of(critic.layers);
        Loss loss =
                () -> {
                    double l = 0;
                    for (int r = 0; r < ROWS; r++) {
                        double[] h = x[r];
                        for (int k = 0; k < ref.length; k++) {
                            h = ref[k].apply(h, 0, k < ref.length - 1);
                        }
                        double e = h[0] - y[r];
                        l += e * e;
                    }
                    return l / ROWS;
                };
        double[] err = compare(critic.layers, ref, loss);
        assertThat(err[0]).isLessThan(MAX_REL_ERR);
    }

    /** A layer's weights as doubles, with the plain forward formula. */
    private static final class RefLayer {
        final double[][] w;
        final double[] b;

        RefLayer(Dense d) {
            w = new double[d.in][d.out];
            b = new double[d.out];
            for (int i = 0; i < d.in; i++) {
                for (int o = 0; o < d.out; o++) {
                    w[i][o] = d.wt[i][o];
                }
            }
            for (int o = 0; o < d.out; o++) {
                b[o] = d.b[o];
            }
        }

        static RefLayer[] of(Dense[] ds) {
            RefLayer[] r = new RefLayer[ds.length];
            for (int k = 0; k < ds.length; k++) {
                r[k] = new RefLayer(ds[k]);
            }
            return r;
        }

        double[] apply(double[] x, int off, boolean relu) {
            double[] y = b.clone();
            for (int i = 0; i < w.length; i++) {
                for (int o = 0; o < y.length; o++) {
                    y[o] += x[off + i] * w[i][o];
                }
            }
            if (relu) {
                for (int o = 0; o < y.length; o++) {
                    y[o] = Math.max(0, y[o]);
                }
            }
            return y;
        }
    }

    /** The actor in double; writes the heads' outputs into the net's output fields. */
    private static final class Ref {
        final ActorNet net;
        final RefLayer[] layers;

        Ref(ActorNet net) {
            this.net = net;
            this.layers = RefLayer.of(net.layers());
        }

        void forward(double[][] x) {
            int bodyLayers = net.body.layers.length;
            double[][][] dst = {net.pointLogits, net.channelLogits, net.muPre, net.sigmaPre};
            for (int r = 0; r < x.length; r++) {
                double[] h = x[r];
                for (int k = 0; k < bodyLayers; k++) {
                    h = layers[k].apply(h, 0, true);
                }
                double[] hid = layers[bodyLayers].apply(h, 0, true);
                for (int k = 0; k < ActorNet.HEADS; k++) {
                    double[] o = layers[bodyLayers + 1 + k].apply(hid, k * net.headHidden, false);
                    System.arraycopy(o, 0, dst[k][r], 0, o.length);
                }
            }
        }
    }

    /** Returns {relative error of the whole gradient vector, entries checked}. */
    private static double[] compare(Dense[] ds, RefLayer[] ref, Loss loss) {
        double diff2 = 0;
        double norm2 = 0;
        int checked = 0;
        for (int k = 0; k < ds.length; k++) {
            Dense d = ds[k];
            RefLayer rl = ref[k];
            for (int i = 0; i <= d.in; i++) {
                double[] p = i < d.in ? rl.w[i] : rl.b;
                for (int o = 0; o < d.out; o++) {
                    double analytic = i < d.in ? d.gwt[i][o] : d.gb[o];
                    double keep = p[o];
                    p[o] = keep + H;
                    double plus = loss.eval();
                    p[o] = keep - H;
                    double minus = loss.eval();
                    p[o] = keep;
                    double numeric = (plus - minus) / (2 * H);
                    diff2 += (analytic - numeric) * (analytic - numeric);
                    norm2 += analytic * analytic + numeric * numeric;
                    checked++;
                }
            }
        }
        return new double[] {Math.sqrt(diff2 / norm2), checked};
    }

    private interface Loss {
        double eval();
    }

    private static float[][] toFloat(double[][] x) {
        float[][] f = new float[x.length][];
        for (int r = 0; r < x.length; r++) {
            f[r] = new float[x[r].length];
            for (int c = 0; c < f[r].length; c++) {
                f[r][c] = (float) x[r][c];
            }
        }
        return f;
    }

    private static double logSoftmax(double[] z, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double s = 0;
        for (double v : z) {
            s += Math.exp(v - max);
        }
        return z[k] - max - Math.log(s);
    }

    private static double[][] randomRows(SplittableRandom rng, int rows, int cols) {
        double[][] x = new double[rows][cols];
        for (double[] row : x) {
            for (int c = 0; c < cols; c++) {
                row[c] = (float) (rng.nextDouble() * 2 - 1); // exact in float
            }
        }
        return x;
    }
}
