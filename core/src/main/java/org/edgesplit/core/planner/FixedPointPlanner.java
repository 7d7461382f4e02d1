package org.edgesplit.core.planner;

import org.edgesplit.core.paper.Dnn;

/**
 * Every UE always splits at the same point and sends at full power; UE i uses sub-channel {@code i
 * mod M}. Point 5 is the local-only baseline, point 0 edge-only.
 */
public final class FixedPointPlanner implements PaperPlanner {
    private final int point;

    public FixedPointPlanner(int point) {
        if (point < 0 || point >= Dnn.POINTS) {
            throw new IllegalArgumentException("point must be in 0..5");
        }
        this.point = point;
    }

    @Override
    public PaperDecision plan(PaperObservation obs) {
        int n = obs.settings().users();
        PaperDecision d = PaperDecision.uniform(n, point, 0, obs.settings().pmax());
        for (int i = 0; i < n; i++) {
            d.channels()[i] = i % obs.settings().channels();
        }
        return d;
    }

    @Override
    public String name() {
        return switch (point) {
            case Dnn.LOCAL_ONLY -> "local-only";
            case Dnn.EDGE_ONLY -> "edge-only";
            default -> "fixed-split-" + point;
        };
    }
}
