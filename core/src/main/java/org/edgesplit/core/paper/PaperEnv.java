package org.edgesplit.core.paper;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The paper's multi-UE environment: slotted time, event-driven inside a slot, per-sub-channel
 * interference with rates recomputed at every event.
 *
 * <p>Order of operations (which UE is advanced first, when rates are refreshed, the 1e-10 s
 * tolerance for "finished") follows the authors' environment so that scripted scenarios match it to
 * rounding. The class allocates nothing per step: a training run takes hundreds of thousands of
 * steps.
 */
public final class PaperEnv {
    private static final int INFER = 0;
    private static final int OFFLOAD = 1;
    private static final int FREE = 2;

    /** A UE whose remaining time is within this of the step counts as done (reference value). */
    private static final double EPS_TIME = 1e-10;

    private final PaperSettings s;
    private final Dnn net;
    private final int n;

    private final double[] distance;
    private final double[] pathLoss;
    private final int[] point;
    private final int[] channel;
    private final int[] nextPoint;
    private final int[] nextChannel;
    private final double[] power;
    private final int[] left;
    private final int[] total;
    private final int[] phase;
    private final double[] timeLeft;
    private final double[] dataLeft;
    private final double[] inferPower;
    private final double[] rate;
    private final double[] energy;
    private final int[] finished;
    private final double[] channelPower;

    private double lastReward;
    private boolean done;
    private int slot;

    public PaperEnv(PaperSettings settings) {
        this.s = settings;
        this.net = settings.net();
        this.n = settings.users();
        distance = new double[n];
        pathLoss = new double[n];
        point = new int[n];
        channel = new int[n];
        nextPoint = new int[n];
        nextChannel = new int[n];
        power = new double[n];
        left = new int[n];
        total = new int[n];
        phase = new int[n];
        timeLeft = new double[n];
        dataLeft = new double[n];
        inferPower = new double[n];
        rate = new double[n];
        energy = new double[n];
        finished = new int[n];
        channelPower = new double[settings.channels()];
    }

    public PaperSettings settings() {
        return s;
    }

    /**
     * Starts an episode with given distances and task counts; every UE starts its first task with
     * the initial action. Task counts below 1 become 1, as {@code max(1, Poisson)} in the paper.
     */
    public void reset(
            double[] distances, int[] tasks, int initPoint, int initChannel, double initPower) {
        for (int i = 0; i < n; i++) {
            distance[i] = distances[i];
            pathLoss[i] = Channel.pathLoss(distances[i], s.pathLossExponent());
            point[i] = initPoint;
            channel[i] = initChannel;
            nextPoint[i] = initPoint;
            nextChannel[i] = initChannel;
            power[i] = initPower;
            left[i] = Math.max(1, tasks[i]);
            total[i] = left[i];
            rate[i] = 0;
            energy[i] = 0;
            finished[i] = 0;
            startTask(i);
        }
        done = false;
        slot = 0;
        lastReward = 0;
    }

    /** The paper's test episode: every UE at the test distance with exactly lambda tasks. */
    public void resetTest() {
        double[] d = new double[n];
        Arrays.fill(d, s.testDistance());
        int[] t = new int[n];
        Arrays.fill(t, s.lambda());
        reset(d, t, Dnn.LOCAL_ONLY, 0, PaperSettings.PMIN);
    }

    /**
     * The paper's training episode: uniform distances, Poisson task counts and a random initial
     * action per UE, all drawn from {@code rng}.
     */
    public void resetRandom(RandomGenerator rng) {
        resetRandom(rng, null);
    }

