package org.edgesplit.core.mahppo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.edgesplit.core.paper.Dnn;
import org.edgesplit.core.paper.Episodes;
import org.edgesplit.core.paper.PaperEnv;
import org.edgesplit.core.paper.PaperSettings;

/**
 * Multi-agent hybrid PPO (the paper's solver): one actor per UE over the global state, one
 * centralised critic. Reads top to bottom: collect {@code rolloutSteps} slots, compute GAE with the
 * critic, then run minibatch updates of every actor and the critic.
 */
public final class MahppoTrainer {
    private final PaperSettings settings;
    private final MahppoConfig cfg;
    private final Consumer<Map<String, Double>> log;
    private final SplittableRandom rng;
    private final ActorNet[] actors;
    private final Mlp critic;
    private final int n;
    private final int stateDim;

    // rollout buffer
    private final float[][] states;
    private final double[] rewards;
    private final boolean[] dones;
    private final HybridPpoLoss.Rollout[] old;
    private final double[] values;
    private final double[] targets;
    private final double[] advantages;

    private int adamStep;
    private double lastUpdateMillis;

    /**
     * @param log receives one map of metrics ({@code losses/...}, {@code charts/...}) per update
     */
    public MahppoTrainer(
            PaperSettings settings, MahppoConfig cfg, Consumer<Map<String, Double>> log) {
        this.settings = settings;
        this.cfg = cfg;
        this.log = log;
        this.rng = new SplittableRandom(cfg.seed());
        this.n = settings.users();
        this.stateDim = settings.stateDim();
        int rows = Math.max(cfg.minibatchSize(), 1);
        actors = new ActorNet[n];
        for (int i = 0; i < n; i++) {
            actors[i] =
                    new ActorNet(
                            stateDim,
                            cfg.actorBody(),
                            cfg.actorHead(),
                            Dnn.POINTS,
                            settings.channels(),
                            settings.pmax(),
                            rows,
                            rng);
        }
        int[] criticSizes = new int[cfg.criticHidden().length + 2];
        criticSizes[0] = stateDim;
        System.arraycopy(cfg.criticHidden(), 0, criticSizes, 1, cfg.criticHidden().length);
        criticSizes[criticSizes.length - 1] = 1;
        critic = new Mlp(criticSizes, false, rows, rng);

        int t = cfg.rolloutSteps();
        states = new float[t][stateDim];
        rewards = new double[t];
        dones = new boolean[t];
        old = new HybridPpoLoss.Rollout[n];
        for (int i = 0; i < n; i++) {
            old[i] =
                    new HybridPpoLoss.Rollout(
                            new int[t],
                            new int[t],
                            new double[t],
                            new double[t],
                            new double[t],
                            new double[t]);
        }
        values = new double[t];
        targets = new double[t];
        advantages = new double[t];
    }

    /** The current actors as a deterministic policy (shares the live networks). */
    public MahppoPolicy policy() {
        return new MahppoPolicy(
                settings.net().id(),
                stateDim,
                settings.channels(),
                settings.pmax(),
                cfg.actorBody(),
                cfg.actorHead(),
                actors);
    }

    /** Wall time of the last update (all minibatches), in ms. */
    public double lastUpdateMillis() {
        return lastUpdateMillis;
    }

