package io.dialerbridge.source;

import io.dialerbridge.element.Element;
import io.dialerbridge.operation.Operation;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.List;

/**
 * RFC 4180 CSV in UTF-8, with or without a byte order mark. The header row names the columns; each
 * column maps to a path in the element (see {@link Operation#csvPath(String)}): for modify-records,
 * {@code numberid} selects by id, {@code search.<field>} builds the search object, and every other
 * column is a form field. An empty cell is left out (the field is not changed).
 */
final class CsvElementReader extends ElementReader {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setTrim(false).get();

    private final BufferedReader in;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> header;
    private final List<String> paths;
    private boolean brokenOff;
    private long lastLine;

    CsvElementReader(FileOrigin origin) throws IOException {
        super(origin);
        this.in = Files.newBufferedReader(origin.path(), StandardCharsets.UTF_8);
        in.mark(1);
        if (in.read() != '\uFEFF') {
            in.reset();
        }
        this.parser = CSVParser.builder().setReader(in).setFormat(FORMAT).get();
        this.records = parser.iterator();
        if (!records.hasNext()) {
            close();
            throw new UnreadableFileException("the CSV file is empty: it needs a header row naming the columns");
        }
        this.header = records.next().toList().stream().map(String::trim).toList();
        if (header.stream().anyMatch(String::isEmpty)) {
            close();
            throw new UnreadableFileException("the CSV header row has an empty column name: " + header);
        }
        this.paths = header.stream().map(origin.operation()::csvPath).toList();
        this.lastLine = parser.getCurrentLineNumber();
    }

    @Override
    protected Element readNext() {
        if (brokenOff) {
            return null;
        }
        long line = lastLine + 1;
        try {
            if (!records.hasNext()) {
                return null;
            }
            CSVRecord record = records.next();
            lastLine = parser.getCurrentLineNumber();
            String raw = FORMAT.format((Object[]) record.values());
            if (record.size() != header.size()) {
                return origin.unreadable(line, raw, "error.malformed_csv", "line " + line + " has "
                        + record.size() + " columns, the header has " + header.size());
            }
            return origin.element(line, toElement(record), raw);
        } catch (UncheckedIOException | IllegalStateException e) {
            brokenOff = true;
            return origin.unreadable(line, null, "error.malformed_csv", "CSV syntax error from line " + line + ": "
                    + e.getMessage() + "; the rest of the file after this point could not be read");
        }
    }

    private ObjectNode toElement(CSVRecord record) {
        ObjectNode element = JSON.createObjectNode();
        for (int i = 0; i < paths.size(); i++) {
            String value = record.get(i);
            if (!value.isEmpty()) {
                put(element, paths.get(i), value);
            }
        }
        return element;
    }

    private static void put(ObjectNode target, String path, String value) {
        String[] parts = path.split("\\.");
        ObjectNode node = target;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node.has(parts[i]) && node.get(parts[i]).isObject()
                    ? (ObjectNode) node.get(parts[i])
                    : node.putObject(parts[i]);
        }
        node.put(parts[parts.length - 1], value);
    }

    @Override
    public void close() throws IOException {
        parser.close();
        in.close();
    }
}
