package org.edgesplit.emulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/** When a UE's tasks arrive: the gap to the next arrival, in seconds. */
public interface ArrivalProcess {
    double nextGapS();

    /** Mean rate in tasks per second. */
    double rateHz();

    /** Poisson arrivals: exponential gaps with mean {@code 1/rate}. */
    static ArrivalProcess poisson(double rateHz, RandomGenerator random) {
        if (!(rateHz > 0)) {
            throw new IllegalArgumentException("arrival rate must be > 0, got " + rateHz);
        }
        return new ArrivalProcess() {
            @Override
            public double nextGapS() {
                return -Math.log(1.0 - random.nextDouble()) / rateHz;
            }

            @Override
            public double rateHz() {
                return rateHz;
            }
        };
    }

    /**
     * Arrivals from a trace file: one arrival time in milliseconds per line (Mahimahi-like),
     * repeated after the last one; {@code startIndex} lets UEs start at different places.
     */
    static ArrivalProcess fromTrace(Path file, int startIndex) {
        long[] ms = readTimes(file);
        // Gap before arrival i; the trace repeats with period ms[last], so gap 0 is ms[0].
        long[] gaps = new long[ms.length];
        gaps[0] = ms[0];
        for (int i = 1; i < ms.length; i++) {
            gaps[i] = ms[i] - ms[i - 1];
        }
        return new ArrivalProcess() {
            private int next = Math.floorMod(startIndex, ms.length);

            @Override
            public double nextGapS() {
                long gap = gaps[next];
                next = (next + 1) % gaps.length;
                return gap / 1000.0;
            }

            @Override
            public double rateHz() {
                return ms.length * 1000.0 / Math.max(1, ms[ms.length - 1]);
            }
        };
    }

    private static long[] readTimes(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read arrival trace " + file + ": " + e.getMessage(), e);
        }
        long[] ms =
                lines.stream()
                        .map(String::trim)
                        .filter(l -> !l.isEmpty())
                        .mapToLong(
                                l -> {
                                    try {
                                        return Long.parseLong(l);
                                    } catch (NumberFormatException e) {
                                        throw new IllegalArgumentException(
                                                "arrival trace "
                                                        + file
                                                        + ": '"
                                                        + l
                                                        + "' is not a millisecond time");
                                    }
                                })
                        .toArray();
        for (int i = 1; i < ms.length; i++) {
            if (ms[i] < ms[i - 1]) {
                throw new IllegalArgumentException(
                        "arrival trace "
                                + file
                                + ": times must not decrease (line "
                                + (i + 1)
                                + ")");
            }
        }
        if (ms.length == 0) {
            throw new IllegalArgumentException("arrival trace " + file + " is empty");
        }
        return ms;
    }

    /** Parses {@code poisson:RATE} or {@code trace:FILE}. */
    static ArrivalProcess parse(String spec, RandomGenerator random, int ueIndex) {
        String s = spec.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("poisson:")) {
            try {
                return poisson(Double.parseDouble(s.substring(8)), random);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--arrivals poisson:RATE needs a number: " + s);
            }
        }
        if (lower.startsWith("trace:")) {
            return fromTrace(Path.of(s.substring(6)), ueIndex * 7);
        }
        throw new IllegalArgumentException(
                "--arrivals must be poisson:RATE_HZ or trace:FILE, got '" + spec + "'");
    }
}
