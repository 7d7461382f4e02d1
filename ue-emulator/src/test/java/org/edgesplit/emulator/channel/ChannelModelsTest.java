package org.edgesplit.emulator.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Channel models against values computed by hand (python3 -c "import math; ..."). */
class ChannelModelsTest {
    private static final double W = 1e6;
    private static final double NOISE = 1e-9;
    private static final double G_50M = 8e-6; // 50^-3
    private static final double G_100M = 1e-6; // 100^-3
    private static final double RATE_TOL = 1e-3; // bit/s

    /** 1e6 * log2(1 + 8e-6 / 1e-9). */
    private static final double ALONE_50M = 12965964.610272082;

    /** 1e6 * log2(1 + 8e-6 / (1e-6 + 1e-9)): the near UE with the far one on its sub-channel. */
    private static final double NEAR_WITH_FAR = 3168643.317812528;

    /** 1e6 * log2(1 + 1e-6 / (8e-6 + 1e-9)): the far UE with the near one on its sub-channel. */
    private static final double FAR_WITH_NEAR = 169904.96637643944;

    private final PaperSubChannels paper = new PaperSubChannels(2, W, NOISE);

    @Test
    void shannonRateOfALoneUe() {
        double[] r = paper.rates(List.of(new Transmission(0, G_50M, 1.0, 0, 1)));
        assertThat(r[0]).isCloseTo(ALONE_50M, within(RATE_TOL));
    }

    @Test
    void uesOnOneSubChannelInterfere() {
        double[] r =
                paper.rates(
                        List.of(
                                new Transmission(0, G_50M, 1.0, 0, 1),
                                new Transmission(1, G_100M, 1.0, 0, 1)));
        assertThat(r[0]).isCloseTo(NEAR_WITH_FAR, within(RATE_TOL));
        assertThat(r[1]).isCloseTo(FAR_WITH_NEAR, within(RATE_TOL));
    }

    @Test
    void uesOnDifferentSubChannelsDoNotInterfere() {
        double[] r =
                paper.rates(
                        List.of(
                                new Transmission(0, G_50M, 1.0, 0, 1),
                                new Transmission(1, G_100M, 1.0, 1, 1)));
        assertThat(r[0]).isCloseTo(ALONE_50M, within(RATE_TOL));
    }

    @Test
    void ofdmaShareRate() {
        // 0.5 of 10 MHz, N0 = 1e-15 W/Hz: SNR = 8e-6 / (1e-15 * 5e6) = 1600; 5e6 * log2(1601).
        OfdmaShare ofdma = new OfdmaShare(10e6, 1e-15);
        assertThat(ofdma.rate(new Transmission(0, G_50M, 1.0, 0, 0.5)))
                .isCloseTo(53223787.962581284, within(RATE_TOL));
    }

    @Test
    void contentionSlowsATransmissionWhenAnotherStarts() {
        RateBasedUplink uplink = new RateBasedUplink(paper);
        long bits = Math.round(ALONE_50M * 0.5); // 0.5 s alone
        uplink.start(new Transmission(0, G_50M, 1.0, 0, 1), bits, 0.0);
        assertThat(uplink.nextFinishS()).isCloseTo(0.5, within(1e-6));

        uplink.start(new Transmission(1, G_100M, 1.0, 0, 1), 100_000_000L, 0.25);
        // Half the bits are left at 0.25 s; from then on the near UE gets NEAR_WITH_FAR.
        double expected = 0.25 + (bits - 0.25 * ALONE_50M) / NEAR_WITH_FAR;
        assertThat(uplink.nextFinishS()).isCloseTo(expected, within(1e-6));
        assertThat(uplink.finishedBy(expected - 1e-3)).isEmpty();
        var done = uplink.finishedBy(expected + 0.01); // noticed late ...
        assertThat(done).extracting(Uplink.Finished::ue).containsExactly(0);
        assertThat(done.get(0).atS()).isCloseTo(expected, within(1e-9)); // ... finished on time
    }

