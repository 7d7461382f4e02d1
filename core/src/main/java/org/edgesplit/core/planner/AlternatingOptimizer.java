package org.edgesplit.core.planner;

import org.edgesplit.core.paper.Dnn;
import org.edgesplit.core.paper.PaperSettings;

/**
 * Our training-free planner for the paper model. It minimises the {@link PaperCostModel} objective
 * (sum over UEs of time + beta * energy per task, with mean-field interference) by block-coordinate
 * descent: each UE in turn takes the best (point, sub-channel, power) given everybody else's
 * current choice, judged on the total objective so that a UE also weighs the interference it
 * causes. Rounds repeat until no UE changes. Descent starts from the greedy decision, all-local and
 * all-edge, and the best result is kept, which guards against poor local optima.
 */
public final class AlternatingOptimizer implements PaperPlanner {
    private static final int MAX_ROUNDS = 50;

    /** Pair moves cost (options)^2 per pair; a couple of rounds found every escape seen. */
    private static final int PAIR_ROUNDS = 3;

    /** Skip pair moves above this many evaluations per round (~1 s); random starts remain. */
    private static final long PAIR_BUDGET = 60_000;

    /** Seeded random starting decisions in addition to greedy, all-local and all-edge. */
    private static final int RANDOM_STARTS = 6;

    /** Powers tried by the search in the simulator, as fractions of pmax. */
    static final double[] SIM_POWERS = {1.0, 0.5, 0.25, 0.1, 0.03, 0.01};

    /** Rounds of one-UE-at-a-time moves in the simulator. */
    private static final int SIM_ROUNDS = 4;

    /** Joint moves of UE pairs in the simulator only up to this many runs (2-3 UEs). */
    private static final long SIM_PAIR_BUDGET = 12_000;

    private final double[] powerGrid;
    private final boolean refine;
    private PaperDecision cached;

    /** Powers from pmax * 1e-4 to pmax, four per decade. */
    public AlternatingOptimizer() {
        this(null);
    }

    /**
     * @param powerGrid candidate powers, or null for the default grid
     */
    public AlternatingOptimizer(double[] powerGrid) {
        this(powerGrid, true);
    }

    /**
     * @param powerGrid candidate powers of the model search, or null for the default grid
     * @param refine whether {@link #plan} refines the model's answer in the simulator ({@link
     *     #refine}); without it, {@link #plan} returns {@link #solve}'s decision
     */
    public AlternatingOptimizer(double[] powerGrid, boolean refine) {
        this.powerGrid = powerGrid;
        this.refine = refine;
    }

    /** A decision and its model objective. */
    public record Solution(PaperDecision decision, double objective) {}

    @Override
    public void startEpisode(PaperObservation first) {
        cached = null;
    }

    @Override
    public PaperDecision plan(PaperObservation obs) {
        // Distances are fixed within an episode, so one solve serves every slot.
        if (cached == null) {
            PaperDecision model = solve(obs.settings(), obs.distances()).decision();
            cached =
                    refine
                            ? refine(
                                            SimulatedObjective.forEvaluation(
                                                    obs.settings(), obs.distances()),
                                            obs.settings(),
                                            model)
                                    .decision()
                            : model;
        }
        return cached;
    }

    @Override
    public String name() {
        return "alternating";
    }

