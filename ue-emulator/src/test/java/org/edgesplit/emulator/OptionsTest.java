package org.edgesplit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.edgesplit.emulator.trace.TraceReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad options and unreadable files get errors that say what is wrong. */
class OptionsTest {
    @Test
    void defaultsParse() {
        EmulatorOptions o = EmulatorOptions.parse();
        assertThat(o.embeddedKafka()).isTrue();
        assertThat(o.ues()).isEqualTo(4);
        assertThat(o.channel()).isEqualTo(EmulatorOptions.ChannelKind.SUBCHANNELS);
        assertThat(o.ueId(3)).isEqualTo("ue-3");
    }

    @Test
    void badOptionsSayWhatIsWrong() {
        assertThatThrownBy(() -> EmulatorOptions.parse("--uess", "3"))
                .hasMessageContaining("unknown option --uess");
        assertThatThrownBy(() -> EmulatorOptions.parse("--ues", "many"))
                .hasMessageContaining("non-numeric");
        assertThatThrownBy(() -> EmulatorOptions.parse("--ues", "0"))
                .hasMessageContaining("--ues must be >= 1");
        assertThatThrownBy(() -> EmulatorOptions.parse("--channel", "wifi"))
                .hasMessageContaining("--channel must be subchannels, ofdma or trace");
        assertThatThrownBy(() -> EmulatorOptions.parse("--distance-m", "50:10"))
                .hasMessageContaining("--distance-m");
        assertThatThrownBy(() -> EmulatorOptions.parse("--arrivals", "bursty"))
                .hasMessageContaining("poisson:RATE_HZ or trace:FILE");
        assertThatThrownBy(() -> EmulatorOptions.parse("--arrivals", "poisson:-1"))
                .hasMessageContaining("arrival rate must be > 0");
        assertThatThrownBy(() -> EmulatorOptions.parse("--fading", "rician"))
                .hasMessageContaining("--fading must be none or rayleigh");
        assertThatThrownBy(() -> EmulatorOptions.parse("--device-profile", "pixel"))
                .hasMessageContaining("--device-profile must be");
        assertThatThrownBy(() -> EmulatorOptions.parse("--bits", "9"))
                .hasMessageContaining("--bits must be 1..8");
        assertThatThrownBy(() -> EmulatorOptions.parse("--ues"))
                .hasMessageContaining("--ues needs a value");
    }

    @Test
    void unreadableTracesAreNamed(@TempDir Path dir) throws Exception {
        assertThatThrownBy(
                        () ->
                                EmulatorOptions.parse(
                                        "--channel", "trace", "--traces", dir + "/none.up"))
                .hasMessageContaining("cannot read uplink trace")
                .hasMessageContaining("none.up");
        assertThatThrownBy(
                        () ->
                                EmulatorOptions.parse(
                                        "--channel", "trace", "--traces", dir.toString()))
                .hasMessageContaining("no *.up files");
        assertThatThrownBy(() -> EmulatorOptions.parse("--arrivals", "trace:" + dir + "/x.txt"))
                .hasMessageContaining("cannot read arrival trace");
        assertThatThrownBy(() -> EmulatorOptions.parse("--record", dir + "/nope/run.avro"))
                .hasMessageContaining("does not exist");
    }

    @Test
    void replayOptionsAndBadTraceFiles(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ReplayMain.parse())
                .hasMessageContaining("--trace FILE is required");
        assertThatThrownBy(() -> ReplayMain.parse("--trace", "x", "--speed", "0"))
                .hasMessageContaining("--speed must be a positive number");
        assertThatThrownBy(() -> ReplayMain.parse("--trace", "x", "--speed", "fast"))
                .hasMessageContaining("or max");
        assertThat(ReplayMain.parse("--trace", "x", "--speed", "max").speed()).isInfinite();
        assertThat(ReplayMain.parse("--trace", "x", "--speed", "10").speed()).isEqualTo(10);

        assertThatThrownBy(() -> TraceReader.read(dir.resolve("missing.avro")))
                .hasMessageContaining("cannot read trace file");
        Path garbage = dir.resolve("garbage.avro");
        Files.writeString(garbage, "not avro at all");
        assertThatThrownBy(() -> TraceReader.read(garbage))
                .hasMessageContaining("is not a readable EdgeSplit trace");
    }
}
