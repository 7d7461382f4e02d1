package org.edgesplit.core.streaming;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.edgesplit.core.mahppo.MahppoPolicy;
import org.edgesplit.core.planner.Planner;
import org.edgesplit.core.planner.StreamingOptimizer;
import org.edgesplit.core.planner.StreamingPlan;
import org.edgesplit.core.planner.StreamingProblem;

/**
 * The planners a live cell can run, by name: {@code optimizer} (ours), {@code mahppo} (the paper's
 * trained policy, its state mapped from the streaming model), and the baselines {@code edge-only},
 * {@code local-only}, {@code fixed-K}, {@code greedy} and {@code random}.
 */
public final class StreamingPlanners {
    public static final List<String> NAMES =
            List.of(
                    "optimizer",
                    "mahppo",
                    "edge-only",
                    "local-only",
                    "fixed-1",
                    "fixed-2",
                    "fixed-3",
                    "fixed-4",
                    "greedy",
                    "random");

    /** Where a trained policy is looked up on the classpath when no file is given. */
    public static final String POLICY_RESOURCE = "org/edgesplit/core/mahppo/resnet18-5ue.mahppo";

    private StreamingPlanners() {}

    /**
     * @param name one of {@link #NAMES}
     * @param policyFile a MAHPPO policy file for {@code mahppo}, or null for the bundled one
     */
    public static Planner<StreamingProblem, StreamingPlan> byName(
            String name, Path policyFile, int localPoint) {
        return switch (name) {
            case "optimizer" -> new StreamingOptimizer();
            case "mahppo" -> new MahppoStreamingPlanner(loadPolicy(policyFile), localPoint);
            case "edge-only" -> new FixedSplit(0, "edge-only");
            case "local-only" -> new FixedSplit(localPoint, "local-only");
            case "greedy" -> new Greedy();
            case "random" -> new RandomSplit(1L);
            default -> {
                if (name.matches("fixed-[0-9]+")) {
                    int point = Integer.parseInt(name.substring("fixed-".length()));
                    if (point > localPoint) {
                        throw new IllegalArgumentException(
                                "fixed point " + point + " exceeds local point " + localPoint);
                    }
                    yield new FixedSplit(point, name);
                }
                throw new IllegalArgumentException(
                        "unknown planner '" + name + "'; known: " + NAMES);
            }
        };
    }

    static MahppoPolicy loadPolicy(Path file) {
        try {
            if (file != null) {
                if (!Files.isReadable(file)) {
                    throw new IllegalArgumentException("cannot read MAHPPO policy file " + file);
                }
                return MahppoPolicy.load(file);
            }
            return MahppoPolicy.loadResource("/" + POLICY_RESOURCE);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot load MAHPPO policy: " + e.getMessage(), e);
        }
    }

    /**
     * The option of {@code point} with the fewest bytes that meets the floor (else the most
     * accurate there).
     */
    static int optionAt(StreamingProblem pr, StreamingProblem.Ue u, int point) {
        int best = -1;
        int mostAccurate = -1;
        List<StreamingProblem.Option> opts = u.options();
        for (int k = 0; k < opts.size(); k++) {
            StreamingProblem.Option o = opts.get(k);
            if (o.point() != point) {
                continue;
            }
            if (mostAccurate < 0 || o.accuracy() > opts.get(mostAccurate).accuracy()) {
                mostAccurate = k;
            }
            if (o.accuracy() >= pr.accuracyFloor()
                    && (best < 0 || o.payloadBytes() < opts.get(best).payloadBytes())) {
                best = k;
            }
        }
        if (mostAccurate < 0) {
            throw new IllegalArgumentException("no option at point " + point);
        }
        return best >= 0 ? best : mostAccurate;
    }

