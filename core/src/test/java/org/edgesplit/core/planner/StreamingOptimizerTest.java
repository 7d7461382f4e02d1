package org.edgesplit.core.planner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StreamingOptimizerTest {
    private static final double BAND_HZ = 10e6;
    private static final double N0 = 1e-17;
    private static final double PMAX = 0.2;
    private static final int SHARE_STEPS = 400;
    private static final int POWER_STEPS = 300;

    /** Local-only, a mid split and edge-only, loosely shaped like ResNet18 on a small board. */
    private static List<StreamingProblem.Option> options(double scale) {
        return List.of(
                new StreamingProblem.Option(5, 32, 0, 0.046 * scale, 0.098 * scale, 0, 0.90),
                new StreamingProblem.Option(
                        2, 4, 12_544, 0.016 * scale, 0.043 * scale, 0.010, 0.895),
                new StreamingProblem.Option(2, 2, 6_272, 0.016 * scale, 0.043 * scale, 0.010, 0.86),
                new StreamingProblem.Option(0, 8, 150_528, 0, 0, 0.030, 0.90));
    }

    private static StreamingProblem twoUes(double g1, double g2, double floor, double capacity) {
        return new StreamingProblem(
                BAND_HZ,
                N0,
                PMAX,
                1.0,
                capacity,
                floor,
                List.of(
                        StreamingProblem.Ue.withGain(g1, 10, options(1.0)),
                        StreamingProblem.Ue.withGain(g2, 10, options(1.5))));
    }

    @Test
    void matchesExhaustiveSearchOnTwoUeInstances() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int rep = 0; rep < 8; rep++) {
            double g1 = Math.pow(10, -8 - 4 * rng.nextDouble());
            double g2 = Math.pow(10, -8 - 4 * rng.nextDouble());
            StreamingProblem pr = twoUes(g1, g2, 0.88, 100);
            double ours = new StreamingOptimizer().plan(pr).objective();
            double exact = exhaustive(pr);
            // The exhaustive grid is a little coarse: ours may be slightly better, never worse
            // by more than the grid's resolution.
            assertThat(ours).as("gains %g %g", g1, g2).isLessThanOrEqualTo(exact * (1 + 2e-3));
            assertThat(ours).isGreaterThanOrEqualTo(exact * (1 - 2e-2));
        }
    }

    @Test
    void neverPicksAnOptionBelowTheAccuracyFloor() {
        StreamingPlan plan = new StreamingOptimizer().plan(twoUes(1e-13, 1e-13, 0.88, 100));
        for (StreamingPlan.Assignment a : plan.assignments()) {
            assertThat(a.bits()).isNotEqualTo(2);
        }
        assertThat(plan.feasible()).isTrue();
    }

    @Test
    void edgeCapacityPushesWorkBackToTheUes() {
        // Strong links: without a limit both UEs offload; 0.15 edge-s/s allows only one split.
        StreamingProblem free = twoUes(1e-8, 1e-8, 0.0, 100);
        StreamingProblem tight = twoUes(1e-8, 1e-8, 0.0, 0.15);
        double freeLoad = load(free, new StreamingOptimizer().plan(free));
        StreamingPlan plan = new StreamingOptimizer().plan(tight);
        assertThat(freeLoad).isGreaterThan(0.15);
        assertThat(load(tight, plan)).isLessThanOrEqualTo(0.15);
        assertThat(plan.feasible()).isTrue();
    }

    @Test
    void hundredUesGetSharesThatFillTheBandAtMostOnce() {
        SplittableRandom rng = new SplittableRandom(5);
        List<StreamingProblem.Ue> ues = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ues.add(
                    StreamingProblem.Ue.withGain(
                            Math.pow(10, -8 - 3 * rng.nextDouble()), 2, options(1.0)));
        }
        StreamingProblem pr = new StreamingProblem(BAND_HZ, N0, PMAX, 1.0, 1000, 0.85, ues);
        StreamingPlan plan = new StreamingOptimizer().plan(pr);
        double sum =
                plan.assignments().stream()
                        .mapToDouble(StreamingPlan.Assignment::bandwidthShare)
                        .sum();
        assertThat(sum).isLessThanOrEqualTo(1 + 1e-9);
        assertThat(plan.objective()).isFinite();
    }

    private static double load(StreamingProblem pr, StreamingPlan plan) {
        double l = 0;
        for (int i = 0; i < plan.assignments().size(); i++) {
            StreamingProblem.Ue u = pr.ues().get(i);
            l += u.arrivalRate() * u.options().get(plan.assignments().get(i).option()).edgeTime();
        }
        return l;
    }

    /** Min over options, a share grid and a power grid; power is optimised per UE and share. */
    private static double exhaustive(StreamingProblem pr) {
        StreamingProblem.Ue u1 = pr.ues().get(0);
        StreamingProblem.Ue u2 = pr.ues().get(1);
        double best = Double.POSITIVE_INFINITY;
        for (int s = 0; s <= SHARE_STEPS; s++) {
            double b = (double) s / SHARE_STEPS;
            double c1 = bestCost(pr, u1, b);
            double c2 = bestCost(pr, u2, 1 - b);
            best = Math.min(best, c1 + c2);
        }
        return best;
    }

    private static double bestCost(StreamingProblem pr, StreamingProblem.Ue u, double share) {
        double best = Double.POSITIVE_INFINITY;
        for (StreamingProblem.Option o : u.options()) {
            if (o.accuracy() < pr.accuracyFloor()) {
                continue;
            }
            double bits = 8.0 * o.payloadBytes();
            double base = o.ueLatency() + o.edgeTime() + pr.beta() * o.ueEnergy();
            if (bits == 0) {
                best = Math.min(best, base);
                continue;
            }
            for (int k = 0; k <= POWER_STEPS; k++) {
                double p = pr.pmax() * Math.pow(10, -6.0 * k / POWER_STEPS);
                double r = StreamingOptimizer.rate(pr, u, share, p);
                if (r > 0) {
                    best = Math.min(best, base + bits / r * (1 + pr.beta() * p));
                }
            }
        }
        return best;
    }
}
