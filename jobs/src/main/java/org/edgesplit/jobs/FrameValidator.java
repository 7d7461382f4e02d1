package org.edgesplit.jobs;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.edgesplit.avro.FeatureFrame;
import org.edgesplit.core.avro.AvroDecodeException;
import org.edgesplit.core.avro.AvroSerde;
import org.edgesplit.core.codec.CodecException;
import org.edgesplit.core.codec.FeatureCodec;
import org.edgesplit.core.model.Manifest;
import org.edgesplit.core.model.ModelCatalog;
import org.edgesplit.core.topics.Topic;

/**
 * Decodes each raw record as a feature frame and checks it against the model catalog; a record that
 * fails any check goes to the dead-letter side output with its own reason.
 */
public final class FrameValidator extends ProcessFunction<RawRecord, FrameEnvelope> {
    private static final long serialVersionUID = 1L;

    private final String modelsDir;
    private final AvroSerde<FeatureFrame> serde;
    private transient ModelCatalog catalog;
    private transient Counter framesIn;
    private transient Map<RejectReason, Counter> rejected;

    public FrameValidator(String modelsDir, Topic<FeatureFrame> features) {
        this.modelsDir = modelsDir;
        this.serde = features.valueSerde();
    }

    @Override
    public void open(OpenContext context) {
        catalog = ModelCatalog.load(Path.of(modelsDir));
        framesIn = getRuntimeContext().getMetricGroup().counter("framesIn");
        rejected = new EnumMap<>(RejectReason.class);
        for (RejectReason r : RejectReason.values()) {
            rejected.put(
                    r,
                    getRuntimeContext().getMetricGroup().addGroup("deadLetters").counter(r.name()));
        }
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<FrameEnvelope> out) {
        framesIn.inc();
        long now = System.currentTimeMillis();
        FeatureFrame frame;
        try {
            frame = serde.deserialize(raw.value);
        } catch (AvroDecodeException e) {
            reject(
                    ctx,
                    raw,
                    RejectReason.of(e.kind()),
                    e.getMessage(),
                    Topic.deserializeKey(raw.key));
            return;
        }
        Optional<Rejection> problem = check(frame, raw, catalog);
        if (problem.isPresent()) {
            reject(ctx, raw, problem.get().reason(), problem.get().detail(), frame.getUeId());
            return;
        }
        out.collect(new FrameEnvelope(frame, now, raw));
    }

    private void reject(
            Context ctx, RawRecord raw, RejectReason reason, String detail, String ueId) {
        rejected.get(reason).inc();
        ctx.output(DeadLetters.TAG, DeadLetters.of(raw, reason, detail, ueId));
    }

    /** A reason and a human-readable detail. */
    record Rejection(RejectReason reason, String detail) {}

    /** Every check a decoded frame must pass, in order; the first failure wins. */
    static Optional<Rejection> check(FeatureFrame frame, RawRecord raw, ModelCatalog catalog) {
        String key = Topic.deserializeKey(raw.key);
        if (key != null && !key.equals(frame.getUeId())) {
            return reject(
                    RejectReason.KEY_MISMATCH,
                    "record key '"
                            + key
                            + "' differs from the frame's UE id '"
                            + frame.getUeId()
                            + "'");
        }
        if (frame.getSeq() < 0) {
            return reject(
                    RejectReason.NEGATIVE_SEQUENCE,
                    "sequence number " + frame.getSeq() + " is negative");
        }
        try {
            FeatureCodec.validate(frame.getCodec(), frame.getPayload().duplicate());
        } catch (CodecException e) {
            return reject(RejectReason.of(e.reason()), e.getMessage());
        }
        Optional<Manifest> manifest = catalog.manifest(frame.getModelId());
        if (manifest.isEmpty()) {
            return reject(
                    RejectReason.UNKNOWN_MODEL,
                    "model '"
                            + frame.getModelId()
                            + "' is not served here; served: "
                            + catalog.modelIds());
        }
        Manifest m = manifest.get();
        int point = frame.getSplitPoint();
        if (point == m.localPoint()) {
            return reject(
                    RejectReason.LOCAL_ONLY_POINT,
                    "point "
                            + point
                            + " is local-only for "
                            + m.modelId()
                            + ": nothing should be sent");
        }
        Optional<Manifest.Point> p =
                m.points().stream().filter(x -> x.point() == point).findFirst();
        if (p.isEmpty()) {
            return reject(
                    RejectReason.UNKNOWN_SPLIT_POINT, m.modelId() + " has no split point " + point);
        }
        int bits = frame.getCodec().getBits();
        if (p.get().levels().stream().noneMatch(l -> l.bits() == bits)) {
            return reject(
                    RejectReason.UNSUPPORTED_BITS,
                    m.modelId()
                            + " point "
                            + point
                            + " has no "
                            + bits
                            + "-bit level; it has "
                            + p.get().levels().stream().map(Manifest.Level::bits).toList());
        }
        List<Integer> expected = p.get().codeShape();
        if (!expected.equals(frame.getCodec().getShape())) {
            return reject(
                    RejectReason.SHAPE_MISMATCH,
                    m.modelId()
                            + " point "
                            + point
                            + " codes have shape "
                            + expected
                            + ", frame says "
                            + frame.getCodec().getShape());
        }
        return Optional.empty();
    }

    private static Optional<Rejection> reject(RejectReason reason, String detail) {
        return Optional.of(new Rejection(reason, detail));
    }
}
