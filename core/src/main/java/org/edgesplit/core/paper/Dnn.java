package org.edgesplit.core.paper;

import java.util.Locale;

/**
 * The three DNNs of the paper with the authors' Jetson Nano profiles (DVFS off) per partition
 * point: 0 = edge-only, 1..4 = split with autoencoder compression, 5 = local-only.
 */
public enum Dnn {
    VGG11(
            "vgg11",
            0.092876,
            new long[] {64L * 112 * 112, 128L * 56 * 56, 256L * 28 * 28, 512L * 14 * 14},
            new double[] {128, 128, 128, 128},
            new double[] {0.015589, 0.045, 0.100595, 0.136817, 0.1893},
            new double[] {2.204, 2.6344, 2.8618, 3.0338, 2.5795},
            new double[] {0.034358, 0.118548, 0.287883, 0.415075, 0.488299}),
    RESNET18(
            "resnet18",
            0.045887,
            new long[] {64L * 56 * 56, 128L * 28 * 28, 256L * 14 * 14, 512L * 7 * 7},
            new double[] {64, 64, 64, 32},
            new double[] {0.004359, 0.01647, 0.025477, 0.03678, 0.045887},
            new double[] {2.2885, 2.6328, 2.8815, 3.013, 2.1454},
            new double[] {0.009976, 0.043362, 0.073412, 0.110818, 0.098446}),
    MOBILENETV2(
            "mobilenetv2",
            0.052676,
            new long[] {16L * 112 * 112, 24L * 56 * 56, 32L * 28 * 28, 64L * 14 * 14},
            new double[] {32, 48, 32, 32},
            new double[] {0.005392, 0.009008, 0.015418, 0.024955, 0.052676},
            new double[] {1.8811, 2.4805, 2.5565, 2.2014, 1.4797},
            new double[] {0.010143, 0.022344, 0.039416, 0.054936, 0.077945});

    /** Number of partition points (0..5). */
    public static final int POINTS = 6;

    public static final int EDGE_ONLY = 0;
    public static final int LOCAL_ONLY = 5;

    /** Raw 8-bit 3x224x224 image: what point 0 uploads, and the state's bit normaliser. */
    public static final long RAW_IMAGE_BITS = 3L * 224 * 224 * 8;

    private final String id;
    private final double stateTimeNorm;
    private final double[] bits = new double[POINTS];
    private final double[] frontLatency = new double[POINTS];
    private final double[] frontPower = new double[POINTS];
    private final double[] frontEnergy = new double[POINTS];

    Dnn(
            String id,
            double stateTimeNorm,
            long[] featureElements,
            double[] ratios,
            double[] latency,
            double[] power,
            double[] energy) {
        this.id = id;
        this.stateTimeNorm = stateTimeNorm;
        bits[0] = RAW_IMAGE_BITS;
        for (int k = 1; k <= 4; k++) {
            // float32 features divided by the autoencoder's compression ratio; Math.rint is
            // round-half-even like the reference (all current values are exact integers anyway).
            bits[k] = Math.rint(featureElements[k - 1] * 32.0 / ratios[k - 1]);
        }
        bits[5] = 0;
        for (int k = 1; k < POINTS; k++) {
            frontLatency[k] = latency[k - 1];
            frontPower[k] = power[k - 1];
            frontEnergy[k] = energy[k - 1];
        }
    }

    /** Lower-case name used in scenario files and on the command line. */
    public String id() {
        return id;
    }

    /** Bits uploaded when splitting at {@code point}. */
    public double bits(int point) {
        return bits[point];
    }

    /** UE-side compute latency (s) before the cut at {@code point}. */
    public double frontLatency(int point) {
        return frontLatency[point];
    }

    /** UE compute power (W) while computing the front part for {@code point}. */
    public double frontPower(int point) {
        return frontPower[point];
    }

    /**
     * Measured UE compute energy (J) of the front part; informational (the env uses power x time).
     */
    public double frontEnergy(int point) {
        return frontEnergy[point];
    }

    /**
     * Divisor of the remaining compute time in the state vector. It is the reference's constant,
     * which for VGG11 is smaller than the local latency, so that state entry can exceed 1.
     */
    public double stateTimeNorm() {
        return stateTimeNorm;
    }

    public static Dnn fromId(String name) {
        for (Dnn d : values()) {
            if (d.id.equals(name.toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new IllegalArgumentException(
                "unknown net '" + name + "': expected one of resnet18, vgg11, mobilenetv2");
    }
}
