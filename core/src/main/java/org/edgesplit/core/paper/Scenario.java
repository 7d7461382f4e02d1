package org.edgesplit.core.paper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A scripted episode of the paper model (format in SYSTEM-MODEL.md): fixed distances and task
 * counts, an initial action, and one action per UE per slot; after the last listed slot the last
 * actions repeat.
 */
public record Scenario(
        PaperSettings settings,
        double[] distances,
        int[] tasks,
        double[] initialAction,
        double[][][] actions) {

    private static final Set<String> KEYS =
            Set.of(
                    "net",
                    "users",
                    "channels",
                    "slot_time",
                    "beta",
                    "distances",
                    "tasks",
                    "channel_width_hz",
                    "noise_w",
                    "path_loss_exponent",
                    "pmax",
                    "initial_action",
                    "actions");

    /** Reads and validates a scenario; errors name the file and the offending key. */
    public static Scenario read(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(
                    file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        try {
            return parse(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public static Scenario parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("scenario must be a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            String k = it.next().getKey();
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("unknown key '" + k + "'");
            }
        }
        Dnn net = Dnn.fromId(text(root, "net"));
        int users = integer(root, "users", 1);
        int channels = integer(root, "channels", 1);
        PaperSettings base = PaperSettings.paper(net);
        PaperSettings settings =
                new PaperSettings(
                        net,
                        users,
                        channels,
                        positive(root, "slot_time"),
                        number(root, "beta"),
                        positive(root, "channel_width_hz"),
                        positive(root, "noise_w"),
                        positive(root, "path_loss_exponent"),
                        positive(root, "pmax"),
                        base.dmin(),
                        base.dmax(),
                        base.lambda(),
                        base.testDistance());
        JsonNode d = array(root, "distances", users);
        double[] distances = new double[users];
        for (int i = 0; i < users; i++) {
            distances[i] = num(d.get(i), "distances[" + i + "]");
            if (!(distances[i] > 0)) {
                throw new IllegalArgumentException("distances[" + i + "] must be > 0");
            }
        }
        JsonNode t = array(root, "tasks", users);
        int[] tasks = new int[users];
        for (int i = 0; i < users; i++) {
            tasks[i] = whole(t.get(i), "tasks[" + i + "]");
            if (tasks[i] < 0) {
                throw new IllegalArgumentException("tasks[" + i + "] must be >= 0");
            }
        }
        double[] init = action(root.get("initial_action"), "initial_action", channels);
        JsonNode a = root.get("actions");
        if (a == null || !a.isArray()) {
            throw new IllegalArgumentException("'actions' must be a list of slots");
        }
        double[][][] actions = new double[a.size()][][];
        for (int k = 0; k < a.size(); k++) {
            JsonNode slot = a.get(k);
            if (!slot.isArray() || slot.size() != users) {
                throw new IllegalArgumentException(
                        "actions["
                                + k
                                + "] must hold one [point, channel, power] per UE ("
                                + users
                                + ")");
            }
            actions[k] = new double[users][];
            for (int i = 0; i < users; i++) {
                actions[k][i] = action(slot.get(i), "actions[" + k + "][" + i + "]", channels);
            }
        }
        return new Scenario(settings, distances, tasks, init, actions);
    }

    private static double[] action(JsonNode node, String where, int channels) {
        if (node == null || !node.isArray() || node.size() != 3) {
            throw new IllegalArgumentException(where + " must be [point, channel, power]");
        }
        int p = whole(node.get(0), where + ".point");
        if (p < 0 || p >= Dnn.POINTS) {
            throw new IllegalArgumentException(where + ".point must be in 0..5, got " + p);
        }
        int c = whole(node.get(1), where + ".channel");
        if (c < 0 || c >= channels) {
            throw new IllegalArgumentException(
                    where + ".channel must be in 0.." + (channels - 1) + ", got " + c);
        }
        double w = num(node.get(2), where + ".power");
        if (!(w >= 0) || Double.isInfinite(w)) {
            throw new IllegalArgumentException(where + ".power must be a finite number >= 0");
        }
        return new double[] {p, c, w};
    }

    private static String text(JsonNode root, String key) {
        JsonNode v = root.get(key);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("'" + key + "' must be a string");
        }
        return v.asText();
    }

    private static double number(JsonNode root, String key) {
        return num(root.get(key), "'" + key + "'");
    }

    private static double positive(JsonNode root, String key) {
        double v = number(root, key);
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("'" + key + "' must be > 0, got " + v);
        }
        return v;
    }

    private static int integer(JsonNode root, String key, int min) {
        int v = whole(root.get(key), "'" + key + "'");
        if (v < min) {
            throw new IllegalArgumentException("'" + key + "' must be >= " + min);
        }
        return v;
    }

    private static JsonNode array(JsonNode root, String key, int size) {
        JsonNode v = root.get(key);
        if (v == null || !v.isArray() || v.size() != size) {
            throw new IllegalArgumentException(
                    "'" + key + "' must be a list with one entry per UE (" + size + ")");
        }
        return v;
    }

    private static double num(JsonNode v, String where) {
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException(where + " must be a number");
        }
        return v.asDouble();
    }

    private static int whole(JsonNode v, String where) {
        double x = num(v, where);
        if (x != Math.rint(x) || Math.abs(x) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(where + " must be a whole number, got " + x);
        }
        return (int) x;
    }

    /** Runs the scenario, calling {@code sink} after every slot, for at most {@code maxSlots}. */
    public void run(PaperEnv env, int maxSlots, SlotSink sink) {
        int n = settings.users();
        env.reset(
                distances, tasks, (int) initialAction[0], (int) initialAction[1], initialAction[2]);
        int[] points = new int[n];
        int[] chans = new int[n];
        double[] powers = new double[n];
        double[] state = new double[settings.stateDim()];
        for (int k = 0; !env.done(); k++) {
            if (k >= maxSlots) {
                throw new IllegalStateException(
                        "episode not finished after "
                                + maxSlots
                                + " slots (a power of 0 never uploads); raise --max-slots");
            }
            for (int i = 0; i < n; i++) {
                double[] a =
                        actions.length == 0
                                ? initialAction
                                : actions[Math.min(k, actions.length - 1)][i];
                points[i] = (int) a[0];
                chans[i] = (int) a[1];
                powers[i] = a[2];
            }
            double r = env.step(points, chans, powers);
            env.state(state);
            sink.accept(k, r, env.finishedInSlot(), env.energyInSlot(), state);
        }
    }

    /** Receives one slot's outcome. */
    @FunctionalInterface
    public interface SlotSink {
        void accept(int slot, double reward, int finished, double energy, double[] state);
    }
}
