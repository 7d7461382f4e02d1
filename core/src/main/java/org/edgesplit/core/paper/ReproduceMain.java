package org.edgesplit.core.paper;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.edgesplit.core.mahppo.MahppoConfig;
import org.edgesplit.core.mahppo.MahppoPolicy;
import org.edgesplit.core.mahppo.MahppoTrainer;
import org.edgesplit.core.planner.AlternatingOptimizer;
import org.edgesplit.core.planner.FixedPointPlanner;
import org.edgesplit.core.planner.GreedyPlanner;
import org.edgesplit.core.planner.PaperPlanner;
import org.edgesplit.core.planner.RandomPlanner;

/**
 * Reproduces the paper's comparison: trains MAHPPO per DNN, then evaluates every planner on the
 * test setting (all UEs at 50 m, exactly lambda tasks) and on random-distance episodes, and prints
 * time and energy per task, reward and reductions against local-only and edge-only.
 */
public final class ReproduceMain {
    private static final String USAGE =
            "usage: reproduce [--steps N] [--nets resnet18,vgg11,mobilenetv2] [--seed S]\n"
                    + "                 [--episodes K] [--threads T] [--out DIR] [--log-every U]\n"
                    + "  --steps     MAHPPO training steps per DNN (default 500000, the paper's)\n"
                    + "  --episodes  random-distance evaluation episodes (default 20)\n"
                    + "  --out       where policies (<net>.mahppo) and train-<net>.csv go\n"
                    + "              (default .edgesplit/reproduce)\n"
                    + "  --log-every print training metrics every U updates (default 10)";
    private static final int EVAL_SLOT_CAP = 10_000;
    private static final double PAPER_LATENCY_CUT = 0.56;
    private static final double PAPER_ENERGY_CUT = 0.72;

    private ReproduceMain() {}

    public static void main(String[] args) throws IOException {
        System.exit(run(args, System.out));
    }

