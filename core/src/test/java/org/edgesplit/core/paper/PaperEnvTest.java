package org.edgesplit.core.paper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PaperEnvTest {
    private static final double TOL = 1e-12;
    private static final double SLOT = 0.5;

    @Test
    void twoUesOnOneSubChannelInterfereAsHandComputed() {
        // Both UEs at 10 m (g = 1e-3) send raw images at 1 W and 0.5 W on the same sub-channel:
        // SINR_0 = 1e-3 / (0.5e-3 + 1e-9), SINR_1 = 0.5e-3 / (1e-3 + 1e-9).
        double r0 = 1e6 * Math.log(1 + 1e-3 / (0.5e-3 + 1e-9)) / Math.log(2);
        double r1 = 1e6 * Math.log(1 + 0.5e-3 / (1e-3 + 1e-9)) / Math.log(2);
        assertThat(Channel.rate(1e6, 1e-3, 0.5e-3, 1e-9)).isCloseTo(r0, within(1e-6));
        PaperSettings s = PaperSettings.paper(Dnn.RESNET18).withUsers(2).withChannels(1);
        PaperEnv env = new PaperEnv(s);
        env.reset(new double[] {10, 10}, new int[] {1, 1}, Dnn.EDGE_ONLY, 0, 1.0);
        env.step(new int[] {0, 0}, new int[] {0, 0}, new double[] {1.0, 0.5});
        double[] st = env.state();
        // Neither finishes within 0.5 s (1.2 Mbit at ~0.58 and ~0.32 Mbit/s).
        assertThat(st[2])
                .isCloseTo((Dnn.RAW_IMAGE_BITS - r0 * SLOT) / Dnn.RAW_IMAGE_BITS, within(TOL));
        assertThat(st[6])
                .isCloseTo((Dnn.RAW_IMAGE_BITS - r1 * SLOT) / Dnn.RAW_IMAGE_BITS, within(TOL));
        assertThat(env.energyInSlot()).isCloseTo(1.0 * SLOT + 0.5 * SLOT, within(TOL));
        // reward uses means over UEs: E = 0.75 / 2, F = 0 -> max(F, 0.8)
        assertThat(env.lastReward()).isCloseTo(-SLOT / 0.8 - 0.375 / 0.8, within(TOL));
    }

    @Test
    void localTasksChargeComputePowerTimesTimeAndNewPointsWaitForTheNextTask() {
        // One ResNet18 UE, 3 tasks, starts local-only; asks for edge-only at once.
        PaperSettings s = PaperSettings.paper(Dnn.RESNET18).withUsers(1).withChannels(1);
        PaperEnv env = new PaperEnv(s);
        env.reset(new double[] {1}, new int[] {3}, Dnn.LOCAL_ONLY, 0, 1e-10);
        env.step(new int[] {0}, new int[] {0}, new double[] {1.0});
        // Task 1 runs locally (0.045887 s at 2.1454 W); tasks 2 and 3 upload raw images at
        // SNR 1/1e-9 from 1 m: 1204224 / (1e6 log2(1 + 1e9)) s each.
        double tx = Dnn.RAW_IMAGE_BITS / (1e6 * Math.log(1 + 1e9) / Math.log(2));
        assertThat(env.finishedInSlot()).isEqualTo(3);
        assertThat(env.done()).isTrue();
        assertThat(env.energyInSlot()).isCloseTo(0.045887 * 2.1454 + 2 * tx, within(1e-9));
        assertThat(env.lastReward()).isCloseTo(-SLOT / 3 - env.energyInSlot() / 3, within(1e-12));
    }

    @Test
    void bitsPerPointFollowTheCompressionRatios() {
        assertThat(Dnn.RESNET18.bits(1)).isEqualTo(64.0 * 56 * 56 * 32 / 64);
        assertThat(Dnn.RESNET18.bits(4)).isEqualTo(512.0 * 7 * 7 * 32 / 32);
        assertThat(Dnn.MOBILENETV2.bits(2)).isEqualTo(24.0 * 56 * 56 * 32 / 48);
        assertThat(Dnn.VGG11.bits(0)).isEqualTo(1_204_224);
        assertThat(Dnn.VGG11.bits(5)).isZero();
    }

    @Test
    void badScenarioFilesGetErrorsNamingTheKey(@TempDir Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode sc =
                (ObjectNode)
                        json.readTree(
                                PaperEnvTest.class.getResourceAsStream("/scenarios/example2.json"));
        ((ArrayNode) sc.get("actions").get(3).get(1)).set(1, json.getNodeFactory().numberNode(2));
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, sc.toString());
        assertThatThrownBy(() -> Scenario.read(bad))
                .hasMessageContaining("actions[3][1].channel must be in 0..1, got 2");

        sc.put("net", "alexnet");
        Files.writeString(bad, sc.toString());
        assertThatThrownBy(() -> Scenario.read(bad)).hasMessageContaining("unknown net 'alexnet'");

        Files.writeString(bad, "{\"net\": ");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc =
                SimMain.run(
                        new String[] {"--scenario", bad.toString()},
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not valid JSON");
    }
}
