package org.edgesplit.emulator.channel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A Mahimahi link trace: each line is a millisecond at which one 1500-byte packet may cross. The
 * trace repeats with a period equal to its last timestamp, as Mahimahi replays it.
 */
public final class MahimahiTrace {
    public static final int PACKET_BYTES = 1500;

    private final String name;
    private final long[] opportunitiesMs;
    private final long periodMs;

    public MahimahiTrace(String name, long[] opportunitiesMs) {
        if (opportunitiesMs.length == 0) {
            throw new IllegalArgumentException("trace " + name + " has no delivery opportunities");
        }
        for (int i = 1; i < opportunitiesMs.length; i++) {
            if (opportunitiesMs[i] < opportunitiesMs[i - 1]) {
                throw new IllegalArgumentException(
                        "trace " + name + " line " + (i + 1) + ": timestamps must not decrease");
            }
        }
        if (opportunitiesMs[0] < 0 || opportunitiesMs[opportunitiesMs.length - 1] <= 0) {
            throw new IllegalArgumentException(
                    "trace " + name + ": timestamps must be >= 0 and the last one > 0");
        }
        this.name = name;
        this.opportunitiesMs = opportunitiesMs.clone();
        this.periodMs = opportunitiesMs[opportunitiesMs.length - 1];
    }

    /** Reads a trace file; a missing, unreadable or malformed file is a clear error. */
    public static MahimahiTrace read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read uplink trace " + file + ": " + e.getMessage(), e);
        }
        long[] ms = new long[lines.size()];
        int n = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            try {
                ms[n++] = Long.parseLong(line);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "uplink trace "
                                + file
                                + " line "
                                + (i + 1)
                                + ": '"
                                + line
                                + "' is not a millisecond timestamp (Mahimahi format: one integer per line)");
            }
        }
        return new MahimahiTrace(file.getFileName().toString(), Arrays.copyOf(ms, n));
    }

    public String name() {
        return name;
    }

    public long periodMs() {
        return periodMs;
    }

    /** Mean capacity over one period in bit/s. */
    public double meanRateBps() {
        return opportunitiesMs.length * (double) PACKET_BYTES * 8 * 1000 / periodMs;
    }

    /** Bytes the link can carry in {@code [fromMs, toMs)}. */
    public long capacityBytes(double fromMs, double toMs) {
        return (countBefore(toMs) - countBefore(fromMs)) * PACKET_BYTES;
    }

    /** Delivery opportunities at times {@code < t} since time 0 (repeating the trace). */
    private long countBefore(double t) {
        if (t <= 0) {
            return 0;
        }
        // Cycle c holds the opportunities at c * period + ms[i], ms[i] in [0, period]; choosing c
        // with t - c * period in (0, period] makes every earlier cycle count in full.
        long cycle = (long) Math.ceil(t / periodMs) - 1;
        double local = t - cycle * (double) periodMs;
        return cycle * opportunitiesMs.length + lowerBound(local);
    }

    /** When the last of the packets carrying {@code bytes} crosses, starting at {@code startMs}. */
    public double finishMs(double startMs, long bytes) {
        long packets = Math.max(1, (bytes + PACKET_BYTES - 1) / PACKET_BYTES);
        long index = countBefore(startMs) + packets - 1;
        long cycle = index / opportunitiesMs.length;
        int pos = (int) (index % opportunitiesMs.length);
        return cycle * (double) periodMs + opportunitiesMs[pos];
    }

    private int lowerBound(double t) {
        int lo = 0;
        int hi = opportunitiesMs.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (opportunitiesMs[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
