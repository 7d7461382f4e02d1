package org.edgesplit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.edgesplit.avro.Plan;
import org.edgesplit.core.paper.Dnn;
import org.edgesplit.core.streaming.DeviceProfile;
import org.junit.jupiter.api.Test;

/** Energy accounting, device profiles and plan following as plain functions. */
class EnergyAndPlanTest {
    private static final double TOL = 1e-12;

    @Test
    void energyIsComputePowerTimesTimePlusTransmitPowerTimesTime() {
        EnergyAccount e = new EnergyAccount();
        // ResNet18 point 1 on the Jetson Nano: 2.2885 W for 0.004359 s.
        assertThat(e.addCompute(2.2885, 0.004359)).isCloseTo(0.0099755715, within(TOL));
        assertThat(e.addTransmit(0.5, 0.2)).isCloseTo(0.1, within(TOL));
        assertThat(e.totalJ()).isCloseTo(0.1099755715, within(TOL));
        assertThat(e.sinceLastReportJ()).isCloseTo(0.1099755715, within(TOL));
        e.addTransmit(1.0, 0.01);
        assertThat(e.sinceLastReportJ()).isCloseTo(0.01, within(TOL));
        assertThat(e.computeJ()).isCloseTo(0.0099755715, within(TOL));
        assertThat(e.transmitJ()).isCloseTo(0.11, within(TOL));
    }

    @Test
    void paperProfileIsTheJetsonNanoTable() {
        DeviceProfile p = DeviceProfile.paper(Dnn.VGG11);
        assertThat(p.latencyS(0)).isZero();
        assertThat(p.powerW(0)).isZero();
        assertThat(p.latencyS(3)).isEqualTo(0.100595);
        assertThat(p.powerW(3)).isEqualTo(2.8618);
        assertThat(p.computeEnergyJ(5)).isCloseTo(0.1893 * 2.5795, within(TOL));
    }

    static Plan plan(long epoch, int point) {
        return Plan.newBuilder()
                .setUeId("ue-0")
                .setEpoch(epoch)
                .setSplitPoint(point)
                .setBits(4)
                .setTransmitPowerW(1.0)
                .setPlanner("test")
                .setIssuedTimeMs(0)
                .build();
    }

    @Test
    void aNewPlanWaitsForTheNextTask() {
        PlanFollower f = new PlanFollower(plan(0, 2));
        assertThat(f.offer(plan(1, 3))).isTrue();
        assertThat(f.current().getSplitPoint())
                .as("the task in progress keeps its plan")
                .isEqualTo(2);
        assertThat(f.epoch()).isZero();
        assertThat(f.applyAtTaskStart().getEpoch()).isEqualTo(1);
        assertThat(f.current().getSplitPoint()).isEqualTo(3);
        assertThat(f.applyAtTaskStart()).as("nothing new").isNull();
    }

    @Test
    void olderAndRepeatedEpochsAreIgnored() {
        PlanFollower f = new PlanFollower(plan(5, 2));
        assertThat(f.offer(plan(4, 1))).isFalse();
        assertThat(f.offer(plan(5, 1))).isFalse();
        assertThat(f.offer(plan(7, 1))).isTrue();
        assertThat(f.offer(plan(6, 0))).as("older than the pending one").isFalse();
        f.applyAtTaskStart();
        assertThat(f.epoch()).isEqualTo(7);
        assertThat(f.current().getSplitPoint()).isEqualTo(1);
    }
}