    public Solution solve(PaperSettings s, double[] distances) {
        double[] grid = grid(s);
        PaperCostModel model = new PaperCostModel(s, distances);
        int n = s.users();
        PaperDecision greedy =
                GreedyPlanner.decide(new PaperObservation(s, distances, new double[0], 0), grid);
        java.util.List<PaperDecision> starts = new java.util.ArrayList<>();
        starts.add(greedy);
        starts.add(spread(PaperDecision.uniform(n, Dnn.LOCAL_ONLY, 0, s.pmax()), s));
        starts.add(spread(PaperDecision.uniform(n, Dnn.EDGE_ONLY, 0, s.pmax()), s));
        java.util.SplittableRandom rng = new java.util.SplittableRandom(12345);
        for (int r = 0; r < RANDOM_STARTS; r++) {
            PaperDecision d = PaperDecision.uniform(n, 0, 0, 0);
            for (int i = 0; i < n; i++) {
                d.points()[i] = rng.nextInt(Dnn.POINTS);
                d.channels()[i] = rng.nextInt(s.channels());
                d.powers()[i] = grid[rng.nextInt(grid.length)];
            }
            starts.add(d);
        }
        Solution best = null;
        for (PaperDecision start : starts) {
            Solution sol = descend(model, copy(start), grid, s.channels());
            if (best == null || sol.objective() < best.objective()) {
                best = sol;
            }
        }
        // Single-UE moves can stall where two UEs must change together (e.g. swap who uploads
        // on which sub-channel); joint moves of every pair escape that, then descent resumes.
        long pairEvals = (long) n * (n - 1) / 2 * sq(options(grid, s.channels()).length);
        for (int round = 0; round < PAIR_ROUNDS && n > 1 && pairEvals <= PAIR_BUDGET; round++) {
            Solution moved = pairMoves(model, best, grid, s.channels());
            if (moved.objective() >= best.objective() - 1e-12 * Math.abs(best.objective())) {
                break;
            }
            best = descend(model, moved.decision(), grid, s.channels());
        }
        // Power is free for a local-only UE in the model, but it applies at once in the env: a
        // task still uploading from an earlier decision should not crawl at the lowest power.
        for (int i = 0; i < n; i++) {
            if (best.decision().points()[i] == Dnn.LOCAL_ONLY) {
                best.decision().powers()[i] = s.pmax();
            }
        }
        return best;
    }

