package io.dialerbridge.output;

import io.dialerbridge.element.Element;
import io.dialerbridge.element.SourceRef;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The per-source results output: what the dialer gave back for each accepted element (the new
 * {@code numberid} of add-records, the {@code referenceId} of update-outbound-records), so users
 * can map their own rows to the dialer's ids. One JSON object per line, in
 * {@code $BRIDGE_HOME/results/<inbox path of the file>.results.ndjson} (a file sent with
 * {@code send} by an absolute path is named by its file name), in the order the answers came.
 */
public final class Results {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;

    public Results(Path directory) {
        this.directory = directory;
    }

    public Path fileFor(SourceRef source) {
        String name = source.isFile() ? source.file() : source.topic();
        Path relative = Path.of(name.replace('\\', '/'));
        if (relative.isAbsolute() || relative.normalize().startsWith("..") || relative.getFileName() == null) {
            relative = relative.getFileName() == null ? Path.of("unnamed") : relative.getFileName();
        }
        return directory.resolve(relative.normalize() + ".results.ndjson");
    }

    /** Appends {@code {"id", "source", ...result}} for the element, forced to disk. */
    public synchronized void write(Element element, ObjectNode result) {
        ObjectNode line = JSON.createObjectNode();
        line.put("id", element.id());
        line.set("source", JSON.valueToTree(element.source().asMap()));
        line.setAll(result);
        Path file = fileFor(element.source());
        try (AppendOnlyFile out = AppendOnlyFile.open(file, true)) {
            out.append(JSON.writeValueAsString(line));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results " + file, e);
        }
    }
}
