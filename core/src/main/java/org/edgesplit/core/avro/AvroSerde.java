package org.edgesplit.core.avro;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Serializes one Avro record type with Avro's single-object encoding (magic, schema fingerprint,
 * body).
 *
 * <p>The fingerprint lets a reader resolve messages written with any schema version it knows: the
 * current one plus every older version kept under {@code org/edgesplit/avro/history/} in the
 * schemas module. This replaces a schema registry service: producers and consumers of EdgeSplit
 * ship together, and an old UE's frames still decode after the edge upgrades.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final String HISTORY_DIR = "org/edgesplit/avro/history/";

    private final Class<T> type;
    private transient BinaryMessageEncoder<T> encoder;
    private transient BinaryMessageDecoder<T> decoder;

    private AvroSerde(Class<T> type) {
        this.type = type;
    }

    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(type);
    }

    public Class<T> type() {
        return type;
    }

    public Schema schema() {
        return SpecificData.get().getSchema(type);
    }

    public byte[] serialize(T record) {
        try {
            ByteBuffer buffer = encoder().encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
        }
    }

    /**
     * Decodes one message.
     *
     * @throws AvroDecodeException with a reason that tells a bad header from an unknown schema from
     *     a corrupt body
     */
    public T deserialize(byte[] bytes) {
        if (bytes == null) {
            throw new AvroDecodeException(AvroDecodeException.Kind.EMPTY, "null message");
        }
        try {
            return decoder().decode(bytes);
        } catch (MissingSchemaException e) {
            throw new AvroDecodeException(
                    AvroDecodeException.Kind.UNKNOWN_SCHEMA,
                    "unknown schema fingerprint for "
                            + type.getSimpleName()
                            + ": "
                            + e.getMessage());
        } catch (BadHeaderException e) {
            throw new AvroDecodeException(
                    AvroDecodeException.Kind.BAD_HEADER,
                    "not an Avro single-object message: " + e.getMessage());
        } catch (IOException
                | AvroRuntimeException
                | IndexOutOfBoundsException
                | NegativeArraySizeException
                | OutOfMemoryError e) {
            // Avro reports truncated or corrupt bodies through several exception types.
            throw new AvroDecodeException(
                    AvroDecodeException.Kind.CORRUPT_BODY,
                    "corrupt " + type.getSimpleName() + " body: " + e);
        }
    }

    private BinaryMessageEncoder<T> encoder() {
        if (encoder == null) {
            encoder = new BinaryMessageEncoder<>(SpecificData.getForClass(type), schema());
        }
        return encoder;
    }

    private BinaryMessageDecoder<T> decoder() {
        if (decoder == null) {
            SchemaStore.Cache store = new SchemaStore.Cache();
            BinaryMessageDecoder<T> d =
                    new BinaryMessageDecoder<>(SpecificData.getForClass(type), schema(), store);
            for (Schema old : historicSchemas(type.getSimpleName())) {
                d.addSchema(old);
            }
            decoder = d;
        }
        return decoder;
    }

    /** Older versions of a record's schema, in the order they were written. */
    static List<Schema> historicSchemas(String recordName) {
        List<Schema> schemas = new ArrayList<>();
        ClassLoader loader = AvroSerde.class.getClassLoader();
        try (InputStream index = loader.getResourceAsStream(HISTORY_DIR + "index.txt")) {
            if (index == null) {
                return schemas;
            }
            for (String file :
                    new String(index.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                file = file.strip();
                if (!file.startsWith(recordName + "-v")) {
                    continue;
                }
                try (InputStream in = loader.getResourceAsStream(HISTORY_DIR + file)) {
                    if (in == null) {
                        throw new IllegalStateException(
                                "schema history lists a missing file " + file);
                    }
                    schemas.add(new Schema.Parser().parse(in));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return schemas;
    }
}
