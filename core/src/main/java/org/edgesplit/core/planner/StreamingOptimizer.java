package org.edgesplit.core.planner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Training-free planner for the streaming model. Alternates three exact-or-convex steps, a few
 * rounds:
 *
 * <ol>
 *   <li>options: each UE takes the (point, bits) option with the smallest latency + beta * energy
 *       at its current rate, among options meeting the accuracy floor, with a price on edge time
 *       raised by bisection until the edge capacity holds;
 *   <li>power: per UE, the power minimising upload time + beta * upload energy at its share. The
 *       cost (1 + beta p) / r(p) is unimodal in p and its stationary point solves {@code (1 + x)
 *       ln(1 + x) - x = q / beta} with {@code x = p q} the SNR, {@code q = g / (N0 b B)}: a
 *       safeguarded Newton iteration on log x (the left side is almost a power of x), then clipped
 *       to [1e-6 pmax, pmax];
 *   <li>bandwidth: the shares minimising the sum of (1 + beta p_i) L_i / r_i(b_i), a convex
 *       problem: find the KKT multiplier mu at which the shares equalising the marginal value of
 *       band sum to one. Each UE's share for a given mu is found by Newton on log SNR (the marginal
 *       value is almost a power of the SNR, so 1-3 steps from a warm start suffice), and mu by a
 *       bracketed Newton iteration on log mu (the sum of shares is almost a power of mu),
 *       warm-started from the previous round.
 * </ol>
 *
 * Cost is O(rounds * n * a few Newton steps); no allocation inside the rounds. {@link
 * BisectionReference} in the tests is the earlier all-bisection version this one is checked
 * against.
 */
public final class StreamingOptimizer implements Planner<StreamingProblem, StreamingPlan> {
    private static final double LN2 = Math.log(2);
    private static final int ROUNDS = 6;

    /** Bisection steps for the edge price (over a doubling bracket). */
    private static final int BISECT = 50;

    private static final double MIN_POWER_FRACTION = 1e-6;

    /** Shares live in [MIN_SHARE, 1], the multiplier in [1e-30, 1e30] (as the bisection had). */
    private static final double MIN_SHARE = 1e-12;

    private static final double LOG_MAX_X_OVER_A = -Math.log(MIN_SHARE);
    private static final double LOG_MU_LO = Math.log(1e-30);
    private static final double LOG_MU_HI = Math.log(1e30);

    /** Below this SNR the closed forms cancel; their series are used instead. */
    private static final double SERIES_BELOW = 1e-2;

    private static final int MAX_NEWTON = 60;

    /** F(x) / x^2 = sum_{k >= 2} (-1)^k x^(k-2) / (k (k - 1)). */
    private static final double[] F_SERIES = {
        1.0 / 2, -1.0 / 6, 1.0 / 12, -1.0 / 20, 1.0 / 30, -1.0 / 42, 1.0 / 56, -1.0 / 72
    };

    /** h(x) / x^2 = sum_{k >= 2} (-1)^k (k - 1) / k x^(k-2). */
    private static final double[] H_SERIES = {
        1.0 / 2, -2.0 / 3, 3.0 / 4, -4.0 / 5, 5.0 / 6, -6.0 / 7, 7.0 / 8, -8.0 / 9, 9.0 / 10
    };

