package org.edgesplit.core.avro;

/** A message that could not be decoded, with the kind of failure for dead-letter routing. */
public final class AvroDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why decoding failed. */
    public enum Kind {
        EMPTY,
        BAD_HEADER,
        UNKNOWN_SCHEMA,
        CORRUPT_BODY
    }

    private final Kind kind;

    public AvroDecodeException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