    /**
     * A training-like episode; if {@code fixedDistances} is non-null those distances are used
     * instead of uniform ones.
     */
    public void resetRandom(RandomGenerator rng, double[] fixedDistances) {
        double[] d = new double[n];
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            d[i] =
                    fixedDistances != null
                            ? fixedDistances[i]
                            : rng.nextDouble() * (s.dmax() - s.dmin()) + s.dmin();
            t[i] = poisson(rng, s.lambda());
        }
        reset(d, t, Dnn.LOCAL_ONLY, 0, PaperSettings.PMIN);
        for (int i = 0; i < n; i++) {
            point[i] = rng.nextInt(Dnn.POINTS);
            channel[i] = rng.nextInt(s.channels());
            power[i] = rng.nextDouble() * (s.pmax() - PaperSettings.PMIN) + PaperSettings.PMIN;
            nextPoint[i] = point[i];
            nextChannel[i] = channel[i];
            startTask(i);
        }
    }

    /** Knuth's method; lambda is at most a few hundred here, so exp(-lambda) does not underflow. */
    static int poisson(RandomGenerator rng, double lambda) {
        if (lambda <= 0) {
            return 0;
        }
        if (lambda > 600) {
            return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.nextGaussian()));
        }
        double limit = Math.exp(-lambda);
        double prod = rng.nextDouble();
        int k = 0;
        while (prod > limit) {
            prod *= rng.nextDouble();
            k++;
        }
        return k;
    }

    /**
     * Runs one slot. Points and sub-channels take effect at each UE's next task, powers at once.
     *
     * @return the team reward of the slot
     */
    public double step(int[] points, int[] channels, double[] powers) {
        for (int i = 0; i < n; i++) {
            nextPoint[i] = points[i];
            nextChannel[i] = channels[i];
            power[i] = powers[i];
            energy[i] = 0;
            finished[i] = 0;
        }
        double slotTime = s.slotTime();
        double inSlot = 0;
        double next = nextEventTime();
        while (inSlot + next < slotTime) {
            advance(next);
            inSlot += next;
            next = nextEventTime();
        }
        if (slotTime - inSlot > 0) {
            advance(slotTime - inSlot);
        }
        slot++;
        done = true;
        for (int i = 0; i < n; i++) {
            if (phase[i] != FREE) {
                done = false;
                break;
            }
        }
        double e = 0;
        double f = 0;
        for (int i = 0; i < n; i++) {
            e += energy[i];
            f += finished[i];
        }
        e /= n;
        f /= n;
        double denom = Math.max(f, 0.8);
        lastReward = -(slotTime / denom) - s.beta() * (e / denom);
        return lastReward;
    }

    private void startTask(int i) {
        int k = point[i];
        timeLeft[i] = net.frontLatency(k);
        dataLeft[i] = net.bits(k);
        if (k == Dnn.EDGE_ONLY) {
            phase[i] = OFFLOAD;
            inferPower[i] = 0;
        } else {
            phase[i] = INFER;
            inferPower[i] = net.frontPower(k);
        }
    }

    private void finishTask(int i) {
        finished[i]++;
        left[i]--;
        if (left[i] != 0) {
            point[i] = nextPoint[i];
            channel[i] = nextChannel[i];
            startTask(i);
        } else {
            phase[i] = FREE;
        }
    }

    /** Refreshes the rates of transmitting UEs and returns the time to the next event. */
    private double nextEventTime() {
        Arrays.fill(channelPower, 0);
        for (int i = 0; i < n; i++) {
            if (phase[i] == OFFLOAD) {
                channelPower[channel[i]] += power[i] / pathLoss[i];
            }
        }
        double min = s.slotTime();
        for (int i = 0; i < n; i++) {
            double t;
            if (phase[i] == OFFLOAD) {
                double own = power[i] / pathLoss[i];
                // Interference is the channel total minus one's own power, as the reference does.
                double interference = channelPower[channel[i]] - own;
                rate[i] = Channel.rate(s.channelWidthHz(), own, interference, s.noiseW());
                t = dataLeft[i] / rate[i];
            } else if (phase[i] == INFER) {
                t = timeLeft[i];
            } else {
                t = s.slotTime();
            }
            if (t < min) {
                min = t;
            }
        }
        return min;
    }

    private void advance(double dt) {
        for (int i = 0; i < n; i++) {
            if (phase[i] == INFER) {
                energy[i] += inferPower[i] * dt;
                if (timeLeft[i] - dt < EPS_TIME) {
                    timeLeft[i] = 0;
                    if (point[i] == Dnn.LOCAL_ONLY) {
                        finishTask(i);
                    } else {
                        phase[i] = OFFLOAD;
                    }
                } else {
                    timeLeft[i] -= dt;
                }
            } else if (phase[i] == OFFLOAD) {
                energy[i] += power[i] * dt;
                if (dataLeft[i] / rate[i] - dt < EPS_TIME) {
                    dataLeft[i] = 0;
                    finishTask(i);
                } else {
                    dataLeft[i] -= rate[i] * dt;
                }
            }
        }
    }

    /** Writes the state vector (4 entries per UE) into {@code out}. */
    public void state(double[] out) {
        double span = s.dmax() - s.dmin();
        for (int i = 0; i < n; i++) {
            int o = 4 * i;
            out[o] = (double) left[i] / total[i];
            out[o + 1] = timeLeft[i] / net.stateTimeNorm();
            out[o + 2] = dataLeft[i] / Dnn.RAW_IMAGE_BITS;
            out[o + 3] = (distance[i] - s.dmin()) / span;
        }
    }

    public double[] state() {
        double[] out = new double[s.stateDim()];
        state(out);
        return out;
    }

    public boolean done() {
        return done;
    }

    /** Slots run since the last reset. */
    public int slot() {
        return slot;
    }

    public double lastReward() {
        return lastReward;
    }

    /** Tasks finished by all UEs in the last slot. */
    public int finishedInSlot() {
        int f = 0;
        for (int i = 0; i < n; i++) {
            f += finished[i];
        }
        return f;
    }

    /** Joules used by all UEs in the last slot. */
    public double energyInSlot() {
        double e = 0;
        for (int i = 0; i < n; i++) {
            e += energy[i];
        }
        return e;
    }

    public double distance(int ue) {
        return distance[ue];
    }

    public double[] distances() {
        return distance.clone();
    }

    /** Tasks a UE still has to finish. */
    public int tasksLeft(int ue) {
        return left[ue];
    }

    public int totalTasks(int ue) {
        return total[ue];
    }
}