    /**
     * Refines a decision on the paper's own objective, measured in the simulator: starts from the
     * best of {@code start}, every fixed split (full power, UEs spread over sub-channels) and the
     * greedy decision, then moves one UE at a time to its best (point, sub-channel, power) with the
     * others fixed, until no move improves. The returned objective is minus the episode reward.
     */
    public static Solution refine(SimulatedObjective sim, PaperSettings s, PaperDecision start) {
        int n = s.users();
        java.util.List<PaperDecision> starts = new java.util.ArrayList<>();
        starts.add(copy(start));
        for (int k = 0; k < Dnn.POINTS; k++) {
            starts.add(spread(PaperDecision.uniform(n, k, 0, s.pmax()), s));
        }
        starts.add(
                GreedyPlanner.decide(
                        new PaperObservation(s, sim.distances(), new double[0], 0),
                        PaperCostModel.powerGrid(s.pmax(), 4, 4)));
        PaperDecision best = null;
        double bestCost = Double.POSITIVE_INFINITY;
        for (PaperDecision d : starts) {
            double c = sim.cost(d, bestCost);
            if (c < bestCost) {
                bestCost = c;
                best = d;
            }
        }
        if (best == null) {
            return new Solution(copy(start), Double.POSITIVE_INFINITY);
        }
        int[] p = best.points();
        int[] ch = best.channels();
        double[] w = best.powers();
        for (int round = 0; round < SIM_ROUNDS; round++) {
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                int bp = p[i];
                int bc = ch[i];
                double bw = w[i];
                for (int k = 0; k < Dnn.POINTS; k++) {
                    for (int c = 0; c < s.channels(); c++) {
                        for (double f : SIM_POWERS) {
                            p[i] = k;
                            ch[i] = c;
                            w[i] = f * s.pmax();
                            double cost = sim.cost(best, bestCost * (1 - 1e-12));
                            if (cost < bestCost * (1 - 1e-12)) {
                                bestCost = cost;
                                bp = k;
                                bc = c;
                                bw = w[i];
                                changed = true;
                            }
                            if (k == Dnn.LOCAL_ONLY) {
                                break; // power and sub-channel only matter for an upload
                            }
                        }
                        if (k == Dnn.LOCAL_ONLY) {
                            break;
                        }
                    }
                }
                p[i] = bp;
                ch[i] = bc;
                w[i] = bw;
            }
            if (!changed) {
                // joint moves of two UEs, where affordable (small instances)
                int[][] opts = options(SIM_POWERS, s.channels());
                long evals = (long) n * (n - 1) / 2 * sq(opts.length);
                if (evals > SIM_PAIR_BUDGET) {
                    break;
                }
                double before = bestCost;
                bestCost = simPairMoves(sim, best, bestCost, opts, s.pmax());
                if (!(bestCost < before)) {
                    break;
                }
            }
        }
        return new Solution(best, bestCost);
    }

    /** Best joint move of any two UEs, applied to {@code d} in place; returns the new cost. */
    private static double simPairMoves(
            SimulatedObjective sim, PaperDecision d, double cost, int[][] opts, double pmax) {
        int n = d.points().length;
        int[] p = d.points();
        int[] c = d.channels();
        double[] w = d.powers();
        double bestCost = cost;
        PaperDecision best = copy(d);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                int pi = p[i];
                int ci = c[i];
                double wi = w[i];
                int pj = p[j];
                int cj = c[j];
                double wj = w[j];
                for (int[] a : opts) {
                    p[i] = a[0];
                    c[i] = a[1];
                    w[i] = SIM_POWERS[a[2]] * pmax;
                    for (int[] b : opts) {
                        p[j] = b[0];
                        c[j] = b[1];
                        w[j] = SIM_POWERS[b[2]] * pmax;
                        double v = sim.cost(d, bestCost * (1 - 1e-12));
                        if (v < bestCost * (1 - 1e-12)) {
                            bestCost = v;
                            best = copy(d);
                        }
                    }
                }
                p[i] = pi;
                c[i] = ci;
                w[i] = wi;
                p[j] = pj;
                c[j] = cj;
                w[j] = wj;
            }
        }
        System.arraycopy(best.points(), 0, p, 0, n);
        System.arraycopy(best.channels(), 0, c, 0, n);
        System.arraycopy(best.powers(), 0, w, 0, n);
        return bestCost;
    }

    /**
     * Exact minimum of the simulated objective over every combination of (point, sub-channel, power
     * in {@code powers}) for all UEs; exponential, for tests on tiny instances.
     */
    public static Solution exhaustiveSimulated(
            SimulatedObjective sim, PaperSettings s, double[] powers) {
        int n = s.users();
        int m = s.channels();
        int perUe = Dnn.POINTS * m * powers.length;
        long combos = (long) Math.pow(perUe, n);
        if (combos > 2_000_000L) {
            throw new IllegalArgumentException("too many combinations: " + combos);
        }
        PaperDecision d = PaperDecision.uniform(n, 0, 0, 0);
        PaperDecision best = null;
        double bestCost = Double.POSITIVE_INFINITY;
        for (long code = 0; code < combos; code++) {
            long rest = code;
            for (int i = 0; i < n; i++) {
                int o = (int) (rest % perUe);
                rest /= perUe;
                d.points()[i] = o / (m * powers.length);
                d.channels()[i] = (o / powers.length) % m;
                d.powers()[i] = powers[o % powers.length];
            }
            double c = sim.cost(d, bestCost);
            if (c < bestCost) {
                bestCost = c;
                best = copy(d);
            }
        }
        return new Solution(best, bestCost);
    }

    private static Solution descend(PaperCostModel model, PaperDecision d, double[] grid, int m) {
        int n = model.users();
        int[] p = d.points();
        int[] c = d.channels();
        double[] w = d.powers();
        double current = model.evaluate(p, c, w);
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                int bp = p[i];
                int bc = c[i];
                double bw = w[i];
                double bestObj = current;
                for (int k = 0; k < Dnn.POINTS; k++) {
                    for (int ch = 0; ch < m; ch++) {
                        for (double pw : grid) {
                            p[i] = k;
                            c[i] = ch;
                            w[i] = pw;
                            double obj = model.evaluate(p, c, w);
                            // strict improvement by a relative margin, so rounds terminate
                            if (obj < bestObj - 1e-12 * Math.abs(bestObj)) {
                                bestObj = obj;
                                bp = k;
                                bc = ch;
                                bw = pw;
                            }
                            if (k == Dnn.LOCAL_ONLY) {
                                break;
                            }
                        }
                        if (k == Dnn.LOCAL_ONLY) {
                            break;
                        }
                    }
                }
                if (bestObj < current) {
                    changed = true;
                }
                p[i] = bp;
                c[i] = bc;
                w[i] = bw;
                current = bestObj;
            }
            if (!changed) {
                break;
            }
        }
        return new Solution(d, model.evaluate(p, c, w));
    }

    /** Best joint change of any two UEs, or the input if none improves. */
    private static Solution pairMoves(PaperCostModel model, Solution from, double[] grid, int m) {
        int n = model.users();
        int[][] opts = options(grid, m);
        PaperDecision d = copy(from.decision());
        int[] p = d.points();
        int[] c = d.channels();
        double[] w = d.powers();
        double best = from.objective();
        int[] bestMove = null;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                int pi = p[i], ci = c[i], pj = p[j], cj = c[j];
                double wi = w[i], wj = w[j];
                for (int[] a : opts) {
                    p[i] = a[0];
                    c[i] = a[1];
                    w[i] = grid[a[2]];
                    for (int[] b : opts) {
                        p[j] = b[0];
                        c[j] = b[1];
                        w[j] = grid[b[2]];
                        double obj = model.evaluate(p, c, w);
                        if (obj < best - 1e-12 * Math.abs(best)) {
                            best = obj;
                            bestMove = new int[] {i, a[0], a[1], a[2], j, b[0], b[1], b[2]};
                        }
                    }
                }
                p[i] = pi;
                c[i] = ci;
                w[i] = wi;
                p[j] = pj;
                c[j] = cj;
                w[j] = wj;
            }
        }
        if (bestMove == null) {
            return from;
        }
        for (int k = 0; k < 8; k += 4) {
            int u = bestMove[k];
            p[u] = bestMove[k + 1];
            c[u] = bestMove[k + 2];
            w[u] = grid[bestMove[k + 3]];
        }
        return new Solution(d, best);
    }

    private static long sq(long x) {
        return x * x;
    }

    /** Every (point, channel, power index); local-only appears once. */
    private static int[][] options(double[] grid, int m) {
        int[][] o = new int[(Dnn.POINTS - 1) * m * grid.length + 1][];
        int k = 0;
        for (int point = 0; point < Dnn.LOCAL_ONLY; point++) {
            for (int ch = 0; ch < m; ch++) {
                for (int g = 0; g < grid.length; g++) {
                    o[k++] = new int[] {point, ch, g};
                }
            }
        }
        o[k] = new int[] {Dnn.LOCAL_ONLY, 0, 0};
        return o;
    }

    double[] grid(PaperSettings s) {
        return powerGrid != null ? powerGrid : PaperCostModel.powerGrid(s.pmax(), 4, 4);
    }

    private static PaperDecision spread(PaperDecision d, PaperSettings s) {
        for (int i = 0; i < d.channels().length; i++) {
            d.channels()[i] = i % s.channels();
        }
        return d;
    }

    private static PaperDecision copy(PaperDecision d) {
        return new PaperDecision(d.points().clone(), d.channels().clone(), d.powers().clone());
    }

    /**
     * Exact minimum of the same objective over every combination of (point, sub-channel, grid
     * power) for all UEs; exponential, for small instances and tests only.
     */
    public static Solution exhaustive(PaperSettings s, double[] distances, double[] grid) {
        PaperCostModel model = new PaperCostModel(s, distances);
        int n = s.users();
        int m = s.channels();
        // local-only needs no channel or power choice: it counts as one option
        int perUe = (Dnn.POINTS - 1) * m * grid.length + 1;
        long combos = (long) Math.pow(perUe, n);
        if (combos > 50_000_000L) {
            throw new IllegalArgumentException("too many combinations: " + combos);
        }
        int[] p = new int[n];
        int[] c = new int[n];
        double[] w = new double[n];
        int[] bp = new int[n];
        int[] bc = new int[n];
        double[] bw = new double[n];
        double best = Double.POSITIVE_INFINITY;
        for (long code = 0; code < combos; code++) {
            long rest = code;
            for (int i = 0; i < n; i++) {
                int o = (int) (rest % perUe);
                rest /= perUe;
                if (o == perUe - 1) {
                    p[i] = Dnn.LOCAL_ONLY;
                    c[i] = 0;
                    w[i] = grid[0];
                } else {
                    p[i] = o / (m * grid.length);
                    c[i] = (o / grid.length) % m;
                    w[i] = grid[o % grid.length];
                }
            }
            double obj = model.evaluate(p, c, w);
            if (obj < best) {
                best = obj;
                System.arraycopy(p, 0, bp, 0, n);
                System.arraycopy(c, 0, bc, 0, n);
                System.arraycopy(w, 0, bw, 0, n);
            }
        }
        return new Solution(new PaperDecision(bp, bc, bw), best);
    }
}
