package org.edgesplit.core.planner;

import java.util.ArrayList;
import java.util.List;

/**
 * Training-free planner for the streaming model. Alternates three exact-or-convex steps, a few
 * rounds:
 *
 * <ol>
 *   <li>options: each UE takes the (point, bits) option with the smallest latency + beta * energy
 *       at its current rate, among options meeting the accuracy floor, with a price on edge time
 *       raised by bisection until the edge capacity holds;
 *   <li>power: per UE, the power minimising upload time + beta * upload energy at its share (golden
 *       section on log power; the function is unimodal there);
 *   <li>bandwidth: the shares minimising the sum of (1 + beta p_i) L_i / r_i(b_i), a convex problem
 *       solved by bisection on the KKT multiplier (equal marginal cost of band).
 * </ol>
 *
 * The all-bisection version of {@link StreamingOptimizer} (as of commit c6ff737), kept as the
 * reference the Newton version is compared with.
 */
final class BisectionReference implements Planner<StreamingProblem, StreamingPlan> {
    private static final double LN2 = Math.log(2);
    private static final int ROUNDS = 6;

    /** Bisection steps for the edge price (over a doubling bracket). */
    private static final int BISECT = 50;

    /** Steps of the KKT-multiplier bisection (on log mu, 1e-30..1e30: 2e-12 relative at 40). */
    private static final int MU_STEPS = 40;

    /** Steps of each UE's share bisection (geometric, 1e-12..1: ~1e-9 relative at 40). */
    private static final int SHARE_STEPS = 40;

    /** Golden-section steps for the power (log range 13.8: ~5e-8 relative at 40). */
    private static final int GOLDEN_STEPS = 40;

    private static final double MIN_POWER_FRACTION = 1e-6;

    @Override
    public String name() {
        return "streaming-alternating-bisection";
    }

    /** Uplink rate of a band share at a power (bit/s). */
    public static double rate(StreamingProblem pr, StreamingProblem.Ue u, double share, double p) {
        if (u.fixedRateBps() > 0) {
            return u.fixedRateBps();
        }
        if (share <= 0 || p <= 0) {
            return 0;
        }
        double bw = share * pr.bandwidthHz();
        return bw * Math.log1p(p * u.gain() / (pr.noisePsd() * bw)) / LN2;
    }

    @Override
    public StreamingPlan plan(StreamingProblem pr) {
        int n = pr.ues().size();
        int[] option = new int[n];
        double[] share = new double[n];
        double[] power = new double[n];
        List<int[]> allowed = new ArrayList<>(n);
        boolean feasible = true;
        for (int i = 0; i < n; i++) {
            List<StreamingProblem.Option> opts = pr.ues().get(i).options();
            List<Integer> ok = new ArrayList<>();
            int mostAccurate = 0;
            for (int k = 0; k < opts.size(); k++) {
                if (opts.get(k).accuracy() >= pr.accuracyFloor()) {
                    ok.add(k);
                }
                if (opts.get(k).accuracy() > opts.get(mostAccurate).accuracy()) {
                    mostAccurate = k;
                }
            }
            if (ok.isEmpty()) {
                ok.add(mostAccurate);
                feasible = false;
            }
            allowed.add(ok.stream().mapToInt(Integer::intValue).toArray());
            share[i] = 1.0 / n;
            power[i] = pr.pmax();
        }
        int[] previous = new int[n];
        for (int round = 0; round < ROUNDS; round++) {
            feasible &= chooseOptions(pr, allowed, share, power, option);
            if (round > 1 && java.util.Arrays.equals(option, previous)) {
                break; // options stable: shares and powers were computed for them already
            }
            System.arraycopy(option, 0, previous, 0, n);
            for (int i = 0; i < n; i++) {
                power[i] = bestPower(pr, i, Math.max(share[i], 1e-9));
            }
            allocateBand(pr, option, power, share);
            for (int i = 0; i < n; i++) {
                power[i] = bestPower(pr, i, Math.max(share[i], 1e-9));
            }
        }
        return assemble(pr, option, share, power, feasible);
    }

