package org.edgesplit.core.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.edgesplit.core.paper.Dnn;
import org.edgesplit.core.paper.Episodes;
import org.edgesplit.core.paper.PaperSettings;
import org.junit.jupiter.api.Test;

class AlternatingOptimizerTest {
    private static final double[] SMALL_GRID = {0.001, 0.01, 0.1, 1.0};

    @Test
    void matchesExhaustiveSearchOnSmallInstances() {
        SplittableRandom rng = new SplittableRandom(3);
        AlternatingOptimizer opt = new AlternatingOptimizer(SMALL_GRID);
        int instances = 0;
        for (Dnn net : Dnn.values()) {
            for (int users = 2; users <= 3; users++) {
                for (int rep = 0; rep < 3; rep++) {
                    PaperSettings s = PaperSettings.paper(net).withUsers(users);
                    double[] d = new double[users];
                    for (int i = 0; i < users; i++) {
                        d[i] = 1 + 99 * rng.nextDouble();
                    }
                    double exact = AlternatingOptimizer.exhaustive(s, d, SMALL_GRID).objective();
                    double ours = opt.solve(s, d).objective();
                    assertThat(ours)
                            .as("%s, %d UEs at %s", net, users, java.util.Arrays.toString(d))
                            .isCloseTo(exact, within(1e-9 * Math.abs(exact)));
                    instances++;
                }
            }
        }
        assertThat(instances).isEqualTo(18);
    }

    @Test
    void simulatorSearchMatchesExhaustiveSearchOfTheEpisodeRewardOnTinyInstances() {
        SplittableRandom rng = new SplittableRandom(5);
        double[] powers = new double[AlternatingOptimizer.SIM_POWERS.length];
        int instances = 0;
        int exact = 0;
        for (Dnn net : Dnn.values()) {
            for (int channels = 1; channels <= 2; channels++) {
                PaperSettings s =
                        PaperSettings.paper(net).withUsers(2).withChannels(channels).withLambda(8);
                for (int k = 0; k < powers.length; k++) {
                    powers[k] = AlternatingOptimizer.SIM_POWERS[k] * s.pmax();
                }
                double[] d = new double[2];
                for (int i = 0; i < 2; i++) {
                    d[i] = s.dmin() + (s.dmax() - s.dmin()) * rng.nextDouble();
                }
                SimulatedObjective sim = SimulatedObjective.forEvaluation(s, d);
                double best = AlternatingOptimizer.exhaustiveSimulated(sim, s, powers).objective();
                PaperDecision model = new AlternatingOptimizer().solve(s, d).decision();
                AlternatingOptimizer.Solution ours = AlternatingOptimizer.refine(sim, s, model);
                // the reported objective is the simulated one
                assertThat(sim.cost(ours.decision())).isCloseTo(ours.objective(), within(1e-9));
                // a local search: never worse than 1 % off the exact optimum here, usually equal
                assertThat(ours.objective())
                        .as("%s, %d sub-channels at %s", net, channels, Arrays.toString(d))
                        .isLessThanOrEqualTo(best + 0.01 * Math.abs(best) + 1e-12);
                if (ours.objective() <= best + 1e-9 * Math.abs(best)) {
                    exact++;
                }
                instances++;
            }
        }
        assertThat(instances).isEqualTo(6);
        assertThat(exact).isGreaterThanOrEqualTo(5);
    }

    @Test
    void simulatorSearchBeatsEveryFixedSplitOnRandomDistances() {
        SplittableRandom rng = new SplittableRandom(11);
        for (Dnn net : Dnn.values()) {
            PaperSettings s = PaperSettings.paper(net).withLambda(40);
            double[] d = new double[s.users()];
            for (int i = 0; i < d.length; i++) {
                d[i] = s.dmin() + (s.dmax() - s.dmin()) * rng.nextDouble();
            }
            SimulatedObjective sim = SimulatedObjective.forEvaluation(s, d);
            double ours =
                    AlternatingOptimizer.refine(
                                    sim, s, new AlternatingOptimizer().solve(s, d).decision())
                            .objective();
            for (int k = 0; k < Dnn.POINTS; k++) {
                PaperDecision fixed = PaperDecision.uniform(s.users(), k, 0, s.pmax());
                for (int i = 0; i < d.length; i++) {
                    fixed.channels()[i] = i % s.channels();
                }
                assertThat(ours)
                        .as("%s vs fixed split %d", net, k)
                        .isLessThanOrEqualTo(sim.cost(fixed));
            }
        }
    }

    @Test
    void beatsLocalOnlyEdgeOnlyAndGreedyOnThePaperTestEpisode() {
        for (Dnn net : Dnn.values()) {
            PaperSettings s = PaperSettings.paper(net);
            double ours = Episodes.test(new AlternatingOptimizer(), s, 5000).reward();
            assertThat(ours)
                    .as(net + " vs local")
                    .isGreaterThan(
                            Episodes.test(new FixedPointPlanner(Dnn.LOCAL_ONLY), s, 5000).reward());
            assertThat(ours)
                    .as(net + " vs edge")
                    .isGreaterThan(
                            Episodes.test(new FixedPointPlanner(Dnn.EDGE_ONLY), s, 5000).reward());
            assertThat(ours)
                    .as(net + " vs greedy")
                    .isGreaterThanOrEqualTo(Episodes.test(new GreedyPlanner(), s, 5000).reward());
        }
    }

    @Test
    void costModelMatchesHandComputedIsolatedUpload() {
        // One ResNet18 UE at 50 m uploading raw images at 1 W alone: SNR = 50^-3 / 1e-9 = 8000.
        PaperSettings s = PaperSettings.paper(Dnn.RESNET18).withUsers(1);
        PaperCostModel m = new PaperCostModel(s, new double[] {50});
        double rate = 1e6 * Math.log(1 + 8000) / Math.log(2);
        double tx = 1_204_224 / rate;
        assertThat(m.isolatedCost(0, Dnn.EDGE_ONLY, 1.0)).isCloseTo(tx + tx, within(1e-12));
        assertThat(m.evaluate(new int[] {0}, new int[] {0}, new double[] {1.0}))
                .isCloseTo(2 * tx, within(1e-12));
        // Local-only: 0.045887 s at 2.1454 W.
        assertThat(m.isolatedCost(0, Dnn.LOCAL_ONLY, 1.0))
                .isCloseTo(0.045887 + 0.045887 * 2.1454, within(1e-12));
    }
}
