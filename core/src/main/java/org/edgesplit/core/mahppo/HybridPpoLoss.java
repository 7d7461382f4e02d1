package org.edgesplit.core.mahppo;

/**
 * The per-branch clipped PPO loss of one actor on a minibatch: each of the three action branches
 * (point, sub-channel, power) has its own probability ratio, all share the advantage, and each
 * carries its own entropy bonus. Writes the gradient with respect to the heads' outputs.
 */
final class HybridPpoLoss {
    private HybridPpoLoss() {}

    /** Old actions and log-probabilities of one actor, indexed by rollout step. */
    record Rollout(
            int[] point,
            int[] channel,
            double[] power,
            double[] logpPoint,
            double[] logpChannel,
            double[] logpPower) {}

    /**
     * Loss of {@code net} (already run forward on the minibatch rows) times {@code scale}, and its
     * gradient (also times {@code scale}) in the four head buffers.
     *
     * @param idx rollout step of each minibatch row
     * @param stats receives the mean entropies of the three branches (length 3), or null
     */
    static double lossAndGrad(
            ActorNet net,
            int rows,
            int[] idx,
            Rollout old,
            double[] adv,
            double eps,
            double entropyCoef,
            double scale,
            double[][] gPoint,
            double[][] gChannel,
            double[][] gMu,
            double[][] gSigma,
            double[] stats) {
        double loss = 0;
        double hPointSum = 0;
        double hChanSum = 0;
        double hPowSum = 0;
        int points = net.points();
        int channels = net.channels();
        double[] prob = new double[Math.max(points, channels)];
        double[] logProb = new double[prob.length];
        double[] h = new double[1];
        for (int r = 0; r < rows; r++) {
            int t = idx[r];
            double a = adv[t];

            loss +=
                    categorical(
                            net.pointLogits[r],
                            points,
                            old.point()[t],
                            old.logpPoint()[t],
                            a,
                            eps,
                            entropyCoef,
                            scale,
                            gPoint[r],
                            prob,
                            logProb,
                            h);
            hPointSum += h[0];
            loss +=
                    categorical(
                            net.channelLogits[r],
                            channels,
                            old.channel()[t],
                            old.logpChannel()[t],
                            a,
                            eps,
                            entropyCoef,
                            scale,
                            gChannel[r],
                            prob,
                            logProb,
                            h);
            hChanSum += h[0];

            double s = PpoMath.sigmoid(net.muPre[r][0]);
            double mu = s * (net.pmax - 1e-10) + 1e-10;
            double hs = net.sigmaPre[r][0];
            double sigma = PpoMath.softplus(hs);
            double x = old.power()[t];
            double z = (x - mu) / sigma;
            double logp = -0.5 * z * z - Math.log(sigma) - PpoMath.LOG_SQRT_2PI;
            double entropy = 0.5 + PpoMath.LOG_SQRT_2PI + Math.log(sigma);
            double ratio = Math.exp(logp - old.logpPower()[t]);
            loss += scale * (PpoMath.clippedLoss(ratio, a, eps) - entropyCoef * entropy);
            hPowSum += entropy;
            double g = PpoMath.clippedLossGradLogp(ratio, a, eps);
            double dLogpDmu = (x - mu) / (sigma * sigma);
            double dLogpDsigma = z * z / sigma - 1 / sigma;
            gMu[r][0] = scale * g * dLogpDmu * s * (1 - s) * (net.pmax - 1e-10);
            gSigma[r][0] = scale * (g * dLogpDsigma - entropyCoef / sigma) * PpoMath.sigmoid(hs);
        }
        if (stats != null) {
            stats[0] = hPointSum / rows;
            stats[1] = hChanSum / rows;
            stats[2] = hPowSum / rows;
        }
        return loss;
    }

    /** Softmax branch; returns its scaled loss and writes its entropy to {@code entropyOut[0]}. */
    private static double categorical(
            double[] logits,
            int k,
            int action,
            double oldLogp,
            double adv,
            double eps,
            double entropyCoef,
            double scale,
            double[] grad,
            double[] prob,
            double[] logProb,
            double[] entropyOut) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, logits[j]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            sum += Math.exp(logits[j] - max);
        }
        double lse = max + Math.log(sum);
        double entropy = 0;
        for (int j = 0; j < k; j++) {
            logProb[j] = logits[j] - lse;
            prob[j] = Math.exp(logProb[j]);
            entropy -= prob[j] * logProb[j];
        }
        double ratio = Math.exp(logProb[action] - oldLogp);
        double g = PpoMath.clippedLossGradLogp(ratio, adv, eps);
        for (int j = 0; j < k; j++) {
            double dLogp = (j == action ? 1 : 0) - prob[j];
            // d(-c H)/dz_j = c p_j (log p_j + H)
            grad[j] = scale * (g * dLogp + entropyCoef * prob[j] * (logProb[j] + entropy));
        }
        entropyOut[0] = entropy;
        return scale * (PpoMath.clippedLoss(ratio, adv, eps) - entropyCoef * entropy);
    }
}