    @Override
    public String name() {
        return "streaming-alternating";
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

    /** The problem flattened into arrays, scratch space and the warm starts of one solve. */
    private static final class Work {
        final StreamingProblem pr;
        final int n;
        final double beta;
        final double pmax;
        final double noiseBand;
        final double logBandPerLn2;
        final double[] gain;
        final double[] fixedRate;
        final double[] arrival;
        final int[][] allowed;
        final double[][] ueLatency;
        final double[][] ueEnergy;
        final double[][] edgeTime;
        final double[][] payloadBits;
        final double[] rate;

        // band allocation: per UE cost weight, SNR at the whole band, log of it, the offset of the
        // target log phi from log mu, log phi at the share bounds, and the current log SNR
        final double[] c;
        final double[] a;
        final double[] logA;
        final double[] offset;
        final double[] logPhiFull;
        final double[] logPhiMin;
        final double[] u;
        double logMu = Double.NaN;
        double dSum;

        Work(StreamingProblem pr) {
            this.pr = pr;
            n = pr.ues().size();
            beta = pr.beta();
            pmax = pr.pmax();
            noiseBand = pr.noisePsd() * pr.bandwidthHz();
            logBandPerLn2 = Math.log(pr.bandwidthHz() / LN2);
            gain = new double[n];
            fixedRate = new double[n];
            arrival = new double[n];
            allowed = new int[n][];
            ueLatency = new double[n][];
            ueEnergy = new double[n][];
            edgeTime = new double[n][];
            payloadBits = new double[n][];
            rate = new double[n];
            c = new double[n];
            a = new double[n];
            logA = new double[n];
            offset = new double[n];
            logPhiFull = new double[n];
            logPhiMin = new double[n];
            u = new double[n];
            Arrays.fill(u, Double.NaN);
            for (int i = 0; i < n; i++) {
                StreamingProblem.Ue ue = pr.ues().get(i);
                gain[i] = ue.gain();
                fixedRate[i] = ue.fixedRateBps();
                arrival[i] = ue.arrivalRate();
                List<StreamingProblem.Option> opts = ue.options();
                int m = opts.size();
                ueLatency[i] = new double[m];
                ueEnergy[i] = new double[m];
                edgeTime[i] = new double[m];
                payloadBits[i] = new double[m];
                for (int k = 0; k < m; k++) {
                    StreamingProblem.Option o = opts.get(k);
                    ueLatency[i][k] = o.ueLatency();
                    ueEnergy[i][k] = o.ueEnergy();
                    edgeTime[i][k] = o.edgeTime();
                    payloadBits[i][k] = 8.0 * o.payloadBytes();
                }
            }
        }
    }

    @Override
    public StreamingPlan plan(StreamingProblem pr) {
        Work w = new Work(pr);
        int n = w.n;
        int[] option = new int[n];
        double[] share = new double[n];
        double[] power = new double[n];
        boolean feasible = true;
        for (int i = 0; i < n; i++) {
            List<StreamingProblem.Option> opts = pr.ues().get(i).options();
            int[] ok = new int[opts.size()];
            int count = 0;
            int mostAccurate = 0;
            for (int k = 0; k < opts.size(); k++) {
                if (opts.get(k).accuracy() >= pr.accuracyFloor()) {
                    ok[count++] = k;
                }
                if (opts.get(k).accuracy() > opts.get(mostAccurate).accuracy()) {
                    mostAccurate = k;
                }
            }
            if (count == 0) {
                ok[count++] = mostAccurate;
                feasible = false;
            }
            w.allowed[i] = Arrays.copyOf(ok, count);
            share[i] = 1.0 / n;
            power[i] = pr.pmax();
        }
        int[] previous = new int[n];
        for (int round = 0; round < ROUNDS; round++) {
            feasible &= chooseOptions(w, share, power, option);
            if (round > 1 && Arrays.equals(option, previous)) {
                break; // options stable: shares and powers were computed for them already
            }
            System.arraycopy(option, 0, previous, 0, n);
            for (int i = 0; i < n; i++) {
                power[i] = bestPower(w, i, Math.max(share[i], 1e-9));
            }
            allocateBand(w, option, power, share);
            for (int i = 0; i < n; i++) {
                power[i] = bestPower(w, i, Math.max(share[i], 1e-9));
            }
        }
        return assemble(pr, option, share, power, feasible);
    }

    /** Picks options at the current rates; returns false if the edge capacity cannot be met. */
    private static boolean chooseOptions(Work w, double[] share, double[] power, int[] opt) {
        int n = w.n;
        int senders = 0;
        for (int i = 0; i < n; i++) {
            if (share[i] > 0) {
                senders++;
            }
        }
        // A UE with no share yet is priced at what it would get as one more sender.
        double guess = 1.0 / (senders + 1);
        double[] rate = w.rate;
        for (int i = 0; i < n; i++) {
            rate[i] = rate(w.pr, w.pr.ues().get(i), share[i] > 0 ? share[i] : guess, power[i]);
        }
        double capacity = w.pr.edgeCapacity();
        pick(w, rate, power, 0, opt);
        if (edgeLoad(w, opt) <= capacity) {
            return true;
        }
        double lo = 0;
        double hi = 1;
        while (hi < 1e12) {
            pick(w, rate, power, hi, opt);
            if (edgeLoad(w, opt) <= capacity) {
                break;
            }
            hi *= 4;
        }
        for (int k = 0; k < BISECT; k++) {
            double mid = 0.5 * (lo + hi);
            pick(w, rate, power, mid, opt);
            if (edgeLoad(w, opt) <= capacity) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        pick(w, rate, power, hi, opt);
        return edgeLoad(w, opt) <= capacity;
    }

    private static void pick(Work w, double[] rate, double[] power, double edgePrice, int[] opt) {
        double beta = w.beta;
        for (int i = 0; i < w.n; i++) {
            double[] lat = w.ueLatency[i];
            double[] en = w.ueEnergy[i];
            double[] edge = w.edgeTime[i];
            double[] bits = w.payloadBits[i];
            double r = rate[i];
            double p = power[i];
            double lambda = w.arrival[i];
            double best = Double.POSITIVE_INFINITY;
            for (int k : w.allowed[i]) {
                // same expression (and rounding) as latency + beta * energy in assemble
                double tx = bits[k] == 0 ? 0 : bits[k] / r;
                double c =
                        lat[k]
                                + tx
                                + edge[k]
                                + beta * (en[k] + p * tx)
                                + edgePrice * lambda * edge[k];
                if (c < best) {
                    best = c;
                    opt[i] = k;
                }
            }
        }
    }

    private static double edgeLoad(Work w, int[] opt) {
        double load = 0;
        for (int i = 0; i < opt.length; i++) {
            load += w.arrival[i] * w.edgeTime[i][opt[i]];
        }
        return load;
    }

    /**
     * Power minimising (1 + beta p) / r(share, p) over [1e-6 pmax, pmax]. With q = g / (N0 b B) and
     * x = p q, the derivative vanishes where F(x) = (1 + x) ln(1 + x) - x = q / beta; F grows, so
     * the cost falls below that x and rises above it.
     */
    private static double bestPower(Work w, int i, double share) {
        if (w.beta == 0 || w.fixedRate[i] > 0) {
            return w.pmax; // no energy price, or a trace-given link: power does not matter
        }
        double q = w.gain[i] / (w.noiseBand * share);
        if (!(q > 0) || Double.isInfinite(q)) {
            return w.pmax;
        }
        double pmin = w.pmax * MIN_POWER_FRACTION;
        double logK = Math.log(q / w.beta);
        if (logF(w.pmax * q) <= logK) {
            return w.pmax; // still falling at pmax
        }
        if (logF(pmin * q) >= logK) {
            return pmin; // already rising at the lower bound
        }
        // Newton on log x: d log F / d log x = x ln(1 + x) / F lies in [1, 2].
        double lo = Math.log(pmin * q);
        double hi = Math.log(w.pmax * q);
        double v = 0.5 * (lo + hi);
        for (int it = 0; it < MAX_NEWTON; it++) {
            double x = Math.exp(v);
            double f = fOf(x);
            double g = Math.log(f) - logK;
            if (g > 0) {
                hi = v;
            } else {
                lo = v;
            }
            double step = -g * f / (x * Math.log1p(x));
            double next = v + step;
            if (!(next > lo && next < hi)) {
                next = 0.5 * (lo + hi);
            }
            if (Math.abs(next - v) < 1e-12) {
                v = next;
                break;
            }
            v = next;
        }
        return Math.min(w.pmax, Math.max(pmin, Math.exp(v) / q));
    }

    /** F(x) = (1 + x) ln(1 + x) - x, by its series where the closed form cancels. */
    private static double fOf(double x) {
        if (x < SERIES_BELOW) {
            return x * x * series(F_SERIES, x);
        }
        return (1 + x) * Math.log1p(x) - x;
    }

    private static double logF(double x) {
        return Math.log(fOf(x));
    }

    /** h(x) = ln(1 + x) - x / (1 + x), by its series where the closed form cancels. */
    private static double hOf(double x, double log1p) {
        if (x < SERIES_BELOW) {
            return x * x * series(H_SERIES, x);
        }
        return log1p - x / (1 + x);
    }

    /** sum_j coef[j] x^j by Horner's rule. */
    private static double series(double[] coef, double x) {
        double s = 0;
        for (int j = coef.length - 1; j >= 0; j--) {
            s = s * x + coef[j];
        }
        return s;
    }

    /**
     * log phi(x) with phi(x) = x^2 h(x) / ln(1 + x)^2. With x = a / b the SNR of a share b, the
     * marginal value of band is -d/db (C / r(b)) = C phi(x) / (B/ln2 a^2).
     */
    private static double logPhi(double x) {
        double l = Math.log1p(x);
        return 2 * Math.log(x) + Math.log(hOf(x, l)) - 2 * Math.log(l);
    }

    /**
     * Shares minimising sum C_i / r_i(b_i) with sum b_i = 1, C_i = L_i (1 + beta p_i). The marginal
     * value of band falls with b; the multiplier mu at which the shares that equalise it sum to one
     * is found by a bracketed Newton iteration on log mu.
     */
    private static void allocateBand(Work w, int[] opt, double[] power, double[] share) {
        int n = opt.length;
        boolean any = false;
        int senders = 0;
        for (int i = 0; i < n; i++) {
            if (share[i] > 0) {
                senders++;
            }
        }
        double startSum = 0;
        int startCount = 0;
        for (int i = 0; i < n; i++) {
            double bits = w.payloadBits[i][opt[i]];
            double ci = w.fixedRate[i] > 0 || bits == 0 ? 0 : bits * (1 + w.beta * power[i]);
            w.c[i] = ci;
            if (ci == 0) {
                share[i] = 0;
                continue;
            }
            any = true;
            double ai = power[i] * w.gain[i] / w.noiseBand;
            w.a[i] = ai;
            if (!(ai > 0) || Double.isInfinite(ai)) {
                continue; // no usable link: left at the smallest share below
            }
            double la = Math.log(ai);
            w.logA[i] = la;
            w.offset[i] = w.logBandPerLn2 + 2 * la - Math.log(ci);
            w.logPhiFull[i] = logPhi(ai);
            w.logPhiMin[i] = logPhi(ai / MIN_SHARE);
            // warm start: the SNR this UE's previous share would give at its new power
            double b = share[i] > 0 ? share[i] : 1.0 / (senders + 1);
            w.u[i] = clampU(w, i, la - Math.log(b));
            startSum += logPhi(Math.exp(w.u[i])) - w.offset[i];
            startCount++;
        }
        if (!any) {
            return;
        }
        double t;
        if (!Double.isNaN(w.logMu)) {
            t = w.logMu;
        } else if (startCount > 0) {
            t = startSum / startCount;
        } else {
            t = 0;
        }
        t = Math.min(LOG_MU_HI, Math.max(LOG_MU_LO, t));
        double lo = LOG_MU_LO;
        double hi = LOG_MU_HI;
        double sum = 0;
        for (int it = 0; it < 200; it++) {
            sum = sharesAt(w, t, share);
            if (sum > 1) {
                lo = t; // band over-used: raise its price
            } else {
                hi = t;
            }
            double g = Math.log(sum);
            if (Math.abs(g) < 1e-13 || hi - lo < 1e-12) {
                break;
            }
            double next = t - g * sum / w.dSum;
            if (!(next > lo && next < hi)) {
                next = 0.5 * (lo + hi);
            }
            if (Math.abs(next - t) < 1e-13) {
                break;
            }
            t = next;
        }
        w.logMu = t;
        if (sum > 0) {
            for (int i = 0; i < n; i++) {
                share[i] /= sum;
            }
        }
    }

    private static double clampU(Work w, int i, double v) {
        double la = w.logA[i];
        return Math.min(la + LOG_MAX_X_OVER_A, Math.max(la, v));
    }

    /**
     * Each UE's share at multiplier e^t (Newton on its log SNR from the last one); returns their
     * sum and leaves d(sum)/dt in {@code w.dSum}.
     */
    private static double sharesAt(Work w, double t, double[] share) {
        double sum = 0;
        double dSum = 0;
        for (int i = 0; i < w.n; i++) {
            if (w.c[i] == 0) {
                continue;
            }
            double ai = w.a[i];
            if (!(ai > 0) || Double.isInfinite(ai)) {
                share[i] = MIN_SHARE;
                sum += MIN_SHARE;
                continue;
            }
            double target = t + w.offset[i];
            if (target <= w.logPhiFull[i]) {
                share[i] = 1; // worth more than mu even with the whole band
                w.u[i] = w.logA[i];
            } else if (target >= w.logPhiMin[i]) {
                share[i] = MIN_SHARE;
                w.u[i] = w.logA[i] + LOG_MAX_X_OVER_A;
            } else {
                double v = w.u[i];
                double lo = w.logA[i];
                double hi = lo + LOG_MAX_X_OVER_A;
                double slope = 2;
                for (int it = 0; it < MAX_NEWTON; it++) {
                    double x = Math.exp(v);
                    double l = Math.log1p(x);
                    double h = hOf(x, l);
                    double g = 2 * Math.log(x) + Math.log(h) - 2 * Math.log(l) - target;
                    // d log phi / d log x
                    double ox = 1 + x;
                    slope = 2 + x * x / (ox * ox * h) - 2 * x / (ox * l);
                    if (g > 0) {
                        hi = v;
                    } else {
                        lo = v;
                    }
                    double next = v - g / slope;
                    if (!(next > lo && next < hi)) {
                        next = 0.5 * (lo + hi);
                    }
                    double step = Math.abs(next - v);
                    v = next;
                    if (step < 1e-10) {
                        break;
                    }
                }
                w.u[i] = v;
                double b = Math.exp(w.logA[i] - v);
                share[i] = b;
                dSum -= b / slope; // d log b / d log mu = -1 / slope
            }
            sum += share[i];
        }
        w.dSum = dSum;
        return sum;
    }

    /** Latency + beta * energy of every UE for a given decision, and the plan. */
    public static StreamingPlan assemble(
            StreamingProblem pr, int[] opt, double[] share, double[] power, boolean feasible) {
        List<StreamingPlan.Assignment> out = new ArrayList<>(opt.length);
        double total = 0;
        double load = 0;
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
            load += u.arrivalRate() * o.edgeTime();
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
        if (load > pr.edgeCapacity() * (1 + 1e-12)) {
            feasible = false;
        }
        return new StreamingPlan(out, total, feasible);
    }
}
