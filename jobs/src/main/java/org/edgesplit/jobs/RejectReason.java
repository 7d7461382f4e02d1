package org.edgesplit.jobs;

import org.edgesplit.core.avro.AvroDecodeException;
import org.edgesplit.core.codec.CodecException;

/** Why a record went to the dead-letter topic; the name is the dead letter's reason code. */
public enum RejectReason {
    EMPTY_RECORD,
    NOT_AVRO_SINGLE_OBJECT,
    UNKNOWN_SCHEMA,
    UNDECODABLE_AVRO,
    KEY_MISMATCH,
    NEGATIVE_SEQUENCE,
    UNKNOWN_MODEL,
    UNKNOWN_SPLIT_POINT,
    LOCAL_ONLY_POINT,
    UNSUPPORTED_BITS,
    BAD_SHAPE,
    SHAPE_TOO_LARGE,
    SHAPE_MISMATCH,
    PAYLOAD_LENGTH_MISMATCH,
    NON_FINITE_QUANTIZATION,
    NON_POSITIVE_SCALE,
    UNKNOWN_PACKING,
    DUPLICATE_SEQUENCE,
    INFERENCE_FAILED,
    INFERENCE_TIMEOUT,
    BAD_TELEMETRY;

    public static RejectReason of(AvroDecodeException.Kind kind) {
        return switch (kind) {
            case EMPTY -> EMPTY_RECORD;
            case BAD_HEADER -> NOT_AVRO_SINGLE_OBJECT;
            case UNKNOWN_SCHEMA -> UNKNOWN_SCHEMA;
            case CORRUPT_BODY -> UNDECODABLE_AVRO;
        };
    }

    static RejectReason of(CodecException.Reason reason) {
        return switch (reason) {
            case UNSUPPORTED_BITS -> UNSUPPORTED_BITS;
            case BAD_SHAPE -> BAD_SHAPE;
            case SHAPE_TOO_LARGE -> SHAPE_TOO_LARGE;
            case PAYLOAD_LENGTH_MISMATCH -> PAYLOAD_LENGTH_MISMATCH;
            case NON_FINITE_QUANTIZATION -> NON_FINITE_QUANTIZATION;
            case NON_POSITIVE_SCALE -> NON_POSITIVE_SCALE;
            case UNKNOWN_PACKING -> UNKNOWN_PACKING;
        };
    }
}
