package org.edgesplit.emulator.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a demo run saw, for its summary table and report: every finished task, every plan a UE
 * applied, and which planner was in charge when.
 */
public final class RunLog {
    /** One finished task. */
    public record Task(
            String ueId,
            String planner,
            long timeMs,
            double latencyMs,
            double energyJ,
            int point,
            int bits,
            long bytesSent,
            Boolean correct) {}

    /** A plan a UE received. */
    public record PlanEvent(
            long timeMs, String ueId, long epoch, int point, int bits, String planner) {}

    /** A stretch of the run under one planner. */
    public record Phase(String planner, long startMs, long endMs) {}

    private final List<Task> tasks = Collections.synchronizedList(new ArrayList<>());
    private final List<PlanEvent> plans = Collections.synchronizedList(new ArrayList<>());
    private final List<Phase> phases = Collections.synchronizedList(new ArrayList<>());

    public void task(Task t) {
        tasks.add(t);
    }

    public void plan(PlanEvent p) {
        plans.add(p);
    }

    public void phase(Phase p) {
        phases.add(p);
    }

    public List<Task> tasks() {
        synchronized (tasks) {
            return List.copyOf(tasks);
        }
    }

    public List<PlanEvent> plans() {
        synchronized (plans) {
            return List.copyOf(plans);
        }
    }

    public List<Phase> phases() {
        synchronized (phases) {
            return List.copyOf(phases);
        }
    }
}
