package org.edgesplit.emulator.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A self-contained HTML report of a demo run (inline SVG, no scripts or downloads): the summary
 * table per planner, latency CDF per planner, energy per task, split-point mix over time and the
 * plan epochs UEs received.
 */
public final class HtmlReport {
    private static final String[] COLORS = {
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf"
    };
    private static final int W = 720;
    private static final int H = 300;
    private static final int PAD = 50;
    private static final long MIX_BUCKET_MS = 2000;

    private HtmlReport() {}

    public static void write(RunLog log, String title, String setup, Path file) throws IOException {
        List<PlannerSummary> summaries = PlannerSummary.of(log);
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
                .append(esc(title))
                .append("</title>")
                .append(
                        "<style>body{font-family:sans-serif;max-width:900px;margin:2em auto;color:#222}"
                                + "table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}"
                                + "th:first-child,td:first-child{text-align:left}svg{background:#fafafa;margin:0.5em 0}"
                                + "</style></head><body>");
        h.append("<h1>").append(esc(title)).append("</h1><p>").append(esc(setup)).append("</p>");
        h.append(
                "<h2>Per planner</h2><table><tr><th>planner</th><th>tasks</th><th>p50 ms</th><th>p95 ms</th>"
                        + "<th>p99 ms</th><th>UE energy / task (J)</th><th>accuracy</th><th>bytes sent</th><th>plans received</th></tr>");
        for (PlannerSummary s : summaries) {
            h.append(
                    String.format(
                            Locale.ROOT,
                            "<tr><td>%s</td><td>%d</td><td>%.1f</td><td>%.1f</td><td>%.1f</td><td>%.4f</td><td>%.4f</td><td>%d</td><td>%d</td></tr>",
                            esc(s.planner()),
                            s.tasks(),
                            s.p50Ms(),
                            s.p95Ms(),
                            s.p99Ms(),
                            s.energyPerTaskJ(),
                            s.accuracy(),
                            s.bytesSent(),
                            s.planChanges()));
        }
        h.append("</table>");
        h.append("<h2>Latency CDF (capture to result)</h2>").append(latencyCdf(log, summaries));
        h.append("<h2>UE energy per task</h2>").append(energyBars(summaries));
        h.append("<h2>Split-point mix over time</h2>").append(pointMix(log));
        h.append("<h2>Plan epochs received</h2>").append(epochs(log));
        h.append("</body></html>\n");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, h.toString(), StandardCharsets.UTF_8);
    }

    /**
     * CDF on a log latency axis: tails of seconds and medians of milliseconds both stay readable.
     */
    private static String latencyCdf(RunLog log, List<PlannerSummary> summaries) {
        double max = log.tasks().stream().mapToDouble(RunLog.Task::latencyMs).max().orElse(10);
        double lo = 0;
        double hi = Math.max(1, Math.ceil(Math.log10(Math.max(10, max))));
        StringBuilder svg = frame("latency ms (log scale)", "fraction of tasks", hi - lo, 1, false);
        for (int d = 0; d <= hi; d++) {
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>",
                            x(d, hi),
                            H - PAD + 14,
                            d == 0 ? "1" : "1e" + d));
        }
        StringBuilder legends = new StringBuilder();
        int c = 0;
        for (PlannerSummary s : summaries) {
            double[] lat =
                    log.tasks().stream()
                            .filter(t -> t.planner().equals(s.planner()))
                            .mapToDouble(RunLog.Task::latencyMs)
                            .sorted()
                            .toArray();
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < lat.length; i += Math.max(1, lat.length / 300)) {
                double lx = Math.log10(Math.max(1, lat[i]));
                pts.append(
                        String.format(
                                Locale.ROOT,
                                "%.1f,%.1f ",
                                x(lx, hi),
                                y((i + 1.0) / lat.length, 1)));
            }
            svg.append(
                    String.format(
                            "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>",
                            COLORS[c % COLORS.length], pts));
            legends.append(legend(c, s.planner()));
            c++;
        }
        return svg.append(legends).append("</svg>").toString();
    }

    private static String energyBars(List<PlannerSummary> summaries) {
        double max =
                summaries.stream()
                        .mapToDouble(PlannerSummary::energyPerTaskJ)
                        .filter(Double::isFinite)
                        .max()
                        .orElse(1);
        max = max > 0 ? max : 1;
        StringBuilder svg = frame("", "J per task", summaries.size(), max, false);
        for (int i = 0; i < summaries.size(); i++) {
            double e = summaries.get(i).energyPerTaskJ();
            if (!Double.isFinite(e)) {
                continue;
            }
            double x0 = x(i + 0.15, summaries.size());
            double x1 = x(i + 0.85, summaries.size());
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
                            x0,
                            y(e, max),
                            x1 - x0,
                            y(0, max) - y(e, max),
                            COLORS[i % COLORS.length]));
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>",
                            (x0 + x1) / 2,
                            H - PAD + 30,
                            esc(summaries.get(i).planner())));
        }
        return svg.append("</svg>").toString();
    }

    private static String pointMix(RunLog log) {
        List<RunLog.Task> tasks = log.tasks();
        if (tasks.isEmpty()) {
            return "<p>no tasks</p>";
        }
        long t0 = tasks.stream().mapToLong(RunLog.Task::timeMs).min().orElse(0);
        long t1 = tasks.stream().mapToLong(RunLog.Task::timeMs).max().orElse(t0 + 1);
        int buckets = (int) Math.max(1, (t1 - t0) / MIX_BUCKET_MS + 1);
        TreeMap<Integer, double[]> counts = new TreeMap<>();
        double[] total = new double[buckets];
        for (RunLog.Task t : tasks) {
            int b = (int) ((t.timeMs() - t0) / MIX_BUCKET_MS);
            counts.computeIfAbsent(t.point(), k -> new double[buckets])[b]++;
            total[b]++;
        }
        double seconds = (t1 - t0) / 1000.0;
        StringBuilder svg =
                frame(
                        "seconds into the run",
                        "share of tasks per split point",
                        Math.max(1, seconds),
                        1);
        double[] base = new double[buckets];
        StringBuilder legends = new StringBuilder();
        int c = 0;
        for (Map.Entry<Integer, double[]> e : counts.entrySet()) {
            StringBuilder top = new StringBuilder();
            StringBuilder bottom = new StringBuilder();
            for (int b = 0; b < buckets; b++) {
                double share = total[b] == 0 ? 0 : e.getValue()[b] / total[b];
                double xs = b * MIX_BUCKET_MS / 1000.0;
                top.append(
                        String.format(
                                Locale.ROOT,
                                "%.1f,%.1f ",
                                x(xs, Math.max(1, seconds)),
                                y(base[b] + share, 1)));
                bottom.insert(
                        0,
                        String.format(
                                Locale.ROOT,
                                "%.1f,%.1f ",
                                x(xs, Math.max(1, seconds)),
                                y(base[b], 1)));
                base[b] += share;
            }
            svg.append(
                    String.format(
                            "<polygon fill=\"%s\" opacity=\"0.8\" points=\"%s%s\"/>",
                            COLORS[Math.floorMod(e.getKey(), COLORS.length)], top, bottom));
            legends.append(
                    legend(
                            c,
                            "point " + e.getKey(),
                            COLORS[Math.floorMod(e.getKey(), COLORS.length)]));
            c++;
        }
        int phaseIndex = 0;
        for (RunLog.Phase p : log.phases()) {
            double xs = (p.startMs() - t0) / 1000.0;
            if (xs >= 0 && xs <= seconds) {
                svg.append(
                        String.format(
                                Locale.ROOT,
                                "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#000\" stroke-dasharray=\"4\"/>"
                                        + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%s</text>",
                                x(xs, seconds),
                                x(xs, seconds),
                                PAD,
                                H - PAD,
                                x(xs, seconds) + 3,
                                PAD - 5 - 12 * (phaseIndex++ % 2),
                                esc(p.planner())));
            }
        }
        svg.append(legends);
        return svg.append("</svg>").toString();
    }

    private static String epochs(RunLog log) {
        List<RunLog.PlanEvent> plans = new ArrayList<>(log.plans());
        if (plans.isEmpty()) {
            return "<p>no plans were received</p>";
        }
        long t0 =
                Math.min(
                        plans.stream().mapToLong(RunLog.PlanEvent::timeMs).min().orElse(0),
                        log.phases().stream()
                                .mapToLong(RunLog.Phase::startMs)
                                .min()
                                .orElse(Long.MAX_VALUE));
        double seconds =
                Math.max(
                        1,
                        (plans.stream().mapToLong(RunLog.PlanEvent::timeMs).max().orElse(t0) - t0)
                                / 1000.0);
        long e0 = plans.stream().mapToLong(RunLog.PlanEvent::epoch).min().orElse(0);
        double emax =
                Math.max(1, plans.stream().mapToLong(RunLog.PlanEvent::epoch).max().orElse(1) - e0);
        StringBuilder svg = frame("seconds into the run", "plan epoch (relative)", seconds, emax);
        for (RunLog.PlanEvent p : plans) {
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>",
                            x((p.timeMs() - t0) / 1000.0, seconds),
                            y(p.epoch() - e0, emax),
                            COLORS[Math.floorMod(p.point(), COLORS.length)]));
        }
        return svg.append("</svg><p>Dot colour = split point of the plan.</p>").toString();
    }

    private static StringBuilder frame(String xLabel, String yLabel, double xmax, double ymax) {
        return frame(xLabel, yLabel, xmax, ymax, true);
    }

    private static StringBuilder frame(
            String xLabel, String yLabel, double xmax, double ymax, boolean xTicks) {
        StringBuilder s =
                new StringBuilder(
                        String.format(
                                "<svg width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">",
                                W, H));
        s.append(
                String.format(
                        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>",
                        PAD, H - PAD, W - PAD, H - PAD));
        s.append(
                String.format(
                        "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>",
                        PAD, PAD, PAD, H - PAD));
        if (xTicks) {
            s.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"%d\" y=\"%d\" font-size=\"11\">0</text><text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%.3g</text>",
                            PAD - 10,
                            H - PAD + 14,
                            W - PAD,
                            H - PAD + 14,
                            xmax));
        }
        s.append(
                String.format(
                        Locale.ROOT,
                        "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%.3g</text>",
                        PAD - 4,
                        PAD + 4,
                        ymax));
        s.append(
                String.format(
                        "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>",
                        W / 2, H - 8, esc(xLabel)));
        s.append(
                String.format(
                        "<text x=\"14\" y=\"%d\" font-size=\"12\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s</text>",
                        H / 2, H / 2, esc(yLabel)));
        return s;
    }

    private static String legend(int i, String label) {
        return legend(i, label, COLORS[i % COLORS.length]);
    }

    /**
     * Split points keep one colour in every chart (the point index), planners take theirs in order.
     */
    private static String legend(int i, String label, String color) {
        return String.format(
                "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>",
                W - PAD - 150, PAD + 18 * i, color, W - PAD - 132, PAD + 18 * i + 10, esc(label));
    }

    private static double x(double v, double max) {
        return PAD + (W - 2 * PAD) * v / max;
    }

    private static double y(double v, double max) {
        return H - PAD - (H - 2 * PAD) * v / max;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
