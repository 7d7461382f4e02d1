package org.edgesplit.core.planner;

import java.util.Arrays;
import org.edgesplit.core.paper.Dnn;
import org.edgesplit.core.paper.PaperEnv;
import org.edgesplit.core.paper.PaperSettings;

/**
 * The paper's own objective for a decision held for a whole episode: minus the episode's team
 * reward, measured by running the paper environment itself (no approximation of interference or
 * duty cycles). The episode starts as the evaluation's do: the given distances and task counts,
 * every UE's first task at the test initial action (local, sub-channel 0, 1e-10 W), so the decision
 * applies from each UE's second task (its power at once).
 *
 * <p>Slot rewards are always negative, so a run is cut as soon as its running cost exceeds a bound
 * (the best cost known so far): bad candidates cost a few slots each.
 */
public final class SimulatedObjective {
    /** Episodes longer than this count as infinitely bad (e.g. an upload at 1e-10 W). */
    static final int MAX_SLOTS = 20_000;

    private final PaperEnv env;
    private final double[] distances;
    private final int[] tasks;

    public SimulatedObjective(PaperSettings s, double[] distances, int[] tasks) {
        this.env = new PaperEnv(s);
        this.distances = distances.clone();
        this.tasks = tasks.clone();
    }

    /** The evaluation's episode: {@code lambda} tasks per UE. */
    public static SimulatedObjective forEvaluation(PaperSettings s, double[] distances) {
        int[] t = new int[s.users()];
        Arrays.fill(t, s.lambda());
        return new SimulatedObjective(s, distances, t);
    }

    /** Minus the episode reward under {@code d}, or +infinity once it exceeds {@code bound}. */
    public double cost(PaperDecision d, double bound) {
        env.reset(distances, tasks, Dnn.LOCAL_ONLY, 0, PaperSettings.PMIN);
        double cost = 0;
        for (int k = 0; k < MAX_SLOTS && !env.done(); k++) {
            cost -= env.step(d.points(), d.channels(), d.powers());
            if (cost > bound) {
                return Double.POSITIVE_INFINITY;
            }
        }
        return env.done() ? cost : Double.POSITIVE_INFINITY;
    }

    public double[] distances() {
        return distances.clone();
    }

    public double cost(PaperDecision d) {
        return cost(d, Double.POSITIVE_INFINITY);
    }
}
