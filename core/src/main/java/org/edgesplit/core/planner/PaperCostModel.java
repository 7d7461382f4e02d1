package org.edgesplit.core.planner;

import org.edgesplit.core.paper.Channel;
import org.edgesplit.core.paper.Dnn;
import org.edgesplit.core.paper.PaperSettings;

/**
 * A steady-state estimate of the paper objective for a static decision: every UE repeats
 * compute-then-upload, and a UE on sub-channel c is interfered with by each other UE on c in
 * proportion to the fraction of time that UE spends transmitting (a mean-field duty cycle, solved
 * by fixed-point iteration). Cost of UE i per task: {@code T_i + beta E_i}; the objective is their
 * sum, which matches the paper's reward up to the slot quantisation.
 */
public final class PaperCostModel {
    private static final int FIXED_POINT_ITERS = 30;

    private final PaperSettings s;
    private final Dnn net;
    private final int n;
    private final double[] gain;
    private final double[] duty;
    private final double[] txTime;
    private final double[] cost;

    public PaperCostModel(PaperSettings settings, double[] distances) {
        this.s = settings;
        this.net = settings.net();
        this.n = settings.users();
        gain = new double[n];
        for (int i = 0; i < n; i++) {
            gain[i] = 1.0 / Channel.pathLoss(distances[i], settings.pathLossExponent());
        }
        duty = new double[n];
        txTime = new double[n];
        cost = new double[n];
    }

    public int users() {
        return n;
    }

    /** Cost per task of a UE alone on its sub-channel (what a contention-blind planner sees). */
    public double isolatedCost(int ue, int point, double power) {
        double tx = 0;
        if (point != Dnn.LOCAL_ONLY) {
            double r = Channel.rate(s.channelWidthHz(), power * gain[ue], 0, s.noiseW());
            tx = net.bits(point) / r;
        }
        return taskCost(point, power, tx);
    }

    private double taskCost(int point, double power, double tx) {
        double tc = point == Dnn.EDGE_ONLY ? 0 : net.frontLatency(point);
        double ec = point == Dnn.EDGE_ONLY ? 0 : net.frontPower(point) * tc;
        return tc + tx + s.beta() * (ec + power * tx);
    }

    /** Total cost of a decision; per-UE costs are left in {@link #lastCost(int)}. */
    public double evaluate(int[] points, int[] channels, double[] powers) {
        for (int i = 0; i < n; i++) {
            duty[i] = points[i] == Dnn.LOCAL_ONLY ? 0 : 1;
        }
        for (int iter = 0; iter < FIXED_POINT_ITERS; iter++) {
            double change = 0;
            for (int i = 0; i < n; i++) {
                if (points[i] == Dnn.LOCAL_ONLY) {
                    txTime[i] = 0;
                    continue;
                }
                double interference = 0;
                for (int j = 0; j < n; j++) {
                    if (j != i && channels[j] == channels[i]) {
                        interference += duty[j] * powers[j] * gain[j];
                    }
                }
                double r =
                        Channel.rate(
                                s.channelWidthHz(), powers[i] * gain[i], interference, s.noiseW());
                txTime[i] = net.bits(points[i]) / r;
            }
            for (int i = 0; i < n; i++) {
                if (points[i] == Dnn.LOCAL_ONLY) {
                    continue;
                }
                double tc = points[i] == Dnn.EDGE_ONLY ? 0 : net.frontLatency(points[i]);
                double u = txTime[i] / (tc + txTime[i]);
                change = Math.max(change, Math.abs(u - duty[i]));
                duty[i] = u;
            }
            if (change < 1e-9) {
                break;
            }
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            cost[i] = taskCost(points[i], powers[i], txTime[i]);
            total += cost[i];
        }
        return total;
    }

    public double lastCost(int ue) {
        return cost[ue];
    }

    /** Log-spaced powers from {@code pmax * 10^-decades} to pmax, {@code perDecade} per decade. */
    public static double[] powerGrid(double pmax, int decades, int perDecade) {
        double[] g = new double[decades * perDecade + 1];
        for (int k = 0; k < g.length; k++) {
            g[k] = pmax * Math.pow(10, -(double) (g.length - 1 - k) / perDecade);
        }
        g[g.length - 1] = pmax;
        return g;
    }
}
