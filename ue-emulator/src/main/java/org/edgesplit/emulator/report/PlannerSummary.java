package org.edgesplit.emulator.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.edgesplit.core.stats.Quantiles;

/**
 * Per planner: latency percentiles, UE energy per task, accuracy, bytes sent and plan changes.
 *
 * @param accuracy fraction of tasks with a known label that were right, or NaN
 */
public record PlannerSummary(
        String planner,
        int tasks,
        double p50Ms,
        double p95Ms,
        double p99Ms,
        double energyPerTaskJ,
        double accuracy,
        long bytesSent,
        int planChanges) {

    /** Summaries in the order the planners ran. */
    public static List<PlannerSummary> of(RunLog log) {
        Map<String, List<RunLog.Task>> byPlanner = new LinkedHashMap<>();
        for (RunLog.Phase p : log.phases()) {
            byPlanner.putIfAbsent(p.planner(), new ArrayList<>());
        }
        for (RunLog.Task t : log.tasks()) {
            byPlanner.computeIfAbsent(t.planner(), k -> new ArrayList<>()).add(t);
        }
        Map<String, Integer> changes = new LinkedHashMap<>();
        for (RunLog.PlanEvent e : log.plans()) {
            changes.merge(e.planner(), 1, Integer::sum);
        }
        List<PlannerSummary> out = new ArrayList<>();
        byPlanner.forEach(
                (planner, tasks) -> {
                    double[] lat =
                            tasks.stream().mapToDouble(RunLog.Task::latencyMs).sorted().toArray();
                    long labelled = tasks.stream().filter(t -> t.correct() != null).count();
                    long right =
                            tasks.stream().filter(t -> Boolean.TRUE.equals(t.correct())).count();
                    out.add(
                            new PlannerSummary(
                                    planner,
                                    tasks.size(),
                                    Quantiles.ofSorted(lat, 0.5),
                                    Quantiles.ofSorted(lat, 0.95),
                                    Quantiles.ofSorted(lat, 0.99),
                                    tasks.stream()
                                            .mapToDouble(RunLog.Task::energyJ)
                                            .average()
                                            .orElse(Double.NaN),
                                    labelled == 0 ? Double.NaN : right / (double) labelled,
                                    tasks.stream().mapToLong(RunLog.Task::bytesSent).sum(),
                                    changes.getOrDefault(planner, 0)));
                });
        return out;
    }

    public static String table(List<PlannerSummary> rows) {
        StringBuilder b =
                new StringBuilder(
                        String.format(
                                "%-14s %7s %9s %9s %9s %12s %9s %12s %8s%n",
                                "planner",
                                "tasks",
                                "p50 ms",
                                "p95 ms",
                                "p99 ms",
                                "energy/task",
                                "accuracy",
                                "bytes sent",
                                "plans"));
        for (PlannerSummary s : rows) {
            b.append(
                    String.format(
                            "%-14s %7d %9.1f %9.1f %9.1f %10.4f J %9.4f %12d %8d%n",
                            s.planner(),
                            s.tasks(),
                            s.p50Ms(),
                            s.p95Ms(),
                            s.p99Ms(),
                            s.energyPerTaskJ(),
                            s.accuracy(),
                            s.bytesSent(),
                            s.planChanges()));
        }
        return b.toString();
    }
}
