package org.edgesplit.core.mahppo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.edgesplit.core.paper.Dnn;
import org.edgesplit.core.paper.Episodes;
import org.edgesplit.core.paper.PaperEnv;
import org.edgesplit.core.paper.PaperSettings;
import org.edgesplit.core.planner.PaperDecision;
import org.junit.jupiter.api.Test;

/** The trained ResNet18 policy shipped on the class path loads and acts, as the planner needs. */
class BundledPolicyTest {
    static final String RESNET18 = "/org/edgesplit/core/mahppo/resnet18-5ue.mahppo";

    @Test
    void bundledResnet18PolicyLoadsFromTheClassPathAndActsOnAState() throws Exception {
        MahppoPolicy policy = MahppoPolicy.loadResource(RESNET18);
        PaperSettings s = PaperSettings.paper(Dnn.RESNET18);
        assertThat(policy.net()).isEqualTo("resnet18");
        assertThat(policy.users()).isEqualTo(5);
        assertThat(policy.stateDim()).isEqualTo(s.stateDim());
        assertThat(policy.channels()).isEqualTo(s.channels());

        PaperEnv env = new PaperEnv(s);
        env.resetTest();
        PaperDecision d = policy.act(env.state());
        assertThat(d.points()).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(d.points()[i]).isBetween(0, 5);
            assertThat(d.channels()[i]).isBetween(0, s.channels() - 1);
            assertThat(d.powers()[i]).isBetween(1e-10, s.pmax());
        }
        // a whole test episode finishes under the trained policy
        assertThat(Episodes.test(policy, s, 10_000).completed()).isTrue();
    }

    @Test
    void missingResourceIsReportedByName() {
        assertThatThrownBy(() -> MahppoPolicy.loadResource("/no/such.mahppo"))
                .hasMessageContaining("/no/such.mahppo");
    }
}
