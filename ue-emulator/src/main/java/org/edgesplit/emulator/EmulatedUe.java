package org.edgesplit.emulator;

import java.util.ArrayDeque;
import java.util.Deque;
import org.edgesplit.avro.FeatureFrame;
import org.edgesplit.avro.Plan;
import org.edgesplit.core.codec.FeatureCodec;

/** One emulated UE: its link, arrivals, plan, energy and the task it is working on. */
final class EmulatedUe {
    enum State {
        IDLE,
        COMPUTING,
        UPLOADING
    }

    /** One inference task on this UE. */
    static final class Task {
        final long seq;
        final long arrivalNanos;
        final long captureEpochMs;
        final int image;
        final int label;
        Plan plan;
        long computeDueNanos;
        long computeEndEpochMs;
        boolean computeDue;
        boolean computeReady;
        FeatureCodec.Encoded encoded;
        int predicted;
        FeatureFrame frame;
        long wireBytes;
        double uplinkStartS;
        double rateAtStartBps;
        double gain;

        Task(long seq, long arrivalNanos, long captureEpochMs, int image, int label) {
            this.seq = seq;
            this.arrivalNanos = arrivalNanos;
            this.captureEpochMs = captureEpochMs;
            this.image = image;
            this.label = label;
        }
    }

    final int index;
    final String id;
    final double distanceM;
    final double pathGain;
    final ArrivalProcess arrivals;
    final PlanFollower plan;
    final EnergyAccount energy = new EnergyAccount();
    final Deque<Task> backlog = new ArrayDeque<>();
    State state = State.IDLE;
    Task current;
    long arrived;
    long frames;
    long localTasks;
    boolean arrivalsDone;

    // Per telemetry interval.
    long intervalArrivals;
    double intervalBits;
    double intervalUplinkS;
    private double intervalLatencySumMs;
    private long intervalLatencyCount;

    EmulatedUe(
            int index,
            String id,
            double distanceM,
            double pathGain,
            ArrivalProcess arrivals,
            Plan initial) {
        this.index = index;
        this.id = id;
        this.distanceM = distanceM;
        this.pathGain = pathGain;
        this.arrivals = arrivals;
        this.plan = new PlanFollower(initial);
    }

    synchronized void finished(double latencyMs) {
        intervalLatencySumMs += latencyMs;
        intervalLatencyCount++;
    }

    /** Mean latency of tasks finished since the last call, or null when none finished. */
    synchronized Double takeMeanLatencyMs() {
        Double mean =
                intervalLatencyCount == 0 ? null : intervalLatencySumMs / intervalLatencyCount;
        intervalLatencySumMs = 0;
        intervalLatencyCount = 0;
        return mean;
    }

    boolean drained() {
        return arrivalsDone && state == State.IDLE && backlog.isEmpty();
    }
}
