package org.edgesplit.core.mahppo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The hand-written backprop of the hybrid PPO loss and the critic agree with finite differences.
 */
class GradientCheckTest {
    private static final int STATE = 6;
    private static final int ROWS = 7;
    private static final int CHANNELS = 3;
    private static final double H = 1e-6;
    private static final double MAX_REL_ERR = 1e-6;

    @Test
    void actorLossGradientMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(42);
        ActorNet net = new ActorNet(STATE, new int[] {9, 7}, 5, 6, CHANNELS, 1.0, ROWS, rng);
        double[][] x = randomRows(rng, ROWS, STATE);
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
        net.forward(x, ROWS);
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
        net.forward(x, ROWS);
        HybridPpoLoss.lossAndGrad(net, ROWS, idx, old, adv, 0.2, 0.01, scale, gP, gC, gM, gS, null);
        net.backward(gP, gC, gM, gS, ROWS);

        double diff2 = 0;
        double norm2 = 0;
        int checked = 0;
        for (Mlp m : net.parts()) {
            for (Dense d : m.layers) {
                for (int i = 0; i < d.in; i++) {
                    for (int o = 0; o < d.out; o++) {
                        double analytic = d.gwt[i][o];
                        double numeric =
                                numeric(
                                        d,
                                        i,
                                        o,
                                        () -> {
                                            net.forward(x, ROWS);
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
                                        });
                        diff2 += (analytic - numeric) * (analytic - numeric);
                        norm2 += analytic * analytic + numeric * numeric;
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(300);
        // Relative error of the whole gradient vector: per-entry ratios of tiny entries only
        // measure finite-difference noise.
        assertThat(Math.sqrt(diff2 / norm2)).isLessThan(MAX_REL_ERR);
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
        double[][] v = critic.forward(x, ROWS);
        double[][] g = new double[ROWS][1];
        for (int r = 0; r < ROWS; r++) {
            g[r][0] = 2 * (v[r][0] - y[r]) / ROWS;
        }
        critic.backward(g, ROWS, false);
        double diff2 = 0;
        double norm2 = 0;
        for (Dense d : critic.layers) {
            for (int i = 0; i < d.in; i++) {
                for (int o = 0; o < d.out; o++) {
                    double numeric =
                            numeric(
                                    d,
                                    i,
                                    o,
                                    () -> {
                                        double[][] out = critic.forward(x, ROWS);
                                        double l = 0;
                                        for (int r = 0; r < ROWS; r++) {
                                            double e = out[r][0] - y[r];
                                            l += e * e;
                                        }
                                        return l / ROWS;
                                    });
                    diff2 += (d.gwt[i][o] - numeric) * (d.gwt[i][o] - numeric);
                    norm2 += d.gwt[i][o] * d.gwt[i][o] + numeric * numeric;
                }
            }
        }
        assertThat(Math.sqrt(diff2 / norm2)).isLessThan(MAX_REL_ERR);
    }

    private interface Loss {
        double eval();
    }

    private static double numeric(Dense d, int i, int o, Loss loss) {
        double keep = d.wt[i][o];
        d.wt[i][o] = keep + H;
        d.syncMirror();
        double plus = loss.eval();
        d.wt[i][o] = keep - H;
        d.syncMirror();
        double minus = loss.eval();
        d.wt[i][o] = keep;
        d.syncMirror();
        return (plus - minus) / (2 * H);
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
                row[c] = rng.nextDouble() * 2 - 1;
            }
        }
        return x;
    }
}
