package org.edgesplit.core.paper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs a scripted scenario of the paper model and prints one JSON line per slot. */
public final class SimMain {
    private static final String USAGE =
            "usage: sim --scenario FILE [--max-slots N]\n"
                    + "  Runs a scripted paper-model episode (format: SYSTEM-MODEL.md) and prints\n"
                    + "  {\"slot\": k, \"reward\": r, \"finished\": n, \"energy\": e, \"state\": [...]}\n"
                    + "  per slot. --max-slots (default 1000000) stops episodes that never end.";

    private SimMain() {}

    public static void main(String[] args) throws IOException {
        System.exit(run(args, System.out, System.err));
    }

    /** Entry point that tests can call; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        Path file = null;
        int maxSlots = 1_000_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help", "-h" -> {
                    out.println(USAGE);
                    return 0;
                }
                case "--scenario" -> file = Path.of(value(args, ++i));
                case "--max-slots" -> maxSlots = Integer.parseInt(value(args, ++i));
                default -> {
                    err.println("unknown argument: " + args[i]);
                    err.println(USAGE);
                    return 2;
                }
            }
        }
        if (file == null) {
            err.println(USAGE);
            return 2;
        }
        Scenario sc;
        try {
            sc = Scenario.read(file);
        } catch (IllegalArgumentException | IOException e) {
            err.println("bad scenario: " + e.getMessage());
            return 1;
        }
        BufferedWriter w =
                new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        StringBuilder sb = new StringBuilder(512);
        try {
            sc.run(
                    new PaperEnv(sc.settings()),
                    maxSlots,
                    (slot, reward, finished, energy, state) -> {
                        sb.setLength(0);
                        formatSlot(sb, slot, reward, finished, energy, state);
                        try {
                            w.write(sb.toString());
                            w.newLine();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        } catch (IllegalStateException e) {
            w.flush();
            err.println(e.getMessage());
            return 1;
        }
        w.flush();
        return 0;
    }

    /** One slot as a JSON object; Java's double text round-trips, so no precision is lost. */
    public static void formatSlot(
            StringBuilder sb,
            int slot,
            double reward,
            int finished,
            double energy,
            double[] state) {
        sb.append("{\"slot\": ").append(slot);
        sb.append(", \"reward\": ").append(reward);
        sb.append(", \"finished\": ").append(finished);
        sb.append(", \"energy\": ").append(energy);
        sb.append(", \"state\": [");
        for (int i = 0; i < state.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(state[i]);
        }
        sb.append("]}");
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