    /** Picks options at the current rates; returns false if the edge capacity cannot be met. */
    private static boolean chooseOptions(
            StreamingProblem pr, List<int[]> allowed, double[] share, double[] power, int[] opt) {
        int n = share.length;
        int senders = 0;
        for (int i = 0; i < n; i++) {
            if (share[i] > 0) {
                senders++;
            }
        }
        // A UE with no share yet is priced at what it would get as one more sender.
        double guess = 1.0 / (senders + 1);
        double[] rate = new double[n];
        for (int i = 0; i < n; i++) {
            StreamingProblem.Ue u = pr.ues().get(i);
            rate[i] = rate(pr, u, share[i] > 0 ? share[i] : guess, power[i]);
        }
        pick(pr, allowed, rate, power, 0, opt);
        if (edgeLoad(pr, opt) <= pr.edgeCapacity()) {
            return true;
        }
        double lo = 0;
        double hi = 1;
        while (hi < 1e12) {
            pick(pr, allowed, rate, power, hi, opt);
            if (edgeLoad(pr, opt) <= pr.edgeCapacity()) {
                break;
            }
            hi *= 4;
        }
        for (int k = 0; k < BISECT; k++) {
            double mid = 0.5 * (lo + hi);
            pick(pr, allowed, rate, power, mid, opt);
            if (edgeLoad(pr, opt) <= pr.edgeCapacity()) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        pick(pr, allowed, rate, power, hi, opt);
        return edgeLoad(pr, opt) <= pr.edgeCapacity();
    }

    private static void pick(
            StreamingProblem pr,
            List<int[]> allowed,
            double[] rate,
            double[] power,
            double edgePrice,
            int[] opt) {
        for (int i = 0; i < rate.length; i++) {
            StreamingProblem.Ue u = pr.ues().get(i);
            double best = Double.POSITIVE_INFINITY;
            for (int k : allowed.get(i)) {
                StreamingProblem.Option o = u.options().get(k);
                double c =
                        optionCost(pr, o, rate[i], power[i])
                                + edgePrice * u.arrivalRate() * o.edgeTime();
                if (c < best) {
                    best = c;
                    opt[i] = k;
                }
            }
        }
    }

    private static double optionCost(
            StreamingProblem pr, StreamingProblem.Option o, double rate, double p) {
        double bits = 8.0 * o.payloadBytes();
        double tx = bits == 0 ? 0 : bits / rate;
        return o.ueLatency() + tx + o.edgeTime() + pr.beta() * (o.ueEnergy() + p * tx);
    }

    private static double edgeLoad(StreamingProblem pr, int[] opt) {
        double load = 0;
        for (int i = 0; i < opt.length; i++) {
            StreamingProblem.Ue u = pr.ues().get(i);
            load += u.arrivalRate() * u.options().get(opt[i]).edgeTime();
        }
        return load;
    }

    /** Power minimising (1 + beta p) / r(share, p): golden section on log p. */
    private static double bestPower(StreamingProblem pr, int i, double share) {
        StreamingProblem.Ue u = pr.ues().get(i);
        if (pr.beta() == 0) {
            return pr.pmax();
        }
        if (u.fixedRateBps() > 0) {
            return pr.pmax(); // a trace-given link: power does not change the rate
        }
        double lo = Math.log(pr.pmax() * MIN_POWER_FRACTION);
        double hi = Math.log(pr.pmax());
        double g = (Math.sqrt(5) - 1) / 2;
        double a = hi - g * (hi - lo);
        double b = lo + g * (hi - lo);
        double fa = powerCost(pr, u, share, Math.exp(a));
        double fb = powerCost(pr, u, share, Math.exp(b));
        for (int k = 0; k < GOLDEN_STEPS; k++) {
            if (fa < fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - g * (hi - lo);
                fa = powerCost(pr, u, share, Math.exp(a));
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + g * (hi - lo);
                fb = powerCost(pr, u, share, Math.exp(b));
            }
        }
        double p = Math.exp(0.5 * (lo + hi));
        return powerCost(pr, u, share, pr.pmax()) <= powerCost(pr, u, share, p) ? pr.pmax() : p;
    }

    private static double powerCost(
            StreamingProblem pr, StreamingProblem.Ue u, double share, double p) {
        return (1 + pr.beta() * p) / rate(pr, u, share, p);
    }

    /**
     * Shares minimising sum C_i / r_i(b_i) with sum b_i = 1, C_i = L_i (1 + beta p_i). The marginal
     * value of band, C r'(b) / r(b)^2, falls with b; bisection finds the multiplier at which the
     * shares that equalise it sum to one.
     */
    private static void allocateBand(
            StreamingProblem pr, int[] opt, double[] power, double[] share) {
        int n = opt.length;
        double[] c = new double[n];
        boolean any = false;
        for (int i = 0; i < n; i++) {
            StreamingProblem.Ue u = pr.ues().get(i);
            double bits = 8.0 * u.options().get(opt[i]).payloadBytes();
            c[i] = u.fixedRateBps() > 0 || bits == 0 ? 0 : bits * (1 + pr.beta() * power[i]);
            any |= c[i] > 0;
            share[i] = 0;
        }
        if (!any) {
            return;
        }
        double lo = Math.log(1e-30);
        double hi = Math.log(1e30);
        for (int k = 0; k < MU_STEPS; k++) {
            double mid = 0.5 * (lo + hi);
            double sum = sharesAt(pr, c, power, Math.exp(mid), share);
            if (sum > 1) {
                lo = mid; // band over-used: raise its price
            } else {
                hi = mid;
            }
        }
        double sum = sharesAt(pr, c, power, Math.exp(hi), share);
        if (sum > 0) {
            for (int i = 0; i < n; i++) {
                share[i] /= sum;
            }
        }
    }

    private static double sharesAt(
            StreamingProblem pr, double[] c, double[] power, double mu, double[] share) {
        double sum = 0;
        for (int i = 0; i < c.length; i++) {
            if (c[i] == 0) {
                share[i] = 0;
                continue;
            }
            StreamingProblem.Ue u = pr.ues().get(i);
            double lo = 1e-12;
            double hi = 1;
            if (marginal(pr, u, c[i], power[i], hi) >= mu) {
                share[i] = 1;
            } else {
                for (int k = 0; k < SHARE_STEPS; k++) {
                    double mid = Math.sqrt(lo * hi);
                    if (marginal(pr, u, c[i], power[i], mid) > mu) {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                share[i] = Math.sqrt(lo * hi);
            }
            sum += share[i];
        }
        return sum;
    }

    /** -d/db of C / r(b): the cost saved by a little more band. */
    private static double marginal(
            StreamingProblem pr, StreamingProblem.Ue u, double c, double p, double b) {
        double bw = b * pr.bandwidthHz();
        double x = p * u.gain() / (pr.noisePsd() * bw);
        double r = bw * Math.log1p(x) / LN2;
        double dr = pr.bandwidthHz() * (Math.log1p(x) - x / (1 + x)) / LN2;
        return c * dr / (r * r);
    }

    /** Latency + beta * energy of every UE for a given decision, and the plan. */
    public static StreamingPlan assemble(
            StreamingProblem pr, int[] opt, double[] share, double[] power, boolean feasible) {
        List<StreamingPlan.Assignment> out = new ArrayList<>(opt.length);
        double total = 0;
        for (int i = 0; i < opt.length; i++) {
            StreamingProblem.Ue u = pr.ues().get(i);
            StreamingProblem.Option o = u.options().get(opt[i]);
            double bits = 8.0 * o.payloadBytes();
            double r = bits == 0 ? 0 : rate(pr, u, share[i], power[i]);
            double tx = bits == 0 ? 0 : bits / r;
            double p = bits == 0 ? 0 : power[i];
            double latency = o.ueLatency() + tx + o.edgeTime();
            double energy = o.ueEnergy() + p * tx;
            if (u.arrivalRate() * tx >= 1) {
                feasible = false; // frames arrive faster than they can be uploaded
            }
            total += latency + pr.beta() * energy;
            out.add(
                    new StreamingPlan.Assignment(
                            opt[i],
                            o.point(),
                            o.bits(),
                            bits == 0 ? 0 : share[i],
                            p,
                            r,
                            latency,
                            energy));
        }
        if (edgeLoad(pr, opt) > pr.edgeCapacity() * (1 + 1e-12)) {
            feasible = false;
        }
        return new StreamingPlan(out, total, feasible);
    }
}
