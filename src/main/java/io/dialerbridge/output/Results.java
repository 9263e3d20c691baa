package io.dialerbridge.output;

import io.dialerbridge.element.Element;
import io.dialerbridge.element.SourceRef;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-source results output: what the dialer gave back for each accepted element (the new
 * {@code numberid} of add-records, the {@code referenceId} of update-outbound-records), so users
 * can map their own rows to the dialer's ids. One JSON object per line, in
 * {@code $BRIDGE_HOME/results/<inbox path of the file>.results.ndjson} (a file sent with
 * {@code send} by an absolute path is named by its file name), in the order the answers came. For a
 * CSV input, also in its own format: {@code <name>.results.csv} beside it, the input's header and the
 * row of each element the dialer gave something back for, with the result's columns added (such as
 * add-records' {@code numberid} and {@code status}); a result column the input has already is filled in
 * place.
 */
public final class Results {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final Map<String, CsvErrorFiles.InputColumns> csvInputs = new ConcurrentHashMap<>();

    public Results(Path directory) {
        this.directory = directory;
    }

    /** A source starts: a CSV input's columns are noted for its results in CSV. */
    public void open(File input, String sourceName) throws IOException {
        CsvErrorFiles.InputColumns columns = CsvErrorFiles.InputColumns.of(input);
        if (columns != null) {
            csvInputs.put(sourceName, columns);
        }
    }

    /** A source is finished. */
    public void close(String sourceName) {
        csvInputs.remove(sourceName);
    }

    /** The results in CSV of a CSV input. */
    public Path csvFileFor(SourceRef source) {
        String ndjson = fileFor(source).getFileName().toString();
        return fileFor(source).resolveSibling(ndjson.substring(0, ndjson.length() - ".ndjson".length()) + ".csv");
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
        CsvErrorFiles.InputColumns csv = element.source().isFile() ? csvInputs.get(element.source().file()) : null;
        if (csv != null) {
            writeCsv(element, result, csv);
        }
    }

    private void writeCsv(Element element, ObjectNode result, CsvErrorFiles.InputColumns csv) {
        Path file = csvFileFor(element.source());
        try {
            List<String> header = new ArrayList<>(csv.header());
            List<String> row = new ArrayList<>(csv.row(element.raw()));
            for (Iterator<Map.Entry<String, JsonNode>> fields = result.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String value = field.getValue().isNull() ? "" : field.getValue().asText();
                int existing = header.indexOf(field.getKey());
                if (existing >= 0) {
                    row.set(existing, value);
                } else {
                    header.add(field.getKey());
                    row.add(value);
                }
            }
            boolean fresh = !Files.exists(file);
            try (AppendOnlyFile out = AppendOnlyFile.open(file, true)) {
                if (fresh) {
                    out.append(csv.line(header));
                }
                out.append(csv.line(row));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results " + file, e);
        }
    }
}
