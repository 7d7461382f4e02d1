package org.edgesplit.core.planner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Newton version computes what the earlier all-bisection version computed, to tolerance. */
class StreamingOptimizerReferenceTest {

    /** BenchMain's 14 options, with a random scale of UE cost and payload. */
    private static List<StreamingProblem.Option> options(SplittableRandom rng) {
        double ueScale = 0.5 + rng.nextDouble();
        double bytesScale = Math.pow(10, -1 + 2 * rng.nextDouble());
        List<StreamingProblem.Option> opts = new ArrayList<>();
        opts.add(new StreamingProblem.Option(5, 32, 0, 0.046 * ueScale, 0.098 * ueScale, 0, 0.90));
        for (int k = 1; k <= 4; k++) {
            for (int bits : new int[] {2, 4, 8}) {
                opts.add(
                        new StreamingProblem.Option(
                                k,
                                bits,
                                (long) (bytesScale * 100_000L * bits / 8 / k),
                                0.01 * k * ueScale,
                                0.025 * k * ueScale,
                                0.03 - 0.005 * k,
                                0.80 + 0.01 * bits));
            }
        }
        opts.add(
                new StreamingProblem.Option(0, 8, (long) (bytesScale * 150_528), 0, 0, 0.03, 0.90));
        return opts;
    }

    private static StreamingProblem random(SplittableRandom rng, int n) {
        List<StreamingProblem.Ue> ues = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double lambda = 1 + 9 * rng.nextDouble();
            if (rng.nextInt(8) == 0) {
                ues.add(
                        StreamingProblem.Ue.withRate(
                                Math.pow(10, 5 + 3 * rng.nextDouble()), lambda, options(rng)));
            } else {
                ues.add(
                        StreamingProblem.Ue.withGain(
                                Math.pow(10, -7 - 6 * rng.nextDouble()), lambda, options(rng)));
            }
        }
        double[] betas = {0, 0.1, 1, 10};
        double beta = betas[rng.nextInt(betas.length)];
        // sometimes a binding edge capacity, sometimes none
        double capacity = rng.nextBoolean() ? 1000 : n * (0.02 + 0.2 * rng.nextDouble());
        double floor = rng.nextBoolean() ? 0.85 : 0.0;
        double band = Math.pow(10, 6 + 1.5 * rng.nextDouble());
        double n0 = Math.pow(10, -18 + 3 * rng.nextDouble());
        return new StreamingProblem(band, n0, 0.2, beta, capacity, floor, ues);
    }

    @Test
    void agreesWithTheBisectionVersionOnRandomInstances() {
        SplittableRandom rng = new SplittableRandom(2026);
        int sameOptions = 0;
        int cases = 0;
        double worst = 0;
        double best = 0;
        for (int n : new int[] {1, 2, 3, 5, 10, 30, 100}) {
            int reps = n >= 100 ? 6 : 40;
            for (int rep = 0; rep < reps; rep++) {
                StreamingProblem pr = random(rng, n);
                StreamingPlan ref = new BisectionReference().plan(pr);
                StreamingPlan ours = new StreamingOptimizer().plan(pr);
                double rel = (ours.objective() - ref.objective()) / Math.abs(ref.objective());
                worst = Math.max(worst, rel);
                best = Math.min(best, rel);
                assertThat(rel).as("n %d rep %d: %s vs %s", n, rep, ours, ref).isLessThan(1e-7);
                assertThat(ours.feasible()).isEqualTo(ref.feasible());
                double sum = 0;
                for (StreamingPlan.Assignment a : ours.assignments()) {
                    sum += a.bandwidthShare();
                }
                assertThat(sum).isLessThanOrEqualTo(1 + 1e-9);
                boolean same = true;
                for (int i = 0; i < n; i++) {
                    same &= ours.assignments().get(i).option() == ref.assignments().get(i).option();
                }
                sameOptions += same ? 1 : 0;
                cases++;
            }
        }
        System.out.printf(
                "reference check: %d/%d same options, relative difference of the objective"
                        + " %.3g .. %.3g%n",
                sameOptions, cases, best, worst);
        assertThat(sameOptions).isGreaterThanOrEqualTo(cases * 9 / 10);
    }
}