    @Test
    void rayleighFadingHasMeanOne() {
        var random = new java.util.SplittableRandom(7);
        double sum = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            sum += Fading.RAYLEIGH.sample(random);
        }
        assertThat(sum / n).isCloseTo(1.0, within(0.01));
        assertThat(Fading.NONE.sample(random)).isEqualTo(1.0);
    }

    private static final long[] OPS = {10, 10, 20, 30, 50};

    @Test
    void traceCapacityOverIntervals() {
        MahimahiTrace t = new MahimahiTrace("t", OPS);
        assertThat(t.capacityBytes(0, 25)).isEqualTo(3 * 1500); // 10, 10, 20
        assertThat(t.capacityBytes(0, 50)).isEqualTo(4 * 1500); // 50 itself is not < 50
        assertThat(t.capacityBytes(0, 100)).isEqualTo(9 * 1500); // + 50, 60, 60, 70, 80
        assertThat(t.capacityBytes(40, 65)).isEqualTo(3 * 1500); // 50, 60, 60
        assertThat(t.meanRateBps()).isCloseTo(5 * 1500 * 8 * 1000 / 50.0, within(1e-9));
    }

    @Test
    void traceFinishTimeIsTheLastPacketsOpportunity() {
        MahimahiTrace t = new MahimahiTrace("t", OPS);
        assertThat(t.finishMs(0, 1)).isEqualTo(10);
        assertThat(t.finishMs(0, 3000)).isEqualTo(10); // two packets, both at 10 ms
        assertThat(t.finishMs(11, 4500)).isEqualTo(50); // 20, 30, 50
        assertThat(t.finishMs(51, 1500)).isEqualTo(60); // next period
        assertThat(t.finishMs(0, 10 * 1500)).isEqualTo(100); // 10,10,20,30,50,60,60,70,80,100
    }

    @Test
    void traceUplinkGivesEachUeItsOwnLink() {
        MahimahiTrace t = new MahimahiTrace("t", OPS);
        TraceUplink up = new TraceUplink(List.of(t, t), new double[] {0, 40});
        up.start(new Transmission(0, 1, 1, 0, 1), 4500 * 8, 0.011);
        up.start(new Transmission(1, 1, 1, 0, 1), 1500 * 8, 0.0);
        assertThat(up.nextFinishS()).isCloseTo(0.010, within(1e-9)); // UE 1: 40 -> 50 ms
        assertThat(up.finishedBy(0.0100001)).containsExactly(new Uplink.Finished(1, 0.010));
        assertThat(up.finishedBy(0.05)).extracting(Uplink.Finished::ue).containsExactly(0);
    }

    @Test
    void realTraceCapacityOverItsPeriodIsItsLineCount() throws Exception {
        Path file =
                org.edgesplit.core.testing.TestPaths.repoRoot()
                        .resolve("traces/cellular-uplink/Verizon-LTE-short.up");
        MahimahiTrace t = MahimahiTrace.read(file);
        long lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count();
        // [0, period] holds every line; the opportunities at exactly 0 are also the previous end.
        assertThat(t.capacityBytes(0, t.periodMs() + 1e-6)).isEqualTo(lines * 1500);
    }

    @Test
    void unreadableTracesGetClearErrors(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> MahimahiTrace.read(dir.resolve("missing.up")))
                .hasMessageContaining("cannot read uplink trace")
                .hasMessageContaining("missing.up");
        Path bad = dir.resolve("bad.up");
        Files.writeString(bad, "10\n20\nfast\n");
        assertThatThrownBy(() -> MahimahiTrace.read(bad))
                .hasMessageContaining("line 3")
                .hasMessageContaining("'fast' is not a millisecond timestamp");
        Path empty = dir.resolve("empty.up");
        Files.writeString(empty, "\n");
        assertThatThrownBy(() -> MahimahiTrace.read(empty))
                .hasMessageContaining("no delivery opportunities");
        Path backwards = dir.resolve("backwards.up");
        Files.writeString(backwards, "10\n5\n");
        assertThatThrownBy(() -> MahimahiTrace.read(backwards))
                .hasMessageContaining("must not decrease");
    }
}
