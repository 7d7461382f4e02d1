package org.edgesplit.core.topics;

import java.io.Serializable;
import java.util.List;
import org.edgesplit.avro.DeadLetter;
import org.edgesplit.avro.FeatureFrame;
import org.edgesplit.avro.InferenceResult;
import org.edgesplit.avro.Plan;
import org.edgesplit.avro.UeTelemetry;
import org.edgesplit.core.avro.AvroSerde;

/**
 * The registry of EdgeSplit's topics. Every module and test takes topic names and serdes from here;
 * a prefix lets several deployments (or tests) share one Kafka cluster.
 */
public record Topics(String prefix) implements Serializable {
    public static final String DEFAULT_PREFIX = "edgesplit.";
    public static final Topics DEFAULT = new Topics(DEFAULT_PREFIX);

    /** Enough partitions for an edge job at parallelism 4 without re-partitioning. */
    public static final int DEFAULT_PARTITIONS = 4;

    public Topics {
        if (prefix == null || !prefix.matches("[A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException(
                    "topic prefix may only hold letters, digits, '.', '_' and '-': " + prefix);
        }
    }

    /** Feature frames, UE to edge, keyed by UE id. */
    public Topic<FeatureFrame> features() {
        return new Topic<>(
                prefix + "features", AvroSerde.of(FeatureFrame.class), DEFAULT_PARTITIONS, false);
    }

    /** Inference results, edge to UE, keyed by UE id. */
    public Topic<InferenceResult> results() {
        return new Topic<>(
                prefix + "results", AvroSerde.of(InferenceResult.class), DEFAULT_PARTITIONS, false);
    }

    /** UE telemetry for the planner, keyed by UE id. */
    public Topic<UeTelemetry> telemetry() {
        return new Topic<>(
                prefix + "telemetry", AvroSerde.of(UeTelemetry.class), DEFAULT_PARTITIONS, false);
    }

    /** Plans, planner to UE: compacted so a UE that (re)starts reads its latest plan. */
    public Topic<Plan> control() {
        return new Topic<>(prefix + "control", AvroSerde.of(Plan.class), DEFAULT_PARTITIONS, true);
    }

    /** Records the job could not process, with the reason. */
    public Topic<DeadLetter> deadLetters() {
        return new Topic<>(
                prefix + "dead-letters", AvroSerde.of(DeadLetter.class), DEFAULT_PARTITIONS, false);
    }

    public List<Topic<?>> all() {
        return List.of(features(), results(), telemetry(), control(), deadLetters());
    }
}
