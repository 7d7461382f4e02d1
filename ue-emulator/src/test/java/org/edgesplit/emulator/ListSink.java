package org.edgesplit.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.edgesplit.avro.FeatureFrame;
import org.edgesplit.avro.UeTelemetry;
import org.edgesplit.core.topics.Topics;

/** A sink that keeps what UEs send, in order; an optional hook sees each frame first. */
final class ListSink implements FrameSink {
    final List<FeatureFrame> frames = new ArrayList<>();
    final List<UeTelemetry> telemetry = new ArrayList<>();
    Consumer<FeatureFrame> onFrame = f -> {};

    @Override
    public synchronized void frame(FeatureFrame frame) {
        frames.add(FeatureFrame.newBuilder(frame).build());
        onFrame.accept(frame);
    }

    @Override
    public synchronized void telemetry(UeTelemetry t) {
        telemetry.add(t);
    }

    @Override
    public int wireBytes(FeatureFrame frame) {
        return Topics.DEFAULT.features().valueSerde().serialize(frame).length;
    }
}
