package org.edgesplit.core.codec;

/** A payload that disagrees with its codec header; the reason becomes the dead letter's code. */
public final class CodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the payload or its header. */
    public enum Reason {
        UNSUPPORTED_BITS,
        BAD_SHAPE,
        SHAPE_TOO_LARGE,
        PAYLOAD_LENGTH_MISMATCH,
        NON_FINITE_QUANTIZATION,
        NON_POSITIVE_SCALE,
        UNKNOWN_PACKING
    }

    private final Reason reason;

    public CodecException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