    /** Trains for {@code cfg.totalSteps()} environment steps and returns the policy. */
    public MahppoPolicy train() {
        ExecutorService pool =
                cfg.threads() > 1 ? Executors.newFixedThreadPool(cfg.threads(), daemon()) : null;
        try {
            PaperEnv env = new PaperEnv(settings);
            int cap = settings.trainingSlotCap();
            float[][] one = new float[1][stateDim];
            int[] points = new int[n];
            int[] chans = new int[n];
            double[] powers = new double[n];
            long step = 0;
            int pos = 0;
            int updates = 0;
            long episodes = 0;
            List<Double> returns = new ArrayList<>();
            long started = System.nanoTime();
            while (step < cfg.totalSteps()) {
                env.resetRandom(rng);
                double[] state = env.state();
                double episodeReturn = 0;
                for (int j = 0; j < cap && step < cfg.totalSteps(); j++) {
                    toFloat(state, states[pos]);
                    System.arraycopy(states[pos], 0, one[0], 0, stateDim);
                    for (int i = 0; i < n; i++) {
                        sampleAction(i, one, pos, points, chans, powers);
                    }
                    double r = env.step(points, chans, powers);
                    rewards[pos] = r;
                    dones[pos] = env.done();
                    episodeReturn += r;
                    state = env.state();
                    step++;
                    pos++;
                    if (pos == cfg.rolloutSteps()) {
                        Map<String, Double> m = update(pool);
                        updates++;
                        pos = 0;
                        m.put("charts/global_step", (double) step);
                        m.put("charts/episodes", (double) episodes);
                        if (!returns.isEmpty()) {
                            m.put(
                                    "charts/episodic_return",
                                    returns.stream()
                                            .mapToDouble(Double::doubleValue)
                                            .average()
                                            .orElse(0));
                            returns.clear();
                        }
                        if (cfg.testEvery() > 0 && updates % cfg.testEvery() == 0) {
                            Episodes.Result t =
                                    Episodes.test(policy(), settings, 10 * Math.max(cap, 1));
                            m.put("charts/test_reward", t.reward());
                            m.put("charts/test_time_per_task", t.timePerTask());
                            m.put("charts/test_energy_per_task", t.energyPerTask());
                        }
                        m.put("charts/sps", step / ((System.nanoTime() - started) / 1e9));
                        log.accept(m);
                    }
                    if (env.done()) {
                        break;
                    }
                }
                episodes++;
                returns.add(episodeReturn);
            }
            return policy();
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private static void toFloat(double[] src, float[] dst) {
        for (int k = 0; k < dst.length; k++) {
            dst[k] = (float) src[k];
        }
    }

    private void sampleAction(
            int i, float[][] one, int pos, int[] points, int[] chans, double[] powers) {
        ActorNet a = actors[i];
        a.forward(one, 1);
        HybridPpoLoss.Rollout o = old[i];
        int p = sampleCategorical(a.pointLogits[0], a.points(), o.logpPoint(), pos);
        int c = sampleCategorical(a.channelLogits[0], a.channels(), o.logpChannel(), pos);
        double mu = a.mu(0);
        double sigma = a.sigma(0);
        double x = mu + sigma * rng.nextGaussian();
        double z = (x - mu) / sigma;
        o.point()[pos] = p;
        o.channel()[pos] = c;
        o.power()[pos] = x;
        o.logpPower()[pos] = -0.5 * z * z - Math.log(sigma) - PpoMath.LOG_SQRT_2PI;
        points[i] = p;
        chans[i] = c;
        // The log-probability is of the raw Gaussian sample; the env gets it clamped, as the
        // reference does.
        powers[i] = Math.max(PaperSettings.PMIN, Math.min(settings.pmax(), x));
    }

    private int sampleCategorical(double[] logits, int k, double[] logpOut, int pos) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, logits[j]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            sum += Math.exp(logits[j] - max);
        }
        double u = rng.nextDouble() * sum;
        int pick = k - 1;
        double acc = 0;
        for (int j = 0; j < k; j++) {
            acc += Math.exp(logits[j] - max);
            if (u < acc) {
                pick = j;
                break;
            }
        }
        logpOut[pos] = logits[pick] - max - Math.log(sum);
        return pick;
    }

