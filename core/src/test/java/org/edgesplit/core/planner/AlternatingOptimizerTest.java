package org.edgesplit.core.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
