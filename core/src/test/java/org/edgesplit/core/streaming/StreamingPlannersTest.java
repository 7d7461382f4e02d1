package org.edgesplit.core.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.edgesplit.core.planner.StreamingPlan;
import org.edgesplit.core.planner.StreamingProblem;
import org.junit.jupiter.api.Test;

class StreamingPlannersTest {
    private static final int LOCAL = 5;
    private static final double FLOOR = 0.90;

    /** Options shaped like the Fashion-MNIST bundle: bytes shrink and accuracy drops with bits. */
    static List<StreamingProblem.Option> options() {
        List<StreamingProblem.Option> o = new ArrayList<>();
        o.add(new StreamingProblem.Option(0, 8, 799, 0, 0, 0.001, 0.93));
        o.add(new StreamingProblem.Option(1, 4, 407, 0.004, 0.01, 0.0012, 0.93));
        o.add(new StreamingProblem.Option(2, 8, 407, 0.01, 0.025, 0.001, 0.93));
        o.add(new StreamingProblem.Option(2, 4, 211, 0.01, 0.025, 0.001, 0.925));
        o.add(new StreamingProblem.Option(2, 2, 113, 0.01, 0.025, 0.001, 0.85));
        o.add(new StreamingProblem.Option(3, 4, 111, 0.02, 0.05, 0.0007, 0.92));
        o.add(new StreamingProblem.Option(4, 4, 111, 0.03, 0.075, 0.0005, 0.92));
        o.add(new StreamingProblem.Option(LOCAL, 0, 0, 0.045, 0.11, 0, 0.93));
        return o;
    }

    static StreamingProblem problem(int ues) {
        List<StreamingProblem.Ue> list = new ArrayList<>();
        for (int i = 0; i < ues; i++) {
            double d = 10 + 15 * i;
            list.add(StreamingProblem.Ue.withGain(Math.pow(d, -3), 5, options()));
        }
        return new StreamingProblem(2e6, 1e-15, 1, 1, 2, FLOOR, list);
    }

    @Test
    void everyNamedPlannerRespectsTheAccuracyFloor() {
        for (String name : StreamingPlanners.NAMES) {
            StreamingPlan plan = StreamingPlanners.byName(name, null, LOCAL).plan(problem(7));
            assertThat(plan.assignments()).as(name).hasSize(7);
            for (int i = 0; i < 7; i++) {
                StreamingPlan.Assignment a = plan.assignments().get(i);
                StreamingProblem.Option chosen = options().get(a.option());
                assertThat(chosen.accuracy()).as(name).isGreaterThanOrEqualTo(FLOOR);
                assertThat(a.point()).isEqualTo(chosen.point());
                assertThat(a.power()).isBetween(0.0, 1.0);
            }
        }
    }

    @Test
    void fixedPlannersUseTheirPointAndShareTheBandEqually() {
        StreamingPlan edge = StreamingPlanners.byName("edge-only", null, LOCAL).plan(problem(4));
        assertThat(edge.assignments())
                .allSatisfy(
                        a -> {
                            assertThat(a.point()).isZero();
                            assertThat(a.bandwidthShare()).isCloseTo(0.25, within(1e-12));
                        });
        StreamingPlan local = StreamingPlanners.byName("local-only", null, LOCAL).plan(problem(4));
        assertThat(local.assignments())
                .allSatisfy(
                        a -> {
                            assertThat(a.point()).isEqualTo(LOCAL);
                            assertThat(a.bandwidthShare()).isZero();
                        });
        // At point 2 the floor rules out 2 bits, and 4 bits is the fewest bytes left.
        assertThat(StreamingPlanners.byName("fixed-2", null, LOCAL).plan(problem(3)).assignments())
                .allSatisfy(a -> assertThat(a.bits()).isEqualTo(4));
    }

    @Test
    void optimizerIsNoWorseThanAnyBaseline() {
        StreamingProblem pr = problem(6);
        double ours = StreamingPlanners.byName("optimizer", null, LOCAL).plan(pr).objective();
        for (String name :
                List.of("edge-only", "local-only", "fixed-2", "fixed-4", "greedy", "mahppo")) {
            assertThat(ours)
                    .as("vs " + name)
                    .isLessThanOrEqualTo(
                            StreamingPlanners.byName(name, null, LOCAL).plan(pr).objective()
                                    + 1e-9);
        }
    }

    @Test
    void unknownPlannerAndMissingPolicyFileGetClearErrors() {
        assertThatThrownBy(() -> StreamingPlanners.byName("oracle", null, LOCAL))
                .hasMessageContaining("unknown planner");
        assertThatThrownBy(() -> StreamingPlanners.byName("fixed-9", null, LOCAL))
                .hasMessageContaining("exceeds");
        assertThatThrownBy(
                        () ->
                                StreamingPlanners.byName(
                                        "mahppo", java.nio.file.Path.of("/no/such.mahppo"), LOCAL))
                .hasMessageContaining("cannot read MAHPPO policy file");
    }

    @Test
    void mahppoDistanceMappingInvertsTheChannel() {
        StreamingProblem pr = problem(1);
        StreamingProblem.Ue near = StreamingProblem.Ue.withGain(Math.pow(1, -3), 1, options());
        StreamingProblem.Ue far = StreamingProblem.Ue.withGain(Math.pow(100, -3), 1, options());
        StreamingProblem.Ue mid = StreamingProblem.Ue.withGain(Math.pow(50.5, -3), 1, options());
        assertThat(MahppoStreamingPlanner.normalisedDistance(pr, near)).isCloseTo(0, within(1e-9));
        assertThat(MahppoStreamingPlanner.normalisedDistance(pr, far)).isCloseTo(1, within(1e-9));
        assertThat(MahppoStreamingPlanner.normalisedDistance(pr, mid)).isCloseTo(0.5, within(1e-9));
        // A measured rate maps through Shannon on one 1 MHz paper sub-channel at 1 W, sigma^2 =
        // 1e-9.
        double rate50m = 1e6 * Math.log(1 + Math.pow(50.5, -3) / 1e-9) / Math.log(2);
        assertThat(
                        MahppoStreamingPlanner.normalisedDistance(
                                pr, StreamingProblem.Ue.withRate(rate50m, 1, options())))
                .isCloseTo(0.5, within(1e-6));
    }
}
