package org.edgesplit.core.mahppo;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.edgesplit.core.planner.PaperDecision;
import org.edgesplit.core.planner.PaperObservation;
import org.edgesplit.core.planner.PaperPlanner;

/**
 * A trained MAHPPO policy: one actor per UE mapping the global state to that UE's action. {@link
 * #act} is deterministic (the mode of every head), which is what a live planner wants.
 *
 * <p>File format (big-endian, {@link DataOutputStream}): magic {@code ESMAHPPO}, int version 2, UTF
 * net id, int users, int channels, int stateDim, double pmax, int body layer count and sizes, int
 * head size; then for every actor its layers as {@code float}s, each layer as {@code in x out}
 * weights (row per input) followed by {@code out} biases: the body layers, the fused first layer of
 * the four heads ({@code code x 4*head}; columns {@code [h*head, (h+1)*head)} belong to head h in
 * the order point, channel, mu, sigma), then the point, channel, mu and sigma output layers.
 * Version 1 files (doubles; each head's two layers in turn) are still read. Not thread safe: each
 * thread needs its own instance ({@link #load} again).
 */
public final class MahppoPolicy implements PaperPlanner {
    private static final byte[] MAGIC = "ESMAHPPO".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 2;

    private final String net;
    private final int stateDim;
    private final int channels;
    private final double pmax;
    private final int[] body;
    private final int head;
    private final ActorNet[] actors;
    private final float[][] one;

    MahppoPolicy(
            String net,
            int stateDim,
            int channels,
            double pmax,
            int[] body,
            int head,
            ActorNet[] actors) {
        this.net = net;
        this.stateDim = stateDim;
        this.channels = channels;
        this.pmax = pmax;
        this.body = body.clone();
        this.head = head;
        this.actors = actors;
        this.one = new float[1][stateDim];
    }

    public int users() {
        return actors.length;
    }

    public int stateDim() {
        return stateDim;
    }

    public int channels() {
        return channels;
    }

    /** The DNN the policy was trained for. */
    public String net() {
        return net;
    }

    /** Most likely point and sub-channel and the mean power (clamped to [1e-10, pmax]) per UE. */
    public PaperDecision act(double[] state) {
        if (state.length != stateDim) {
            throw new IllegalArgumentException(
                    "state has " + state.length + " entries, policy expects " + stateDim);
        }
        int n = actors.length;
        int[] p = new int[n];
        int[] c = new int[n];
        double[] w = new double[n];
        for (int k = 0; k < stateDim; k++) {
            one[0][k] = (float) state[k];
        }
        for (int i = 0; i < n; i++) {
            ActorNet a = actors[i];
            a.forward(one, 1);
            p[i] = argmax(a.pointLogits[0], a.points());
            c[i] = argmax(a.channelLogits[0], a.channels());
            w[i] = Math.max(1e-10, Math.min(pmax, a.mu(0)));
        }
        return new PaperDecision(p, c, w);
    }

    @Override
    public PaperDecision plan(PaperObservation obs) {
        return act(obs.state());
    }

    @Override
    public String name() {
        return "MAHPPO";
    }

    static int argmax(double[] v, int k) {
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (v[j] > v[best]) {
                best = j;
            }
        }
        return best;
    }

    public void save(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(net);
            out.writeInt(actors.length);
            out.writeInt(channels);
            out.writeInt(stateDim);
            out.writeDouble(pmax);
            out.writeInt(body.length);
            for (int h : body) {
                out.writeInt(h);
            }
            out.writeInt(head);
            for (ActorNet a : actors) {
                for (Dense d : a.layers()) {
                    for (float[] row : d.wt) {
                        for (float v : row) {
                            out.writeFloat(v);
                        }
                    }
                    for (float v : d.b) {
                        out.writeFloat(v);
                    }
                }
            }
        }
    }

    public static MahppoPolicy load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, file.toString());
        }
    }

    /**
     * Loads a policy from the class path, e.g. {@code
     * "/org/edgesplit/core/mahppo/resnet18-5ue.mahppo"}.
     */
    public static MahppoPolicy loadResource(String name) throws IOException {
        try (InputStream in = MahppoPolicy.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no policy resource " + name + " on the class path");
            }
            return load(in, name);
        }
    }

    /** Reads a policy from a stream (not closed); {@code file} names it in error messages. */
    public static MahppoPolicy load(InputStream stream, String file) throws IOException {
        {
            DataInputStream in = new DataInputStream(new BufferedInputStream(stream));
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + ": not a MAHPPO policy file (bad magic)");
            }
            int version = in.readInt();
            if (version != 1 && version != VERSION) {
                throw new IOException(file + ": unsupported policy version " + version);
            }
            String net = in.readUTF();
            int users = in.readInt();
            int channels = in.readInt();
            int stateDim = in.readInt();
            double pmax = in.readDouble();
            int[] body = new int[in.readInt()];
            for (int k = 0; k < body.length; k++) {
                body[k] = in.readInt();
            }
            int head = in.readInt();
            if (users < 1 || channels < 1 || stateDim < 1 || body.length < 1 || head < 1) {
                throw new IOException(file + ": corrupt policy header");
            }
            SplittableRandom unused = new SplittableRandom(0);
            ActorNet[] actors = new ActorNet[users];
            for (int i = 0; i < users; i++) {
                ActorNet a = new ActorNet(stateDim, body, head, 6, channels, pmax, 1, unused);
                if (version == 1) {
                    readVersion1(in, a);
                } else {
                    for (Dense d : a.layers()) {
                        readLayer(in, d, 0, d.out);
                    }
                }
                actors[i] = a;
            }
            if (in.read() != -1) {
                throw new IOException(file + ": trailing bytes after the last actor");
            }
            return new MahppoPolicy(net, stateDim, channels, pmax, body, head, actors);
        }
    }

    /** Reads {@code d}'s weights for columns {@code [col, col + n)} and their biases. */
    private static void readLayer(DataInputStream in, Dense d, int col, int n) throws IOException {
        for (float[] row : d.wt) {
            for (int o = col; o < col + n; o++) {
                row[o] = in.readFloat();
            }
        }
        for (int o = col; o < col + n; o++) {
            d.b[o] = in.readFloat();
        }
        d.syncMirror();
    }

    /** Version 1: doubles; body, then each head's first and second layer in turn. */
    private static void readVersion1(DataInputStream in, ActorNet a) throws IOException {
        for (Dense d : a.body.layers) {
            readDoubles(in, d, 0, d.out);
        }
        for (int h = 0; h < ActorNet.HEADS; h++) {
            readDoubles(in, a.hidden, h * a.headHidden, a.headHidden);
            readDoubles(in, a.outs[h], 0, a.outs[h].out);
        }
    }

    private static void readDoubles(DataInputStream in, Dense d, int col, int n)
            throws IOException {
        for (float[] row : d.wt) {
            for (int o = col; o < col + n; o++) {
                row[o] = (float) in.readDouble();
            }
        }
        for (int o = col; o < col + n; o++) {
            d.b[o] = (float) in.readDouble();
        }
        d.syncMirror();
    }
}
