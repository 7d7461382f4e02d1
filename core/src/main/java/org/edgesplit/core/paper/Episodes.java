package org.edgesplit.core.paper;

import org.edgesplit.core.planner.PaperDecision;
import org.edgesplit.core.planner.PaperObservation;
import org.edgesplit.core.planner.PaperPlanner;

/** Runs whole episodes of the paper environment under a planner and reports the paper's metrics. */
public final class Episodes {
    private Episodes() {}

    /**
     * The paper's per-episode metrics.
     *
     * @param timePerTask slot * N * slots / tasks finished (s per task per device)
     * @param energyPerTask total J / tasks finished
     * @param reward sum of slot rewards
     * @param slots slots run
     * @param finished tasks finished
     * @param completed whether every UE finished before the slot cap
     */
    public record Result(
            double timePerTask,
            double energyPerTask,
            double reward,
            int slots,
            long finished,
            boolean completed) {}

    /** Runs the episode the env was just reset to, for at most {@code maxSlots} slots. */
    public static Result run(PaperEnv env, PaperPlanner planner, int maxSlots) {
        PaperSettings s = env.settings();
        double[] state = env.state();
        double[] distances = env.distances();
        PaperObservation obs = new PaperObservation(s, distances, state, 0);
        planner.startEpisode(obs);
        double reward = 0;
        double energy = 0;
        long finished = 0;
        int slots = 0;
        while (!env.done() && slots < maxSlots) {
            PaperDecision d = planner.plan(new PaperObservation(s, distances, state, slots));
            reward += env.step(d.points(), d.channels(), d.powers());
            energy += env.energyInSlot();
            finished += env.finishedInSlot();
            slots++;
            state = env.state();
        }
        double time = s.slotTime() * s.users() * slots;
        return new Result(
                finished == 0 ? Double.POSITIVE_INFINITY : time / finished,
                finished == 0 ? Double.POSITIVE_INFINITY : energy / finished,
                reward,
                slots,
                finished,
                env.done());
    }

    /** The paper's test episode (50 m, exactly lambda tasks, start at point 5 with 1e-10 W). */
    public static Result test(PaperPlanner planner, PaperSettings s, int maxSlots) {
        PaperEnv env = new PaperEnv(s);
        env.resetTest();
        return run(env, planner, maxSlots);
    }
}
