package org.edgesplit.core.streaming;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.edgesplit.core.model.FrameEncoder;
import org.edgesplit.core.model.Manifest;
import org.edgesplit.core.model.ModelBundle;
import org.edgesplit.core.paper.Dnn;

/**
 * A UE's compute cost per split point: the time its head (or, at the local point, the whole model)
 * takes and the power it draws meanwhile. Point 0 sends the raw input: no compute, no power. The
 * emulator charges these costs and the planner weighs them, so both use this one profile.
 *
 * @param name how the profile was made, for the console and the recording
 * @param latencyS seconds of UE compute per point (index = point)
 * @param powerW watts drawn while computing, per point
 */
public record DeviceProfile(String name, double[] latencyS, double[] powerW)
        implements java.io.Serializable {
    /** Warm-up and timed runs when a bundle's manifest has no head latencies yet. */
    private static final int WARMUP = 5;

    private static final int RUNS = 21;

    public DeviceProfile {
        if (latencyS.length != powerW.length) {
            throw new IllegalArgumentException("one latency and one power per point needed");
        }
        latencyS = latencyS.clone();
        powerW = powerW.clone();
    }

    public double latencyS(int point) {
        return latencyS[point];
    }

    public double powerW(int point) {
        return powerW[point];
    }

    /** Compute energy of one task at {@code point}: power x time. */
    public double computeEnergyJ(int point) {
        return latencyS[point] * powerW[point];
    }

    /** The paper's Jetson Nano table (front latency and power per point) for one of its DNNs. */
    public static DeviceProfile paper(Dnn dnn) {
        double[] lat = new double[Dnn.POINTS];
        double[] pow = new double[Dnn.POINTS];
        for (int p = 1; p < Dnn.POINTS; p++) {
            lat[p] = dnn.frontLatency(p);
            pow[p] = dnn.frontPower(p);
        }
        return new DeviceProfile("jetson-nano-" + dnn.id(), lat, pow);
    }

    /**
     * The profile {@link #measured} gives, from the manifest alone (no ONNX session): the latencies
     * that {@code ./edgesplit models profile} wrote, or FLOPs at 1 GFLOP/s where none were written.
     * The planner uses this one.
     */
    public static DeviceProfile fromManifest(Manifest m, double factor, double powerW) {
        if (!(factor > 0) || !(powerW > 0)) {
            throw new IllegalArgumentException("device factor and power must be > 0");
        }
        int points = m.localPoint() + 1;
        double[] lat = new double[points];
        double[] pow = new double[points];
        for (Manifest.Point p : m.points()) {
            if (p.point() > 0) {
                lat[p.point()] = factor * manifestSeconds(p.headLatencyMs(), p.headFlops());
                pow[p.point()] = powerW;
            }
        }
        lat[m.localPoint()] = factor * manifestSeconds(m.full().latencyMs(), m.full().flops());
        pow[m.localPoint()] = powerW;
        return new DeviceProfile(name(m.modelId(), factor, powerW), lat, pow);
    }

    private static double manifestSeconds(Map<String, Double> latencyMs, Long flops) {
        Double ms = batchOne(latencyMs);
        if (ms != null) {
            return ms / 1000.0;
        }
        if (flops == null) {
            throw new IllegalArgumentException("a manifest point has neither latency nor FLOPs");
        }
        return flops / 1e9;
    }

    private static String name(String modelId, double factor, double powerW) {
        return String.format(Locale.ROOT, "%s-head-latency-x%.1f-%.1fW", modelId, factor, powerW);
    }

    /**
     * A bundle's head latency at batch 1 (from its manifest, or measured here when the manifest has
     * none) times {@code factor}, drawing {@code powerW}: a stand-in for a slower device.
     */
    public static DeviceProfile measured(ModelBundle bundle, double factor, double powerW) {
        int points = bundle.localPoint() + 1;
        double[] lat = new double[points];
        double[] pow = new double[points];
        for (int p = 1; p < points; p++) {
            double ms = p == bundle.localPoint() ? localMs(bundle) : headMs(bundle, p);
            lat[p] = ms * factor / 1000.0;
            pow[p] = powerW;
        }
        return new DeviceProfile(
                String.format(
                        Locale.ROOT,
                        "%s-head-latency-x%.1f-%.1fW",
                        bundle.modelId(),
                        factor,
                        powerW),
                lat,
                pow);
    }

    private static double headMs(ModelBundle bundle, int point) {
        Manifest.Point p = bundle.point(point).orElseThrow();
        Double fromManifest = batchOne(p.headLatencyMs());
        if (fromManifest != null) {
            return fromManifest;
        }
        int bits = p.levels().get(0).bits();
        FrameEncoder encoder = new FrameEncoder(bundle);
        byte[][] image = {new byte[bundle.inputElements()]};
        return medianMs(() -> encoder.encode(point, bits, image));
    }

    private static double localMs(ModelBundle bundle) {
        Double fromManifest = batchOne(bundle.manifest().full().latencyMs());
        if (fromManifest != null) {
            return fromManifest;
        }
        FrameEncoder encoder = new FrameEncoder(bundle);
        byte[][] image = {new byte[bundle.inputElements()]};
        return medianMs(() -> encoder.classifyLocally(image));
    }

    private static Double batchOne(Map<String, Double> latencies) {
        return latencies == null ? null : latencies.get("1");
    }

    private static double medianMs(Runnable run) {
        for (int i = 0; i < WARMUP; i++) {
            run.run();
        }
        double[] ms = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            run.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[RUNS / 2];
    }
}
