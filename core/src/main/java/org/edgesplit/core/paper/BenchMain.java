package org.edgesplit.core.paper;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.edgesplit.core.mahppo.MahppoConfig;
import org.edgesplit.core.mahppo.MahppoTrainer;
import org.edgesplit.core.planner.AlternatingOptimizer;
import org.edgesplit.core.planner.StreamingOptimizer;
import org.edgesplit.core.planner.StreamingProblem;

/**
 * Prints simulator speed, MAHPPO update time and optimiser solve times. A benchmark, not a test.
 */
public final class BenchMain {
    private static final String USAGE =
            "usage: bench [sim|mahppo|optimizer|all] [--seconds S] [--threads T]\n"
                    + "  sim        paper-environment slots/s for 5 UEs (goal >= 100k)\n"
                    + "  mahppo     ms per MAHPPO update and projected wall time of 500k steps\n"
                    + "  optimizer  solve time of the paper and streaming optimisers by UE count";

    private BenchMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    public static int run(String[] args, PrintStream out) {
        String what = "all";
        double seconds = 3;
        int threads = MahppoConfig.paper().threads();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    out.println(USAGE);
                    return 0;
                }
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "sim", "mahppo", "optimizer", "all" -> what = args[i];
                default -> {
                    out.println("unknown argument: " + args[i]);
                    out.println(USAGE);
                    return 2;
                }
            }
        }
        if (what.equals("sim") || what.equals("all")) {
            sim(out, seconds);
        }
        if (what.equals("mahppo") || what.equals("all")) {
            mahppo(out, threads);
        }
        if (what.equals("optimizer") || what.equals("all")) {
            optimizer(out);
        }
        return 0;
    }

    /** Random actions drawn in advance, so the loop measures the simulator alone. */
    static void sim(PrintStream out, double seconds) {
        for (Dnn net : Dnn.values()) {
            PaperSettings s = PaperSettings.paper(net);
            PaperEnv env = new PaperEnv(s);
            SplittableRandom rng = new SplittableRandom(1);
            int variants = 1024;
            int n = s.users();
            int[][] p = new int[variants][n];
            int[][] c = new int[variants][n];
            double[][] w = new double[variants][n];
            for (int v = 0; v < variants; v++) {
                for (int i = 0; i < n; i++) {
                    p[v][i] = rng.nextInt(Dnn.POINTS);
                    c[v][i] = rng.nextInt(s.channels());
                    w[v][i] = 0.01 + 0.99 * rng.nextDouble();
                }
            }
            double[] state = new double[s.stateDim()];
            long slots = 0;
            int cap = s.trainingSlotCap();
            double sink = 0;
            long end = System.nanoTime() + (long) (seconds * 1e9);
            long start = System.nanoTime();
            long warmEnd = start + (long) (0.3 * seconds * 1e9);
            boolean warm = false;
            while (true) {
                env.resetRandom(rng);
                for (int k = 0; k < cap && !env.done(); k++) {
                    int v = (int) (slots & (variants - 1));
                    sink += env.step(p[v], c[v], w[v]);
                    env.state(state);
                    slots++;
                }
                long now = System.nanoTime();
                if (!warm && now > warmEnd) {
                    warm = true;
                    slots = 0;
                    start = now;
                }
                if (now > end) {
                    break;
                }
            }
            double secs = (System.nanoTime() - start) / 1e9;
            out.printf(
                    Locale.ROOT,
                    "sim %-12s 5 UEs, 2 sub-channels: %,.0f slots/s (random actions, state read each slot)%s%n",
                    net.id(),
                    slots / secs,
                    sink == 42 ? " " : "");
        }
    }

    static void mahppo(PrintStream out, int threads) {
        PaperSettings s = PaperSettings.paper(Dnn.RESNET18);
        MahppoConfig cfg = MahppoConfig.paper().withThreads(threads).withTestEvery(0);
        MahppoTrainer bench = new MahppoTrainer(s, cfg, m -> {});
        bench.benchmarkUpdate(); // warm-up
        double best = Double.POSITIVE_INFINITY;
        double sum = 0;
        int reps = 3;
        for (int r = 0; r < reps; r++) {
            double ms = bench.benchmarkUpdate();
            best = Math.min(best, ms);
            sum += ms;
        }
        double mean = sum / reps;
        out.printf(
                Locale.ROOT,
                "mahppo update (80 minibatches of 256, 5 actors + critic, %d threads): mean %.0f ms,"
                        + " best %.0f ms (%.1f ms per minibatch)%n",
                threads,
                mean,
                best,
                mean / cfg.minibatchesPerUpdate());
        long steps = 8L * cfg.rolloutSteps();
        long t0 = System.nanoTime();
        new MahppoTrainer(s, cfg.withTotalSteps(steps), m -> {}).train();
        double secs = (System.nanoTime() - t0) / 1e9;
        double projected = secs * 500_000 / steps;
        out.printf(
                Locale.ROOT,
                "mahppo training %d steps: %.1f s -> projected 500k steps: %.1f min%n",
                steps,
                secs,
                projected / 60);
    }

    static void optimizer(PrintStream out) {
        for (int n : new int[] {2, 3, 5, 8}) {
            PaperSettings s = PaperSettings.paper(Dnn.RESNET18).withUsers(n);
            SplittableRandom rng = new SplittableRandom(n);
            double[] d = new double[n];
            List<Double> times = new ArrayList<>();
            for (int r = 0; r < 5; r++) {
                for (int i = 0; i < n; i++) {
                    d[i] = 1 + 99 * rng.nextDouble();
                }
                long t0 = System.nanoTime();
                new AlternatingOptimizer().solve(s, d);
                times.add((System.nanoTime() - t0) / 1e6);
            }
            out.printf(
                    Locale.ROOT,
                    "paper optimizer (alternating) %3d UEs: median %.1f ms%n",
                    n,
                    median(times));
        }
        for (int n : new int[] {10, 100, 1000}) {
            SplittableRandom rng = new SplittableRandom(n);
            List<StreamingProblem.Ue> ues = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                List<StreamingProblem.Option> opts = new ArrayList<>();
                opts.add(new StreamingProblem.Option(5, 32, 0, 0.046, 0.098, 0, 0.90));
                for (int k = 1; k <= 4; k++) {
                    for (int bits : new int[] {2, 4, 8}) {
                        opts.add(
                                new StreamingProblem.Option(
                                        k,
                                        bits,
                                        100_000L * bits / 8 / k,
                                        0.01 * k,
                                        0.025 * k,
                                        0.03 - 0.005 * k,
                                        0.80 + 0.01 * bits));
                    }
                }
                opts.add(new StreamingProblem.Option(0, 8, 150_528, 0, 0, 0.03, 0.90));
                ues.add(
                        StreamingProblem.Ue.withGain(
                                Math.pow(10, -8 - 3 * rng.nextDouble()), 5, opts));
            }
            StreamingProblem pr = new StreamingProblem(20e6, 1e-17, 0.2, 1.0, 0.4 * n, 0.85, ues);
            List<Double> times = new ArrayList<>();
            int reps = n >= 1000 ? 8 : 15;
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                new StreamingOptimizer().plan(pr);
                times.add((System.nanoTime() - t0) / 1e6);
            }
            out.printf(
                    Locale.ROOT,
                    "streaming optimizer %3d UEs, 14 options each: median %.2f ms%n",
                    n,
                    median(times.subList(reps / 3, times.size())));
        }
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
