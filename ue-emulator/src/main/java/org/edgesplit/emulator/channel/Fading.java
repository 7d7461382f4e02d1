package org.edgesplit.emulator.channel;

import java.util.Locale;
import java.util.random.RandomGenerator;

/** Small-scale fading on model-based channels: a power gain factor drawn per frame. */
public enum Fading {
    /** No fading: the gain is the path loss alone, as in the paper. */
    NONE,
    /** Rayleigh block fading: {@code |h|^2 ~ Exp(1)} (mean 1), drawn for each frame. */
    RAYLEIGH;

    public double sample(RandomGenerator random) {
        return this == NONE ? 1.0 : -Math.log(1.0 - random.nextDouble());
    }

    public static Fading parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--fading must be none or rayleigh, got '" + text + "'");
        }
    }
}
