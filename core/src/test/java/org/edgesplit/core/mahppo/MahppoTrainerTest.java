package org.edgesplit.core.mahppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.edgesplit.core.paper.Dnn;
import org.edgesplit.core.paper.Episodes;
import org.edgesplit.core.paper.PaperEnv;
import org.edgesplit.core.paper.PaperSettings;
import org.edgesplit.core.planner.PaperDecision;
import org.edgesplit.core.planner.RandomPlanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MahppoTrainerTest {
    /** A small setting that trains in seconds: 2 UEs, 1 sub-channel, 20 tasks per episode. */
    private static final PaperSettings SMALL =
            PaperSettings.paper(Dnn.RESNET18).withUsers(2).withChannels(1).withLambda(20);

    private static MahppoConfig smallConfig(long steps) {
        return MahppoConfig.paper()
                .withTotalSteps(steps)
                .withRollout(256, 64, 4)
                .withLearningRates(1e-3, 1e-3)
                .withThreads(1);
    }

    @Test
    void smokeTrainingRunsAFewHundredStepsAndLogsGroupedMetrics(@TempDir Path dir)
            throws IOException {
        List<Map<String, Double>> logs = new ArrayList<>();
        MahppoTrainer trainer =
                new MahppoTrainer(
                        PaperSettings.paper(Dnn.VGG11).withLambda(20),
                        MahppoConfig.paper().withTotalSteps(300).withRollout(128, 64, 2),
                        logs::add);
        MahppoPolicy policy = trainer.train();
        assertThat(logs).hasSize(2);
        assertThat(logs.get(0))
                .containsKeys(
                        "losses/actor_loss",
                        "losses/critic_loss",
                        "losses/entropy_point",
                        "charts/test_reward",
                        "charts/global_step");
        assertThat(logs.get(1).get("losses/critic_loss")).isFinite();

        Path file = dir.resolve("policy.bin");
        policy.save(file);
        MahppoPolicy loaded = MahppoPolicy.load(file);
        PaperEnv env = new PaperEnv(PaperSettings.paper(Dnn.VGG11));
        env.resetTest();
        double[] state = env.state();
        PaperDecision a = policy.act(state);
        PaperDecision b = loaded.act(state);
        assertThat(b.points()).containsExactly(a.points());
        assertThat(b.channels()).containsExactly(a.channels());
        assertThat(b.powers()).containsExactly(a.powers());
        assertThat(loaded.users()).isEqualTo(5);
        assertThat(loaded.net()).isEqualTo("vgg11");
    }

    @Test
    void loadingRejectsAFileThatIsNotAPolicy(@TempDir Path dir) throws IOException {
        Path bogus = Files.writeString(dir.resolve("x.bin"), "not a policy");
        assertThatThrownBy(() -> MahppoPolicy.load(bogus)).hasMessageContaining("bad magic");
    }

    @Test
    void sameSeedGivesTheSameTraining() {
        List<Map<String, Double>> a = new ArrayList<>();
        List<Map<String, Double>> b = new ArrayList<>();
        new MahppoTrainer(SMALL, smallConfig(512), a::add).train();
        new MahppoTrainer(SMALL, smallConfig(512).withThreads(2), b::add).train();
        assertThat(a.get(1).get("losses/actor_loss")).isEqualTo(b.get(1).get("losses/actor_loss"));
        assertThat(a.get(1).get("charts/test_reward"))
                .isEqualTo(b.get(1).get("charts/test_reward"));
    }

    @Test
    void withAFixedSeedMahppoBeatsRandomOnASmallSetting() {
        MahppoPolicy policy = new MahppoTrainer(SMALL, smallConfig(6_000), m -> {}).train();
        double trained = Episodes.test(policy, SMALL, 2000).reward();
        double random = 0;
        int runs = 5;
        for (int seed = 0; seed < runs; seed++) {
            random += Episodes.test(new RandomPlanner(seed), SMALL, 2000).reward() / runs;
        }
        assertThat(trained).isGreaterThan(random);
    }
}
