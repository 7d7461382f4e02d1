package org.edgesplit.core.mahppo;

/** The pure pieces of PPO: GAE, advantage normalisation and the clipped surrogate. */
public final class PpoMath {
    private PpoMath() {}

    /**
     * Generalised advantage estimation over a rollout that may span several episodes.
     *
     * <p>{@code targets[t] = r_t + gamma (1 - done_t) V(s_{t+1})} is the critic's TD(0) target (the
     * paper's critic regresses on it) and {@code adv[t] = delta_t + gamma lam (1 - done_t)
     * adv[t+1]}. The value after the last step of the rollout is taken as 0, as in the reference.
     */
    public static void gae(
            double[] rewards,
            boolean[] dones,
            double[] values,
            int length,
            double gamma,
            double lam,
            double[] targets,
            double[] advantages) {
        double nextValue = 0;
        double nextAdv = 0;
        for (int t = length - 1; t >= 0; t--) {
            double mask = dones[t] ? 0 : 1;
            targets[t] = rewards[t] + mask * gamma * nextValue;
            double delta = targets[t] - values[t];
            advantages[t] = delta + mask * gamma * lam * nextAdv;
            nextValue = values[t];
            nextAdv = advantages[t];
        }
    }

    /** {@code (a - mean) / (std + 1e-5)} in place, with the unbiased std as torch computes it. */
    public static void normalize(double[] a, int length) {
        double mean = 0;
        for (int i = 0; i < length; i++) {
            mean += a[i];
        }
        mean /= length;
        double var = 0;
        for (int i = 0; i < length; i++) {
            double d = a[i] - mean;
            var += d * d;
        }
        double std = length > 1 ? Math.sqrt(var / (length - 1)) : 0;
        for (int i = 0; i < length; i++) {
            a[i] = (a[i] - mean) / (std + 1e-5);
        }
    }

    /** The clipped surrogate loss {@code -min(rho A, clip(rho, 1-eps, 1+eps) A)}. */
    public static double clippedLoss(double ratio, double advantage, double eps) {
        double clipped = Math.max(1 - eps, Math.min(1 + eps, ratio));
        return -Math.min(ratio * advantage, clipped * advantage);
    }

    /**
     * Derivative of {@link #clippedLoss} with respect to the new log-probability: {@code -A rho}
     * while the unclipped term is the minimum, 0 once clipping has taken over.
     */
    public static double clippedLossGradLogp(double ratio, double advantage, double eps) {
        double clipped = Math.max(1 - eps, Math.min(1 + eps, ratio));
        return ratio * advantage <= clipped * advantage ? -advantage * ratio : 0;
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    static double softplus(double x) {
        return x > 30 ? x : Math.log1p(Math.exp(x));
    }

    static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
}
