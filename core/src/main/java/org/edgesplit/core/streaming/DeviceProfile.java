package org.edgesplit.core.streaming;

import java.io.Serializable;
import java.util.Arrays;
import org.edgesplit.core.model.Manifest;
import org.edgesplit.core.paper.Dnn;

/**
 * A UE's compute cost per split point: head (+ encoder) latency and power, point 0 = nothing, the
 * last point = the whole model on the UE.
 *
 * @param name what device this describes, for tables and logs
 * @param latencyS compute latency per point in seconds (index = point)
 * @param powerW compute power per point in watts (index = point)
 */
public record DeviceProfile(String name, double[] latencyS, double[] powerW)
        implements Serializable {
    /**
     * Power of a small edge device's SoC while computing, used when a bundle gives none (Jetson
     * Nano's range).
     */
    public static final double DEFAULT_POWER_W = 2.5;

    public DeviceProfile {
        if (latencyS.length != powerW.length) {
            throw new IllegalArgumentException("one latency and one power per point");
        }
        latencyS = latencyS.clone();
        powerW = powerW.clone();
    }

    public int localPoint() {
        return latencyS.length - 1;
    }

    public double latency(int point) {
        return latencyS[point];
    }

    public double energy(int point) {
        return latencyS[point] * powerW[point];
    }

    /** The paper's Jetson Nano measurements for one of its networks. */
    public static DeviceProfile jetsonNano(Dnn dnn) {
        double[] lat = new double[Dnn.POINTS];
        double[] pow = new double[Dnn.POINTS];
        for (int p = 1; p < Dnn.POINTS; p++) {
            lat[p] = dnn.frontLatency(p);
            pow[p] = dnn.frontPower(p);
        }
        return new DeviceProfile("jetson-nano/" + dnn.id(), lat, pow);
    }

    /**
     * A device {@code slowdown} times slower than this machine's ONNX Runtime at batch 1, as
     * measured into the bundle's manifest, drawing {@code powerW} while it computes.
     */
    public static DeviceProfile scaledFromBundle(Manifest m, double slowdown, double powerW) {
        if (!(slowdown > 0) || !(powerW > 0)) {
            throw new IllegalArgumentException("slowdown and power must be > 0");
        }
        int local = m.localPoint();
        double[] lat = new double[local + 1];
        for (Manifest.Point p : m.points()) {
            if (p.point() > 0) {
                lat[p.point()] = slowdown * batchOneSeconds(p.headLatencyMs(), p.headFlops(), m);
            }
        }
        lat[local] = slowdown * batchOneSeconds(m.full().latencyMs(), m.full().flops(), m);
        double[] pow = new double[local + 1];
        Arrays.fill(pow, powerW);
        pow[0] = 0;
        return new DeviceProfile(String.format("%s x%.0f", m.modelId(), slowdown), lat, pow);
    }

    /** A latency from the manifest, or from FLOPs at 1 GFLOP/s when it was not profiled. */
    private static double batchOneSeconds(
            java.util.Map<String, Double> latencyMs, Long flops, Manifest m) {
        if (latencyMs != null && latencyMs.get("1") != null) {
            return latencyMs.get("1") / 1000.0;
        }
        if (flops != null) {
            return flops / 1e9;
        }
        throw new IllegalArgumentException(
                m.modelId() + " has neither latency nor FLOPs for a point");
    }
}
