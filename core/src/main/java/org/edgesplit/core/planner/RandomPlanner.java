package org.edgesplit.core.planner;

import java.util.SplittableRandom;
import org.edgesplit.core.paper.Dnn;
import org.edgesplit.core.paper.PaperSettings;

/** Uniformly random point, sub-channel and power in [1e-10, pmax] for every UE and slot. */
public final class RandomPlanner implements PaperPlanner {
    private final SplittableRandom rng;

    public RandomPlanner(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    @Override
    public PaperDecision plan(PaperObservation obs) {
        PaperSettings s = obs.settings();
        int n = s.users();
        int[] p = new int[n];
        int[] c = new int[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = rng.nextInt(Dnn.POINTS);
            c[i] = rng.nextInt(s.channels());
            w[i] = rng.nextDouble() * (s.pmax() - PaperSettings.PMIN) + PaperSettings.PMIN;
        }
        return new PaperDecision(p, c, w);
    }

    @Override
    public String name() {
        return "random";
    }
}
