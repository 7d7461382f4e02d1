package org.edgesplit.emulator.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.edgesplit.avro.UeTraceRecord;

/**
 * Writes a UE trace: an Avro container file of {@link UeTraceRecord}s (the schema travels in the
 * file's header), with metadata saying when the recording started. Appends are thread-safe; close
 * makes the file complete.
 */
public final class TraceRecorder implements AutoCloseable {
    public static final String FORMAT_KEY = "edgesplit.trace.format";
    public static final String FORMAT = "1";
    public static final String START_KEY = "edgesplit.start.epoch.ms";
    public static final String SOURCE_KEY = "edgesplit.source";

    private final DataFileWriter<UeTraceRecord> writer;
    private final Path file;
    private long records;
    private boolean closed;

    public TraceRecorder(Path file, long startEpochMs, String source) {
        this.file = file;
        writer = new DataFileWriter<>(new SpecificDatumWriter<>(UeTraceRecord.class));
        writer.setMeta(FORMAT_KEY, FORMAT);
        writer.setMeta(START_KEY, startEpochMs);
        writer.setMeta(SOURCE_KEY, source);
        try {
            writer.create(UeTraceRecord.getClassSchema(), file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create trace file " + file, e);
        }
    }

    public synchronized void append(UeTraceRecord record) {
        if (closed) {
            return;
        }
        try {
            writer.append(record);
            records++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trace file " + file, e);
        }
    }

    public synchronized long records() {
        return records;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish trace file " + file, e);
        }
    }
}
