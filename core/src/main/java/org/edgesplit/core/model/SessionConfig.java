package org.edgesplit.core.model;

import java.io.Serializable;

/**
 * How ONNX Runtime sessions are opened.
 *
 * @param device CPU, or CUDA with a CPU fallback when no GPU provider is present
 * @param deviceId the GPU ordinal when {@code device} is CUDA
 * @param intraOpThreads threads per session call; 1 lets Flink's parallelism use the cores
 */
public record SessionConfig(Device device, int deviceId, int intraOpThreads)
        implements Serializable {
    public SessionConfig {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException(
                    "intra-op threads must be >= 1, got " + intraOpThreads);
        }
        if (deviceId < 0) {
            throw new IllegalArgumentException("device id must be >= 0, got " + deviceId);
        }
    }

    public static SessionConfig cpu() {
        return new SessionConfig(Device.CPU, 0, 1);
    }

    public SessionConfig withThreads(int threads) {
        return new SessionConfig(device, deviceId, threads);
    }
}