    /** One PPO update over the full rollout buffer. */
    private Map<String, Double> update(ExecutorService pool) {
        long t0 = System.nanoTime();
        int t = cfg.rolloutSteps();
        int b = cfg.minibatchSize();
        // critic values of every stored state, in chunks the critic's buffers can hold
        float[][] chunk = new float[b][];
        for (int off = 0; off < t; off += b) {
            int len = Math.min(b, t - off);
            System.arraycopy(states, off, chunk, 0, len);
            float[][] v = critic.forward(chunk, len);
            for (int r = 0; r < len; r++) {
                values[off + r] = v[r][0];
            }
        }
        PpoMath.gae(rewards, dones, values, t, cfg.gamma(), cfg.gaeLambda(), targets, advantages);
        PpoMath.normalize(advantages, t);

        int[] idx = new int[b];
        float[][] batch = new float[b][];
        double[][][] gP = new double[n][b][Dnn.POINTS];
        double[][][] gC = new double[n][b][settings.channels()];
        double[][][] gM = new double[n][b][1];
        double[][][] gS = new double[n][b][1];
        double[][] ent = new double[n][3];
        double[] actorLoss = new double[n];
        float[][] gV = new float[b][1];
        double[] criticLoss = new double[1];
        double scale = 1.0 / (3.0 * n * b);
        double sumActor = 0;
        double sumCritic = 0;
        double[] sumEnt = new double[3];
        int iters = cfg.minibatchesPerUpdate();
        List<Callable<Void>> jobs = new ArrayList<>(n + 1);
        for (int i = 0; i < n; i++) {
            final int a = i;
            jobs.add(
                    () -> {
                        ActorNet net = actors[a];
                        net.zeroGrad();
                        net.forward(batch, b);
                        actorLoss[a] =
                                HybridPpoLoss.lossAndGrad(
                                        net,
                                        b,
                                        idx,
                                        old[a],
                                        advantages,
                                        cfg.clipEps(),
                                        cfg.entropyCoef(),
                                        scale,
                                        gP[a],
                                        gC[a],
                                        gM[a],
                                        gS[a],
                                        ent[a]);
                        net.backward(gP[a], gC[a], gM[a], gS[a], b);
                        net.adam(cfg.actorLr(), adamStep);
                        return null;
                    });
        }
        jobs.add(
                () -> {
                    critic.zeroGrad();
                    float[][] v = critic.forward(batch, b);
                    double loss = 0;
                    for (int r = 0; r < b; r++) {
                        double d = v[r][0] - targets[idx[r]];
                        loss += d * d;
                        gV[r][0] = (float) (2 * d / b);
                    }
                    criticLoss[0] = loss / b;
                    critic.backward(gV, b, false);
                    critic.adam(cfg.criticLr(), adamStep);
                    return null;
                });
        for (int it = 0; it < iters; it++) {
            for (int r = 0; r < b; r++) {
                idx[r] = rng.nextInt(t);
                batch[r] = states[idx[r]];
            }
            adamStep++;
            runAll(pool, jobs);
            for (int i = 0; i < n; i++) {
                sumActor += actorLoss[i];
                for (int k = 0; k < 3; k++) {
                    sumEnt[k] += ent[i][k] / n;
                }
            }
            sumCritic += criticLoss[0];
        }
        lastUpdateMillis = (System.nanoTime() - t0) / 1e6;
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("losses/actor_loss", sumActor / iters);
        m.put("losses/critic_loss", sumCritic / iters);
        m.put("losses/entropy_point", sumEnt[0] / iters);
        m.put("losses/entropy_channel", sumEnt[1] / iters);
        m.put("losses/entropy_power", sumEnt[2] / iters);
        double meanReward = 0;
        for (int k = 0; k < t; k++) {
            meanReward += rewards[k] / t;
        }
        m.put("charts/mean_step_reward", meanReward);
        m.put("charts/update_ms", lastUpdateMillis);
        return m;
    }

    private static void runAll(ExecutorService pool, List<Callable<Void>> jobs) {
        try {
            if (pool == null) {
                for (Callable<Void> j : jobs) {
                    j.call();
                }
                return;
            }
            for (Future<Void> f : pool.invokeAll(jobs)) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("MAHPPO update failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("MAHPPO update failed", e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return r -> {
            Thread th = new Thread(r, "mahppo-update");
            th.setDaemon(true);
            return th;
        };
    }

    /** Runs one update on a rollout of random actions; for benchmarks. Returns ms. */
    public double benchmarkUpdate() {
        ExecutorService pool =
                cfg.threads() > 1 ? Executors.newFixedThreadPool(cfg.threads(), daemon()) : null;
        try {
            PaperEnv env = new PaperEnv(settings);
            env.resetRandom(rng);
            float[][] one = new float[1][stateDim];
            int[] points = new int[n];
            int[] chans = new int[n];
            double[] powers = new double[n];
            for (int pos = 0; pos < cfg.rolloutSteps(); pos++) {
                if (env.done()) {
                    env.resetRandom(rng);
                }
                toFloat(env.state(), states[pos]);
                System.arraycopy(states[pos], 0, one[0], 0, stateDim);
                for (int i = 0; i < n; i++) {
                    sampleAction(i, one, pos, points, chans, powers);
                }
                rewards[pos] = env.step(points, chans, powers);
                dones[pos] = env.done();
            }
            update(pool);
            return lastUpdateMillis;
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }
}
