package org.edgesplit.emulator;

import org.edgesplit.avro.FeatureFrame;
import org.edgesplit.avro.UeTelemetry;

/** Where UEs send frames and telemetry: Kafka in a run, a list in tests. */
public interface FrameSink extends AutoCloseable {
    void frame(FeatureFrame frame);

    void telemetry(UeTelemetry telemetry);

    /** The size in bytes of a frame on the wire (what the uplink carries). */
    int wireBytes(FeatureFrame frame);

    @Override
    default void close() {}
}
