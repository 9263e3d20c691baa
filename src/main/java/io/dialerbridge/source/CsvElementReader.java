package io.dialerbridge.source;

import io.dialerbridge.element.Element;
import io.dialerbridge.operation.Operation;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.output.CsvErrorFiles;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RFC 4180 CSV in UTF-8, with or without a byte order mark, its cells separated by commas, or by the
 * semicolons or tabs of a header row without a comma ({@link CsvRecords}). The header row names the columns; each
 * column maps to a path in the element (see {@link Operation#csvPath(String)}): for modify-records,
 * {@code numberid} selects by id, {@code search.<field>} builds the search object, and every other
 * column is a form field. An empty cell is left out (the field is not changed). Cells keep every
 * character as it was (CR LF inside a quoted cell too); a record that is not valid UTF-8, has a
 * syntax error, the wrong number of columns or too many bytes is rejected on its own, and the rest
 * of the file goes on; its raw text (for its dead letter) is the record exactly as the file has it, quoting
 * and line breaks included. A blank line (a record without a single byte) is not an element and is skipped;
 * a quoted empty cell ({@code ""}) is a record. The header must be UTF-8 (a UTF-16 file is refused
 * saying so) and name each column once. When mapping.file maps the file's project and operation, the
 * columns keep their names (dots still nest) and the mapping decides where they go.
 */
final class CsvElementReader extends ElementReader {

    private final CsvRecords records;
    private final List<String> header;
    private final List<String> paths;

    CsvElementReader(FileOrigin origin) throws IOException {
        super(origin);
        this.records = new CsvRecords(origin.open(), origin.maxElementBytes());
        try {
            this.header = readHeader(records, origin.maxElementBytes()).stream().map(String::trim).toList();
        } catch (UnreadableFileException e) {
            close();
            throw e;
        }
        if (header.stream().anyMatch(String::isEmpty)) {
            close();
            throw new UnreadableFileException("the CSV header row has an empty column name: " + header);
        }
        Set<String> names = new HashSet<>();
        for (String name : header) {
            if (!names.add(name)) {
                close();
                throw new UnreadableFileException("the CSV header row names the column '" + name
                        + "' twice: which of its cells is meant cannot be known: " + header);
            }
        }
        // a mapped file keeps its column names: the mapping names them (mapping.file)
        this.paths = origin.mapping().maps(origin.projectId(), origin.operation()) ? header
                : header.stream().map(origin.operation()::csvPath).toList();
        for (String path : paths) {
            if (Arrays.asList(path.split("\\.", -1)).contains("")) {
                close();
                throw new UnreadableFileException("the CSV header column '" + path + "' is not a path: a dot "
                        + "separates two names (contacts.1.phone)");
            }
        }
        String clash = clash(header, paths);
        if (clash != null) {
            close();
            throw new UnreadableFileException(clash);
        }
    }

    /**
     * Two columns that go to the same place in the element ({@code city} and {@code form.city} both set
     * form.city), or one into the other ({@code search} and {@code search.city}): one cell would silently
     * overwrite the other, so the file is refused, as a column named twice is. Null when there is none.
     */
    static String clash(List<String> columns, List<String> paths) {
        Map<String, Integer> byPath = new HashMap<>();
        for (int i = 0; i < paths.size(); i++) {
            if (isErrorColumn(columns.get(i))) {
                continue; // not part of the element
            }
            Integer other = byPath.putIfAbsent(paths.get(i), i);
            if (other != null) {
                return "the CSV header columns '" + columns.get(other) + "' and '" + columns.get(i) + "' both set "
                        + paths.get(i) + ": which of their cells is meant cannot be known: " + columns;
            }
        }
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i);
            for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
                Integer outer = byPath.get(path.substring(0, dot));
                if (outer != null) {
                    return "the CSV header columns '" + columns.get(outer) + "' and '" + columns.get(i) + "' overlap: "
                            + paths.get(outer) + " would hold " + path + ", so one cell would overwrite the other: "
                            + columns;
                }
            }
        }
        return null;
    }

    /**
     * The column names of a CSV file's header row as written (a byte order mark dropped), read as the
     * reader reads them; null when the file has no header row that can be read (the reader refuses it).
     */
    static List<String> header(Path file) throws IOException {
        try (CsvRecords records = new CsvRecords(Files.newInputStream(file), MAX_ELEMENT_BYTES)) {
            return readHeader(records, MAX_ELEMENT_BYTES);
        } catch (UnreadableFileException e) {
            return null;
        }
    }

    /** The delimiter of a CSV file's cells, as the reader finds it in the header row: {@code ,}, {@code ;} or a tab. */
    static char delimiter(Path file) throws IOException {
        try (CsvRecords records = new CsvRecords(Files.newInputStream(file), MAX_ELEMENT_BYTES)) {
            return records.delimiter();
        }
    }

    private static List<String> readHeader(CsvRecords records, int maxBytes) throws IOException {
        if (records.utf16ByteOrderMark() != null) {
            throw new UnreadableFileException("the CSV file is UTF-16 (it starts with the byte order mark "
                    + records.utf16ByteOrderMark() + "), not UTF-8: save it as UTF-8 and drop it again");
        }
        CsvRecords.Record first = records.next();
        if (first == null) {
            throw new UnreadableFileException("the CSV file is empty: it needs a header row naming the columns");
        }
        if (first.tooLarge() || first.syntaxError() != null) {
            throw new UnreadableFileException("the CSV header row cannot be read: " + (first.tooLarge()
                    ? "it has more than " + maxBytes + " bytes" : first.syntaxError()));
        }
        try {
            return decode(first.cells());
        } catch (StrictUtf8.InvalidUtf8 e) {
            throw new UnreadableFileException("the CSV header row is not valid UTF-8: " + e.getMessage());
        }
    }

    @Override
    protected Element readNext() throws IOException {
        CsvRecords.Record record;
        do {
            record = records.next();
        } while (record != null && !record.tooLarge() && record.bytes().length == 0); // a blank line is not an element
        if (record == null) {
            return null;
        }
        long line = record.line();
        if (record.tooLarge()) {
            return origin.tooLarge(line, record.length(), "bytes", "the record");
        }
        List<String> values;
        try {
            values = decode(record.cells());
        } catch (StrictUtf8.InvalidUtf8 e) {
            return origin.undecodable(line, record.bytes(), "the record at line " + line + " is not valid UTF-8: "
                    + e.getMessage());
        }
        // the record exactly as the file has it (its quoting, and every physical line of a quoted newline)
        String raw = new String(record.bytes(), StandardCharsets.UTF_8);
        if (record.syntaxError() != null) {
            return origin.unreadable(line, raw, "error.malformed_csv", "CSV syntax error: " + record.syntaxError());
        }
        if (values.size() != header.size()) {
            return origin.unreadable(line, raw, "error.malformed_csv", "line " + line + " has "
                    + values.size() + " columns, the header has " + header.size());
        }
        return origin.element(line, toElement(values), raw);
    }

    /**
     * The cells of one CSV record given as text (a dead letter's or an element's raw), separated by its file's
     * {@code delimiter}, read as the reader reads a file: leniently, so a record with a syntax error still gives
     * its cells. Empty for null.
     */
    static List<String> cells(String raw, char delimiter) throws IOException {
        if (raw == null) {
            return List.of();
        }
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        try (CsvRecords records = new CsvRecords(new ByteArrayInputStream(bytes), bytes.length + 1, delimiter)) {
            CsvRecords.Record record = records.next();
            return record == null ? List.of() : decode(record.cells());
        } catch (StrictUtf8.InvalidUtf8 e) {
            throw new IOException("a CSV record held as text is not valid UTF-8", e);
        }
    }

    private static List<String> decode(List<byte[]> cells) throws StrictUtf8.InvalidUtf8 {
        List<String> values = new ArrayList<>(cells.size());
        for (byte[] cell : cells) {
            values.add(StrictUtf8.decode(cell));
        }
        return values;
    }

    private ObjectNode toElement(List<String> values) {
        ObjectNode element = JSON.createObjectNode();
        for (int i = 0; i < paths.size(); i++) {
            String value = values.get(i);
            if (!value.isEmpty() && !isErrorColumn(header.get(i))) {
                put(element, paths.get(i), value);
            }
        }
        return element;
    }

    /** The columns a re-dropped errors.csv carries (see CsvErrorFiles): not part of the element. */
    private static boolean isErrorColumn(String column) {
        return column.equals(CsvErrorFiles.ERROR) || column.equals(CsvErrorFiles.ERROR_MESSAGE);
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
        records.close();
    }
}
