package org.edgesplit.emulator.trace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.edgesplit.avro.UeTraceRecord;

/** Reads a UE trace written by {@link TraceRecorder} (or converted from a real device's log). */
public final class TraceReader {
    private TraceReader() {}

    /** A whole trace: its records in file order and its start time. */
    public record Trace(long startEpochMs, String source, List<UeTraceRecord> records) {}

    public static Trace read(Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read trace file " + file);
        }
        try (DataFileReader<UeTraceRecord> reader =
                new DataFileReader<>(
                        file.toFile(), new SpecificDatumReader<>(UeTraceRecord.class))) {
            String format = reader.getMetaString(TraceRecorder.FORMAT_KEY);
            if (format != null && !TraceRecorder.FORMAT.equals(format)) {
                throw new IllegalArgumentException(
                        "trace file " + file + " has format " + format + ", expected 1");
            }
            long start = reader.getMetaLong(TraceRecorder.START_KEY);
            String source = reader.getMetaString(TraceRecorder.SOURCE_KEY);
            List<UeTraceRecord> records = new ArrayList<>();
            while (reader.hasNext()) {
                records.add(reader.next());
            }
            return new Trace(start, source, records);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException(
                    "trace file "
                            + file
                            + " is not a readable EdgeSplit trace (Avro container of UeTraceRecord): "
                            + e.getMessage(),
                    e);
        }
    }
}
