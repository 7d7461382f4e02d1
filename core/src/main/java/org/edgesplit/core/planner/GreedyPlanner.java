package org.edgesplit.core.planner;

import org.edgesplit.core.paper.Dnn;

/**
 * Neurosurgeon-style: each UE picks the point and power that minimise its own time + beta * energy
 * as if it were alone on the channel. Blind to contention; UE i uses sub-channel {@code i mod M}.
 */
public final class GreedyPlanner implements PaperPlanner {
    private PaperDecision cached;

    @Override
    public void startEpisode(PaperObservation first) {
        cached = null;
    }

    @Override
    public PaperDecision plan(PaperObservation obs) {
        if (cached == null) {
            cached = decide(obs);
        }
        return cached;
    }

    static PaperDecision decide(PaperObservation obs) {
        return decide(obs, PaperCostModel.powerGrid(obs.settings().pmax(), 4, 4));
    }

    static PaperDecision decide(PaperObservation obs, double[] grid) {
        int n = obs.settings().users();
        PaperCostModel model = new PaperCostModel(obs.settings(), obs.distances());
        PaperDecision d = PaperDecision.uniform(n, Dnn.LOCAL_ONLY, 0, obs.settings().pmax());
        for (int i = 0; i < n; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int k = 0; k < Dnn.POINTS; k++) {
                for (double p : grid) {
                    double c = model.isolatedCost(i, k, p);
                    if (c < best) {
                        best = c;
                        d.points()[i] = k;
                        d.powers()[i] = p;
                    }
                    if (k == Dnn.LOCAL_ONLY) {
                        break; // power is irrelevant when nothing is sent
                    }
                }
            }
            d.channels()[i] = i % obs.settings().channels();
        }
        return d;
    }

    @Override
    public String name() {
        return "greedy";
    }
}
