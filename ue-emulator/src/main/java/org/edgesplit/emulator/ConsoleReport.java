package org.edgesplit.emulator;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/** The console: a live progress line and the summary table at the end. */
final class ConsoleReport {
    /** Most per-UE rows in the summary; the totals row covers every UE. */
    private static final int MAX_ROWS = 20;

    private final PrintStream out;
    private final Emulator emulator;
    private long lastFrames;
    private long lastAnswered;
    private long lastNanos = System.nanoTime();
    private final long startNanos = System.nanoTime();

    ConsoleReport(PrintStream out, Emulator emulator) {
        this.out = out;
        this.emulator = emulator;
    }

    void progress() {
        long now = System.nanoTime();
        double dt = Math.max(1e-9, (now - lastNanos) / 1e9);
        long frames = emulator.framesSent();
        long answered = emulator.matcher().matched();
        ResultMatcher m = emulator.matcher();
        out.printf(
                Locale.ROOT,
                "[%6.1f s] UEs %d | frames %d (%.1f/s) | done %d (%.1f/s) | latency p50 %s p99 %s ms | UE side p50 %s p99 %s ms | energy %.2f J%n",
                (now - startNanos) / 1e9,
                emulator.ueCount(),
                frames,
                (frames - lastFrames) / dt,
                answered,
                (answered - lastAnswered) / dt,
                ms(m.endToEnd().percentile(0.5)),
                ms(m.endToEnd().percentile(0.99)),
                ms(emulator.ueSideLatency().percentile(0.5)),
                ms(emulator.ueSideLatency().percentile(0.99)),
                emulator.energyJ());
        lastFrames = frames;
        lastAnswered = answered;
        lastNanos = now;
    }

    /** Milliseconds with one decimal, "-" when there is no sample yet. */
    static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    void summary(double seconds) {
        ResultMatcher m = emulator.matcher();
        List<Emulator.UeSummary> rows = emulator.ueSummaries();
        out.println();
        out.printf(
                Locale.ROOT,
                "Summary (%.1f s of emulation, device profile %s)%n",
                seconds,
                emulator.profile().name());
        out.printf(
                Locale.ROOT,
                "  %-10s %8s %7s %7s %7s %10s %10s %6s%n",
                "UE",
                "dist m",
                "tasks",
                "frames",
                "local",
                "compute J",
                "transmit J",
                "epoch");
        long tasks = 0;
        long frames = 0;
        long local = 0;
        double cj = 0;
        double tj = 0;
        for (int i = 0; i < rows.size(); i++) {
            Emulator.UeSummary r = rows.get(i);
            tasks += r.tasks();
            frames += r.frames();
            local += r.local();
            cj += r.computeJ();
            tj += r.transmitJ();
            if (i < MAX_ROWS) {
                out.printf(
                        Locale.ROOT,
                        "  %-10s %8.1f %7d %7d %7d %10.4f %10.4f %6d%n",
                        r.id(),
                        r.distanceM(),
                        r.tasks(),
                        r.frames(),
                        r.local(),
                        r.computeJ(),
                        r.transmitJ(),
                        r.planEpoch());
            } else if (i == MAX_ROWS) {
                out.printf("  ... %d more UEs%n", rows.size() - MAX_ROWS);
            }
        }
        out.printf(
                Locale.ROOT,
                "  %-10s %8s %7d %7d %7d %10.4f %10.4f%n",
                "all",
                "",
                tasks,
                frames,
                local,
                cj,
                tj);
        long done = m.matched();
        out.printf(
                Locale.ROOT,
                "  frames/s %.1f, bytes sent %d, tasks finished %d, unanswered %d, dropped at stop %d%n",
                frames / Math.max(1e-9, seconds),
                emulator.bytesSent(),
                done,
                m.unanswered(),
                emulator.droppedAtStop());
        out.printf(
                Locale.ROOT,
                "  latency ms (tasks finished): p50 %s  p95 %s  p99 %s  max %s | uplink mean %s ms | edge mean %s ms%n",
                ms(m.endToEnd().percentile(0.5)),
                ms(m.endToEnd().percentile(0.95)),
                ms(m.endToEnd().percentile(0.99)),
                ms(m.endToEnd().max()),
                ms(m.uplink().mean()),
                ms(m.edge().mean()));
        out.printf(
                Locale.ROOT,
                "  UE side (arrival to frame handed to Kafka) ms: p50 %s  p99 %s%n",
                ms(emulator.ueSideLatency().percentile(0.5)),
                ms(emulator.ueSideLatency().percentile(0.99)));
        out.printf(
                Locale.ROOT,
                "  accuracy %.4f | energy per task %.4f J | plans applied %d, rejected %d%n",
                m.accuracy(),
                done == 0 ? Double.NaN : (cj + tj) / Math.max(1, tasks - emulator.droppedAtStop()),
                emulator.plansApplied(),
                emulator.plansRejected());
    }
}