    /** Evaluates chosen options with equal band shares among sending UEs and the given powers. */
    static StreamingPlan evaluate(
            StreamingProblem pr, int[] option, double[] share, double[] power) {
        List<StreamingPlan.Assignment> out = new ArrayList<>();
        double objective = 0;
        boolean feasible = true;
        double edgeLoad = 0;
        for (int i = 0; i < option.length; i++) {
            StreamingProblem.Ue u = pr.ues().get(i);
            StreamingProblem.Option o = u.options().get(option[i]);
            double rate =
                    o.payloadBytes() == 0 ? 0 : StreamingOptimizer.rate(pr, u, share[i], power[i]);
            double upload =
                    o.payloadBytes() == 0
                            ? 0
                            : (rate > 0 ? o.payloadBytes() * 8.0 / rate : Double.POSITIVE_INFINITY);
            double latency = o.ueLatency() + upload + o.edgeTime();
            double energy = o.ueEnergy() + (o.payloadBytes() == 0 ? 0 : power[i] * upload);
            objective += latency + pr.beta() * energy;
            feasible &= o.accuracy() >= pr.accuracyFloor() && u.arrivalRate() * upload <= 1.0;
            edgeLoad += u.arrivalRate() * o.edgeTime();
            out.add(
                    new StreamingPlan.Assignment(
                            option[i],
                            o.point(),
                            o.bits(),
                            o.payloadBytes() == 0 || u.fixedRateBps() > 0 ? 0 : share[i],
                            power[i],
                            rate,
                            latency,
                            energy));
        }
        return new StreamingPlan(out, objective, feasible && edgeLoad <= pr.edgeCapacity());
    }

    static double[] equalShares(StreamingProblem pr, int[] option) {
        int sending = 0;
        for (int i = 0; i < option.length; i++) {
            if (pr.ues().get(i).options().get(option[i]).payloadBytes() > 0
                    && pr.ues().get(i).fixedRateBps() <= 0) {
                sending++;
            }
        }
        double[] share = new double[option.length];
        for (int i = 0; i < option.length; i++) {
            share[i] = sending == 0 ? 0 : 1.0 / sending;
        }
        return share;
    }

    /** Every UE at one point, full power, equal band shares. */
    static final class FixedSplit implements Planner<StreamingProblem, StreamingPlan> {
        private final int point;
        private final String name;

        FixedSplit(int point, String name) {
            this.point = point;
            this.name = name;
        }

        @Override
        public StreamingPlan plan(StreamingProblem pr) {
            int n = pr.ues().size();
            int[] option = new int[n];
            double[] power = new double[n];
            for (int i = 0; i < n; i++) {
                option[i] = optionAt(pr, pr.ues().get(i), point);
                power[i] = pr.pmax();
            }
            return evaluate(pr, option, equalShares(pr, option), power);
        }

        @Override
        public String name() {
            return name;
        }
    }

    /**
     * Neurosurgeon-style: each UE picks its best option as if it had the whole band, blind to the
     * others.
     */
    static final class Greedy implements Planner<StreamingProblem, StreamingPlan> {
        @Override
        public StreamingPlan plan(StreamingProblem pr) {
            int n = pr.ues().size();
            int[] option = new int[n];
            double[] power = new double[n];
            for (int i = 0; i < n; i++) {
                StreamingProblem.Ue u = pr.ues().get(i);
                double best = Double.POSITIVE_INFINITY;
                for (int k = 0; k < u.options().size(); k++) {
                    StreamingProblem.Option o = u.options().get(k);
                    if (o.accuracy() < pr.accuracyFloor()) {
                        continue;
                    }
                    double rate = StreamingOptimizer.rate(pr, u, 1.0, pr.pmax());
                    double upload = o.payloadBytes() == 0 ? 0 : o.payloadBytes() * 8.0 / rate;
                    double cost =
                            o.ueLatency()
                                    + upload
                                    + o.edgeTime()
                                    + pr.beta() * (o.ueEnergy() + pr.pmax() * upload);
                    if (cost < best) {
                        best = cost;
                        option[i] = k;
                    }
                }
                power[i] = pr.pmax();
            }
            return evaluate(pr, option, equalShares(pr, option), power);
        }

        @Override
        public String name() {
            return "greedy";
        }
    }

    /** A uniformly random point per UE (seeded), full power. */
    static final class RandomSplit implements Planner<StreamingProblem, StreamingPlan> {
        private final Random random;

        RandomSplit(long seed) {
            this.random = new Random(seed);
        }

        @Override
        public StreamingPlan plan(StreamingProblem pr) {
            int n = pr.ues().size();
            int[] option = new int[n];
            double[] power = new double[n];
            for (int i = 0; i < n; i++) {
                StreamingProblem.Ue u = pr.ues().get(i);
                int point = u.options().get(random.nextInt(u.options().size())).point();
                option[i] = optionAt(pr, u, point);
                power[i] = pr.pmax();
            }
            return evaluate(pr, option, equalShares(pr, option), power);
        }

        @Override
        public String name() {
            return "random";
        }
    }
}
