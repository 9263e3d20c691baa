package io.dialerbridge.source;

import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.operation.Operation;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.zip.CRC32C;

/**
 * Streams the elements of one dropped file, one at a time, never holding the file whole.
 * Elements that cannot be parsed come out already rejected, with their line number, so the rest
 * of the file still goes through.
 */
public abstract class ElementReader implements Iterator<Element>, Closeable {

    static final ObjectMapper JSON = new ObjectMapper();

    public final FileOrigin origin;
    private Element next;
    private boolean finished;

    protected ElementReader(FileOrigin origin) {
        this.origin = origin;
    }

    /** What a file is, for the elements read from it. */
    public record FileOrigin(Path path, String displayName, String fileKey, String projectId, Operation operation) {
        Element element(long line, ObjectNode body, String raw) {
            return new Element(fileKey + ":" + line, projectId, operation, body, raw,
                    SourceRef.fileLine(displayName, line), null, null);
        }

        Element unreadable(long line, String raw, String errorCode, String message) {
            return element(line, null, raw).rejected(Rejection.beforeSending(errorCode, message));
        }
    }

    /** Opens a reader for the file's format, chosen by its extension (ndjson, json, csv). */
    public static ElementReader open(Path path, String displayName, String projectId, Operation operation)
            throws IOException {
        FileOrigin origin = new FileOrigin(path, displayName, fileKey(path), projectId, operation);
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

    /** A checksum of the file's content and its size: the same bytes always give the same key. */
    public static String fileKey(Path path) throws IOException {
        CRC32C crc = new CRC32C();
        long size = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(path)) {
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
        return element;
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