    public static int run(String[] args, PrintStream out) throws IOException {
        long steps = 500_000;
        List<Dnn> nets = List.of(Dnn.RESNET18, Dnn.VGG11, Dnn.MOBILENETV2);
        long seed = 1;
        int episodes = 20;
        int threads = MahppoConfig.paper().threads();
        Path dir = Path.of(".edgesplit", "reproduce");
        int logEvery = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    out.println(USAGE);
                    return 0;
                }
                case "--steps" -> steps = Long.parseLong(args[++i]);
                case "--nets" -> {
                    List<Dnn> l = new ArrayList<>();
                    for (String s : args[++i].split(",")) {
                        l.add(Dnn.fromId(s.trim()));
                    }
                    nets = l;
                }
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--episodes" -> episodes = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--out" -> dir = Path.of(args[++i]);
                case "--log-every" -> logEvery = Integer.parseInt(args[++i]);
                default -> {
                    out.println("unknown argument: " + args[i]);
                    out.println(USAGE);
                    return 2;
                }
            }
        }
        Files.createDirectories(dir);
        List<String> report = new ArrayList<>();
        for (Dnn net : nets) {
            PaperSettings s = PaperSettings.paper(net);
            MahppoConfig cfg =
                    MahppoConfig.paper().withTotalSteps(steps).withSeed(seed).withThreads(threads);
            Path csv = dir.resolve("train-" + net.id() + ".csv");
            long t0 = System.nanoTime();
            MahppoPolicy policy;
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(csv))) {
                int[] count = {0};
                List<String> header = new ArrayList<>();
                final int every = Math.max(1, logEvery);
                policy =
                        new MahppoTrainer(
                                        s,
                                        cfg,
                                        m -> {
                                            if (count[0] == 0) {
                                                header.addAll(m.keySet());
                                                w.println(String.join(",", header));
                                            }
                                            w.println(joinValues(header, m));
                                            if (count[0]++ % every == 0) {
                                                out.println("[" + net.id() + "] " + format(m));
                                            }
                                        })
                                .train();
            }
            double trainSec = (System.nanoTime() - t0) / 1e9;
            Path policyFile = dir.resolve(net.id() + ".mahppo");
            policy.save(policyFile);
            out.printf(
                    Locale.ROOT,
                    "[%s] trained %d steps in %.1f s; policy saved to %s%n",
                    net.id(),
                    steps,
                    trainSec,
                    policyFile);
            report.add(table(net, s, policy, episodes, seed, steps, trainSec));
        }
        for (String r : report) {
            out.println(r);
        }
        out.printf(
                Locale.ROOT,
                "Paper's claim: up to %.0f%% lower latency and up to %.0f%% lower energy.%n",
                100 * PAPER_LATENCY_CUT,
                100 * PAPER_ENERGY_CUT);
        return 0;
    }

    private static String table(
            Dnn net,
            PaperSettings s,
            MahppoPolicy policy,
            int episodes,
            long seed,
            long steps,
            double trainSec) {
        Map<String, Supplier<PaperPlanner>> planners = new LinkedHashMap<>();
        planners.put("local-only", () -> new FixedPointPlanner(Dnn.LOCAL_ONLY));
        planners.put("edge-only", () -> new FixedPointPlanner(Dnn.EDGE_ONLY));
        for (int k = 1; k <= 4; k++) {
            final int point = k;
            planners.put("fixed-split-" + k, () -> new FixedPointPlanner(point));
        }
        planners.put("random", () -> new RandomPlanner(seed));
        planners.put("greedy", GreedyPlanner::new);
        planners.put("alternating (ours)", AlternatingOptimizer::new);
        planners.put("MAHPPO", () -> policy);

        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%n== %s: %d UEs, %d sub-channels, lambda %d, MAHPPO %d steps (%.0f s) ==%n",
                        net.id(),
                        s.users(),
                        s.channels(),
                        s.lambda(),
                        steps,
                        trainSec));
        for (String setting : List.of("test (50 m)", "random distances")) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%-20s %-19s %9s %9s %10s %8s %8s %8s %8s%n",
                            setting,
                            "planner",
                            "s/task",
                            "J/task",
                            "reward",
                            "dT/local",
                            "dE/local",
                            "dT/edge",
                            "dE/edge"));
            Map<String, double[]> rows = new LinkedHashMap<>();
            for (Map.Entry<String, Supplier<PaperPlanner>> e : planners.entrySet()) {
                rows.put(
                        e.getKey(),
                        evaluate(s, e.getValue(), setting.startsWith("test"), episodes, seed));
            }
            double[] local = rows.get("local-only");
            double[] edge = rows.get("edge-only");
            for (Map.Entry<String, double[]> e : rows.entrySet()) {
                double[] r = e.getValue();
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "%-20s %-19s %9.4f %9.4f %10.2f %7.1f%% %7.1f%% %7.1f%% %7.1f%%%s%n",
                                "",
                                e.getKey(),
                                r[0],
                                r[1],
                                r[2],
                                pct(r[0], local[0]),
                                pct(r[1], local[1]),
                                pct(r[0], edge[0]),
                                pct(r[1], edge[1]),
                                r[3] > 0 ? "  (slot cap hit)" : ""));
            }
        }
        return sb.toString();
    }

    /** Change in percent against a reference (negative = reduction). */
    private static double pct(double v, double ref) {
        return 100 * (v - ref) / ref;
    }

    /** Mean time/task, energy/task, reward, and how many episodes hit the slot cap. */
    static double[] evaluate(
            PaperSettings s,
            Supplier<PaperPlanner> planner,
            boolean test,
            int episodes,
            long seed) {
        PaperEnv env = new PaperEnv(s);
        if (test) {
            env.resetTest();
            Episodes.Result r = Episodes.run(env, planner.get(), EVAL_SLOT_CAP);
            return new double[] {
                r.timePerTask(), r.energyPerTask(), r.reward(), r.completed() ? 0 : 1
            };
        }
        SplittableRandom rng = new SplittableRandom(seed + 1000);
        double[] acc = new double[4];
        PaperPlanner p = planner.get();
        for (int e = 0; e < episodes; e++) {
            double[] d = new double[s.users()];
            int[] tasks = new int[s.users()];
            for (int i = 0; i < s.users(); i++) {
                d[i] = s.dmin() + rng.nextDouble() * (s.dmax() - s.dmin());
                tasks[i] = s.lambda();
            }
            env.reset(d, tasks, Dnn.LOCAL_ONLY, 0, PaperSettings.PMIN);
            Episodes.Result r = Episodes.run(env, p, EVAL_SLOT_CAP);
            acc[0] += r.timePerTask() / episodes;
            acc[1] += r.energyPerTask() / episodes;
            acc[2] += r.reward() / episodes;
            acc[3] += r.completed() ? 0 : 1;
        }
        return acc;
    }

    private static String format(Map<String, Double> m) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Double> e : m.entrySet()) {
            sb.append(e.getKey()).append('=');
            sb.append(String.format(Locale.ROOT, "%.5g", e.getValue())).append(' ');
        }
        return sb.toString().trim();
    }

    private static String joinValues(List<String> header, Map<String, Double> m) {
        StringBuilder sb = new StringBuilder();
        for (String k : header) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            Double v = m.get(k);
            sb.append(v == null ? "" : v.toString());
        }
        return sb.toString();
    }
}
