package org.edgesplit.core.mahppo;

/**
 * Every MAHPPO hyperparameter in one place; {@link #paper()} gives the paper's values.
 *
 * @param totalSteps environment steps (slots) to train for (paper: 500,000)
 * @param rolloutSteps steps collected between updates (paper: 1024)
 * @param minibatchSize rows per minibatch, drawn with replacement (paper: 256)
 * @param epochs passes over the rollout per update: {@code epochs * rolloutSteps / minibatchSize}
 *     minibatches (paper: 20, so 80 minibatches)
 * @param gamma discount (paper: 0.95)
 * @param gaeLambda GAE lambda (paper: 0.95)
 * @param clipEps PPO clip range (paper: 0.2)
 * @param entropyCoef weight of each branch's entropy bonus (paper: 0.001)
 * @param actorLr Adam learning rate of the actors (paper: 1e-4)
 * @param criticLr Adam learning rate of the critic (paper: 1e-4)
 * @param actorBody hidden sizes of the actor body (paper: 256, 128)
 * @param actorHead hidden size of each actor head (paper: 64)
 * @param criticHidden hidden sizes of the critic (paper: 256, 128, 64)
 * @param seed the one seed for network initialisation, environment and sampling
 * @param threads worker threads for the update (actors and critic are independent); results do not
 *     depend on it
 * @param testEvery run a deterministic test episode every this many updates (0 = never)
 */
public record MahppoConfig(
        long totalSteps,
        int rolloutSteps,
        int minibatchSize,
        int epochs,
        double gamma,
        double gaeLambda,
        double clipEps,
        double entropyCoef,
        double actorLr,
        double criticLr,
        int[] actorBody,
        int actorHead,
        int[] criticHidden,
        long seed,
        int threads,
        int testEvery) {

    public static MahppoConfig paper() {
        return new MahppoConfig(
                500_000,
                1024,
                256,
                20,
                0.95,
                0.95,
                0.2,
                0.001,
                1e-4,
                1e-4,
                new int[] {256, 128},
                64,
                new int[] {256, 128, 64},
                1,
                Math.min(2, Runtime.getRuntime().availableProcessors()),
                1);
    }

    public MahppoConfig withTotalSteps(long steps) {
        return new MahppoConfig(
                steps,
                rolloutSteps,
                minibatchSize,
                epochs,
                gamma,
                gaeLambda,
                clipEps,
                entropyCoef,
                actorLr,
                criticLr,
                actorBody,
                actorHead,
                criticHidden,
                seed,
                threads,
                testEvery);
    }

    public MahppoConfig withSeed(long s) {
        return new MahppoConfig(
                totalSteps,
                rolloutSteps,
                minibatchSize,
                epochs,
                gamma,
                gaeLambda,
                clipEps,
                entropyCoef,
                actorLr,
                criticLr,
                actorBody,
                actorHead,
                criticHidden,
                s,
                threads,
                testEvery);
    }

    public MahppoConfig withThreads(int t) {
        return new MahppoConfig(
                totalSteps,
                rolloutSteps,
                minibatchSize,
                epochs,
                gamma,
                gaeLambda,
                clipEps,
                entropyCoef,
                actorLr,
                criticLr,
                actorBody,
                actorHead,
                criticHidden,
                seed,
                t,
                testEvery);
    }

    /** Smaller rollouts and learning-rate overrides, for fast tests and small settings. */
    public MahppoConfig withRollout(int steps, int minibatch, int epochs) {
        return new MahppoConfig(
                totalSteps,
                steps,
                minibatch,
                epochs,
                gamma,
                gaeLambda,
                clipEps,
                entropyCoef,
                actorLr,
                criticLr,
                actorBody,
                actorHead,
                criticHidden,
                seed,
                threads,
                testEvery);
    }

    public MahppoConfig withLearningRates(double actor, double critic) {
        return new MahppoConfig(
                totalSteps,
                rolloutSteps,
                minibatchSize,
                epochs,
                gamma,
                gaeLambda,
                clipEps,
                entropyCoef,
                actor,
                critic,
                actorBody,
                actorHead,
                criticHidden,
                seed,
                threads,
                testEvery);
    }

    public MahppoConfig withTestEvery(int updates) {
        return new MahppoConfig(
                totalSteps,
                rolloutSteps,
                minibatchSize,
                epochs,
                gamma,
                gaeLambda,
                clipEps,
                entropyCoef,
                actorLr,
                criticLr,
                actorBody,
                actorHead,
                criticHidden,
                seed,
                threads,
                updates);
    }

    /** Minibatches per update. */
    public int minibatchesPerUpdate() {
        return Math.max(1, epochs * rolloutSteps / minibatchSize);
    }
}
