package io.dialerbridge.source;

import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.mapping.FieldMapping;
import io.dialerbridge.operation.Operation;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.zip.CRC32C;

/**
 * Streams the elements of one dropped file, one at a time, never holding the file whole.
 * Elements that cannot be parsed come out already rejected, with their line number, so the rest
 * of the file still goes through.
 */
public abstract class ElementReader implements Iterator<Element>, Closeable {

    /** input JSON is read strictly and numbers kept exact: see {@link StrictJson} */
    static final ObjectMapper JSON = StrictJson.MAPPER;

    /** The most bytes one element (a line, a CSV record, a JSON element, a Kafka value) may have. */
    public static final int MAX_ELEMENT_BYTES = 8 << 20;

    public final FileOrigin origin;
    private Element next;
    private boolean finished;

    protected ElementReader(FileOrigin origin) {
        this.origin = origin;
    }

    /** What a file is, for the elements read from it. */
    public record FileOrigin(Path path, String displayName, String fileKey, String projectId, Operation operation,
                             int maxElementBytes, FieldMapping mapping, long readLength) {

        /**
         * The file's bytes, only the first {@code readLength} of them: a file is read as it was when it was picked
         * up, so bytes appended while it is read are never read (the inbox tells the operator where they begin).
         */
        InputStream open() throws IOException {
            return new FilePrefix(Files.newInputStream(path), readLength);
        }

        /** How many bytes are read: the file's size, at most {@code readLength}. */
        long size() throws IOException {
            return Math.min(Files.size(path), readLength);
        }

        Element element(long line, ObjectNode body, String raw) {
            return new Element(fileKey + ":" + line, projectId, operation, body, raw,
                    SourceRef.fileLine(displayName, line), null, null);
        }

        Element unreadable(long line, String raw, String errorCode, String message) {
            return element(line, null, raw).rejected(Rejection.beforeSending(errorCode, message));
        }

        /** Bytes that are not valid UTF-8: rejected as they are, never repaired. */
        Element undecodable(long line, byte[] bytes, String message) {
            return new Element(fileKey + ":" + line, projectId, operation, null, null,
                    SourceRef.fileLine(displayName, line), null,
                    Rejection.beforeSending("error.malformed_encoding", message), bytes);
        }

        /** An element over the bound, measured in unit (bytes; characters for JSON, which is read as text). */
        Element tooLarge(long line, long length, String unit, String what) {
            return unreadable(line, null, "error.element_too_large", what + " at line " + line + " has " + length
                    + " " + unit + ", more than the " + maxElementBytes + " an element may have");
        }
    }

    /** Opens a reader for the file's format, chosen by its extension (ndjson, json, csv). */
    public static ElementReader open(Path path, String displayName, String projectId, Operation operation)
            throws IOException {
        return open(path, displayName, projectId, operation, FieldMapping.NONE);
    }

    /** Opens a reader whose elements come out mapped by {@code mapping} (mapping.file). */
    public static ElementReader open(Path path, String displayName, String projectId, Operation operation,
                                     FieldMapping mapping) throws IOException {
        return open(path, displayName, projectId, operation, MAX_ELEMENT_BYTES, mapping);
    }

    /** Opens a reader whose elements may have at most maxElementBytes bytes each. */
    public static ElementReader open(Path path, String displayName, String projectId, Operation operation,
                                     int maxElementBytes) throws IOException {
        return open(path, displayName, projectId, operation, maxElementBytes, FieldMapping.NONE);
    }

    /**
     * Opens a reader of the first {@code readLength} bytes of the file only (its length when it was picked up);
     * null: the whole file.
     */
    public static ElementReader open(Path path, String displayName, String projectId, Operation operation,
                                     FieldMapping mapping, Long readLength) throws IOException {
        return open(path, displayName, projectId, operation, MAX_ELEMENT_BYTES, mapping,
                readLength == null ? Long.MAX_VALUE : readLength);
    }

    private static ElementReader open(Path path, String displayName, String projectId, Operation operation,
                                      int maxElementBytes, FieldMapping mapping) throws IOException {
        return open(path, displayName, projectId, operation, maxElementBytes, mapping, Long.MAX_VALUE);
    }

    private static ElementReader open(Path path, String displayName, String projectId, Operation operation,
                                      int maxElementBytes, FieldMapping mapping, long readLength) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new UnreadableFileException(Files.exists(path) ? path.getFileName() + " is not a regular file"
                    : path.getFileName() + " disappeared before it was read");
        }
        String key;
        try {
            key = fileKey(path, readLength);
        } catch (AccessDeniedException e) {
            throw new UnreadableFileException("the bridge may not read " + path.getFileName() + " (permission denied)", e);
        } catch (NoSuchFileException e) {
            throw new UnreadableFileException(path.getFileName() + " disappeared before it was read", e);
        }
        FileOrigin origin = new FileOrigin(path, displayName, key, projectId, operation, maxElementBytes, mapping,
                readLength);
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) {
            return new NdjsonElementReader(origin);
        } else if (name.endsWith(".json")) {
            return new JsonElementReader(origin);
        } else if (name.endsWith(".csv")) {
            return new CsvElementReader(origin);
        }
        throw new UnreadableFileException("unsupported file type: " + path.getFileName()
                + " (expected .ndjson, .json or .csv)");
    }

    /**
     * The column names of a CSV file's header row as written (a byte order mark dropped), read from its
     * bytes as the reader reads them (a bad byte later in the file does not matter); null when the file
     * has no header row that can be read: the reader refuses such a file with the reason.
     */
    public static List<String> csvHeader(Path file) throws IOException {
        return CsvElementReader.header(file);
    }

    /**
     * The cells of one CSV record held as text (an element's raw: the record as its file has it), separated
     * by its file's delimiter ({@link #csvDelimiter}), read as the reader reads them, so a record the reader refused for its syntax still gives its cells.
     */
    public static List<String> csvCells(String raw, char delimiter) throws IOException {
        return CsvElementReader.cells(raw, delimiter);
    }

    /** The delimiter of a CSV file's cells as the reader finds it in its header row: {@code ,}, {@code ;} or a tab. */
    public static char csvDelimiter(Path file) throws IOException {
        return CsvElementReader.delimiter(file);
    }

    /** A checksum of the file's content and its size: the same bytes always give the same key. */
    public static String fileKey(Path path) throws IOException {
        return fileKey(path, Long.MAX_VALUE);
    }

    /** The key of the file's first {@code readLength} bytes (those a reader bounded so reads). */
    public static String fileKey(Path path, long readLength) throws IOException {
        CRC32C crc = new CRC32C();
        long size = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = new FilePrefix(Files.newInputStream(path), readLength)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                crc.update(buffer, 0, n);
                size += n;
            }
        }
        return String.format("%08x-%d", crc.getValue(), size);
    }

    /** Reads the next element, or returns null at the end of the file. */
    protected abstract Element readNext() throws IOException;

    @Override
    public boolean hasNext() {
        if (next == null && !finished) {
            try {
                next = readNext();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            finished = next == null;
        }
        return next != null;
    }

    @Override
    public Element next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Element element = next;
        next = null;
        // the field mapping (mapping.file), before anything validates the element
        return origin.mapping().apply(element);
    }

    /** Thrown when a file cannot be read at all: it goes to failed/ with this reason beside it. */
    public static class UnreadableFileException extends IOException {
        public UnreadableFileException(String message) {
            super(message);
        }

        public UnreadableFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
