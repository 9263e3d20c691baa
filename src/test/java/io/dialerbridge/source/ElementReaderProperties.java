package io.dialerbridge.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.element.Element;
import io.dialerbridge.operation.Operation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The readers' invariants over generated awkward files (encodings and invalid byte sequences, byte
 * order marks, CR, LF and CR LF, quoting, blank, huge and truncated lines, non-objects):
 * <ul>
 *   <li><b>conservation</b>: every line (NDJSON) or record (CSV) that is not blank (a blank CSV line has no
 *       bytes at all; a quoted empty cell is a record) ends as exactly one
 *       element, valid or rejected, at its own line; a JSON element as one element, a JSON file that is
 *       not UTF-8 as one rejection;</li>
 *   <li><b>fidelity</b>: every valid value comes out exactly as it was written (a decimal with its digits
 *       and scale); invalid UTF-8 is rejected with its exact bytes, never repaired; an NDJSON line with
 *       anything after its object, or a key twice, is {@code error.malformed_json};</li>
 *   <li><b>termination</b>: the reader stops after at most one element per line or element.</li>
 * </ul>
 * jqwik prints the number of generated cases of each property.
 */
class ElementReaderProperties {

    static final int MAX_BYTES = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final List<String> PIECES = List.of("a", "Z", "0", " ", "\t", "\r", "\n", "\r\n", "\"", "'", ",",
            "|", ";", "\\", "{", "}", "[", "]", "\u00e9", "\u0151", "\u6f22", "\ud83d\ude00", "\u00a0", "\u0000", "\ufeff");
    private static final List<byte[]> INVALID_UTF8 = List.of(new byte[]{(byte) 0xE9, 't'}, new byte[]{(byte) 0xFF},
            new byte[]{(byte) 0xC0, (byte) 0xAF}, new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            new byte[]{(byte) 0xE6, (byte) 0xBC}, new byte[]{(byte) 0x80}, new byte[]{(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80});
    private static final List<String> TERMINATORS = List.of("\n", "\r\n", "\r");

    private final List<Path> files = new ArrayList<>();

    @AfterProperty
    void deleteFiles() throws IOException {
        for (Path file : files) {
            Files.deleteIfExists(file);
        }
        files.clear();
    }

    // ---- NDJSON ---------------------------------------------------------------------------------

    /** One generated line: its bytes, and what the reader must make of it (null: blank, skipped). */
    record Line(byte[] bytes, String error, ObjectNode body) {
    }

    @Property(tries = 200)
    void ndjson_every_line_is_one_element_or_one_rejection_and_values_round_trip(
            @ForAll("ndjsonLines") List<Line> lines, @ForAll("terminators") List<String> terminators,
            @ForAll boolean bom, @ForAll boolean lastTerminated) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        if (bom) {
            file.write(BOM);
        }
        for (int i = 0; i < lines.size(); i++) {
            file.write(lines.get(i).bytes());
            if (i < lines.size() - 1 || lastTerminated) {
                file.write(terminators.get(i % terminators.size()).getBytes(StandardCharsets.US_ASCII));
            }
        }
        List<Element> elements = read("g.ndjson", file.toByteArray(), lines.size() + 1);

        List<Long> expectedLines = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).error() != null || lines.get(i).body() != null) {
                expectedLines.add(i + 1L);
            }
        }
        assertThat(elements).extracting(e -> e.source().line()).containsExactlyElementsOf(expectedLines);
        for (Element element : elements) {
            int index = (int) element.source().line() - 1;
            Line line = lines.get(index);
            if (line.body() != null) {
                assertThat(element.isValid()).as(element.toString()).isTrue();
                assertThat(element.body()).isEqualTo(line.body());
            } else {
                assertThat(element.rejection().error()).isEqualTo(line.error());
                if (line.error().equals("error.malformed_encoding")) {
                    byte[] expected = bom && index == 0 ? concat(BOM, line.bytes()) : line.bytes();
                    assertThat(element.rawBytes()).isEqualTo(expected);
                    assertThat(element.raw()).isNull();
                }
            }
        }
    }

    @Provide
    Arbitrary<List<Line>> ndjsonLines() {
        Arbitrary<Line> valid = objects().map(o -> new Line(utf8(o.toString()), null, o));
        Arbitrary<Line> blank = Arbitraries.of(" ", "\t", "  \t ").map(s -> new Line(utf8(s), null, null));
        Arbitrary<Line> invalid = Combinators.combine(objects(), Arbitraries.of(INVALID_UTF8))
                .as((o, bad) -> new Line(concat(utf8("{\"numberid\":\"1\",\"form\":{\"city\":\""), bad, utf8("\"}}")),
                        "error.malformed_encoding", null));
        Arbitrary<Line> truncated = objects().map(o -> o.toString()).filter(s -> s.length() > 2)
                .map(s -> new Line(utf8(s.substring(0, s.length() - 1)), "error.malformed_json", null));
        Arbitrary<Line> notObject = Arbitraries.of("[1,2]", "42", "\"text\"", "null", "true")
                .map(s -> new Line(utf8(s), "error.malformed_element", null));
        Arbitrary<Line> huge = Arbitraries.integers().between(MAX_BYTES + 1, 3 * MAX_BYTES)
                .map(n -> new Line(utf8("{\"numberid\":\"" + "9".repeat(n) + "\"}"), "error.element_too_large", null));
        Arbitrary<Line> trailing = Combinators.combine(objects(), Arbitraries.of("{\"b\":2}", ",", " // comment", "]", " garbage", " 1"))
                .as((o, after) -> new Line(utf8(o + after), "error.malformed_json", null));
        Arbitrary<Line> keyTwice = objects().map(o -> new Line(utf8("{\"numberid\":\"0\"," + o.toString().substring(1)),
                "error.malformed_json", null));
        return Arbitraries.frequencyOf(
                        Tuple.of(6, valid), Tuple.of(2, blank), Tuple.of(2, invalid),
                        Tuple.of(1, truncated), Tuple.of(1, notObject), Tuple.of(1, huge),
                        Tuple.of(1, trailing), Tuple.of(1, keyTwice))
                .list().ofMinSize(0).ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<String>> terminators() {
        return Arbitraries.of(TERMINATORS).list().ofMinSize(1).ofMaxSize(4);
    }

    // ---- CSV ------------------------------------------------------------------------------------

    /** One generated record: its bytes (without terminator), what it must become, and its line breaks. */
    record Record(byte[] bytes, String error, List<String> cells, int lineBreaks, boolean blank) {
    }

    /** Generated records and the delimiter they and their header are written with. */
    record Delimited(char delimiter, List<Record> records) {
    }

    @Property(tries = 300)
    void csv_every_record_is_one_element_or_one_rejection_and_cells_round_trip(
            @ForAll("csvFiles") Delimited delimited, @ForAll("terminators") List<String> terminators,
            @ForAll boolean bom, @ForAll boolean lastTerminated) throws IOException {
        List<Record> records = delimited.records();
        char d = delimited.delimiter();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        if (bom) {
            file.write(BOM);
        }
        file.write(utf8("numberid" + d + "city" + d + "note\r\n"));
        List<Long> expectedLines = new ArrayList<>();
        long line = 2;
        String previous = "\r\n";
        List<Record> expected = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            Record record = records.get(i);
            if (!record.blank()) {
                expectedLines.add(line);
                expected.add(record);
            }
            file.write(record.bytes());
            String terminator = terminators.get(i % terminators.size());
            if (record.blank() && previous.equals("\r") && terminator.equals("\n")) {
                terminator = "\r"; // CR then LF would be one CR LF: the blank record would vanish
            }
            boolean last = i == records.size() - 1;
            if (!last || lastTerminated || record.blank()) {
                file.write(utf8(terminator));
            }
            previous = terminator;
            line += record.lineBreaks() + 1;
        }
        List<Element> elements = read("g.csv", file.toByteArray(), records.size() + 1);

        assertThat(elements).extracting(e -> e.source().line()).containsExactlyElementsOf(expectedLines);
        for (int i = 0; i < expected.size(); i++) {
            Record record = expected.get(i);
            Element element = elements.get(i);
            if (record.error() == null) {
                assertThat(element.isValid()).as(element.toString()).isTrue();
                assertThat(element.body()).isEqualTo(expectedCsvBody(record.cells()));
            } else {
                assertThat(element.rejection().error()).as(element.toString()).isEqualTo(record.error());
                if (record.error().equals("error.malformed_encoding")) {
                    assertThat(element.rawBytes()).isEqualTo(record.bytes());
                }
            }
            if (record.error() == null || record.error().equals("error.malformed_csv")) {
                // the record exactly as the file has it: its quoting, and every line of a quoted line break
                assertThat(element.raw()).as("raw").isEqualTo(new String(record.bytes(), StandardCharsets.UTF_8));
            }
            if (record.error() == null) {
                assertThat(ElementReader.csvCells(element.raw(), d)).as("cells of raw").isEqualTo(record.cells());
            }
        }
    }

    private static ObjectNode expectedCsvBody(List<String> cells) {
        ObjectNode body = JSON.createObjectNode();
        if (!cells.get(0).isEmpty()) {
            body.put("numberid", cells.get(0));
        }
        if (!cells.get(1).isEmpty()) {
            body.with("form").put("city", cells.get(1));
        }
        if (!cells.get(2).isEmpty()) {
            body.with("form").put("note", cells.get(2));
        }
        return body;
    }

    @Provide
    Arbitrary<Delimited> csvFiles() {
        // a comma, or what a spreadsheet writes where the comma is the decimal separator: the header tells
        return Arbitraries.of(',', ';', '\t').flatMap(d -> csvRecords(d).map(records -> new Delimited(d, records)));
    }

    private Arbitrary<List<Record>> csvRecords(char d) {
        Arbitrary<List<String>> threeCells = values().list().ofSize(3);
        Arbitrary<Boolean> quoteAll = Arbitraries.of(true, false);
        Arbitrary<Record> valid = Combinators.combine(threeCells, quoteAll)
                .as((cells, quote) -> record(cells, quote, null, d));
        Arbitrary<Record> wrongCount = Combinators.combine(values().list().ofMinSize(1).ofMaxSize(5)
                        .filter(c -> c.size() != 3 && !(c.size() == 1 && c.get(0).isEmpty())), quoteAll)
                .as((cells, quote) -> record(cells, quote, "error.malformed_csv", d));
        // a blank line is not an element: skipped
        Arbitrary<Record> blank = Arbitraries.just(new Record(new byte[0], null, null, 0, true));
        Arbitrary<Record> invalid = Combinators.combine(threeCells, Arbitraries.of(INVALID_UTF8))
                .as((cells, bad) -> {
                    Record good = record(cells, true, null, d);
                    byte[] bytes = concat(utf8("\""), bad, utf8("\""), utf8(String.valueOf(d)), good.bytes());
                    return new Record(bytes, "error.malformed_encoding", null, good.lineBreaks(), false);
                });
        Arbitrary<Record> huge = Arbitraries.integers().between(MAX_BYTES + 1, 3 * MAX_BYTES)
                .map(n -> new Record(utf8("1" + d + "\"" + "x".repeat(n) + "\"" + d + "z"), "error.element_too_large", null, 0, false));
        Arbitrary<Record> textAfterQuote = Arbitraries.just(
                new Record(utf8("1" + d + "\"a\"b" + d + "c"), "error.malformed_csv", null, 0, false));
        return Arbitraries.frequencyOf(Tuple.of(8, valid), Tuple.of(1, wrongCount),
                        Tuple.of(1, blank), Tuple.of(2, invalid), Tuple.of(1, huge),
                        Tuple.of(1, textAfterQuote))
                .list().ofMaxSize(10);
    }

    private static Record record(List<String> cells, boolean quoteAll, String error, char d) {
        StringBuilder text = new StringBuilder();
        int lineBreaks = 0;
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            if (i > 0) {
                text.append(d);
            }
            boolean quote = quoteAll || cell.matches("(?s).*[\"\r\n].*") || cell.indexOf(d) >= 0
                    || (i == 0 && cell.startsWith("\ufeff"));
            text.append(quote ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell);
            lineBreaks += cell.replace("\r\n", "\n").replace('\r', '\n').chars().filter(c -> c == '\n').count();
        }
        return new Record(utf8(text.toString()), error, cells, lineBreaks, false);
    }

    // ---- JSON -----------------------------------------------------------------------------------

    @Property(tries = 200)
    void json_every_element_is_one_element_or_one_rejection_and_values_round_trip(
            @ForAll("jsonElements") List<Object> items, @ForAll("terminators") List<String> separators,
            @ForAll boolean wholeRequest, @ForAll boolean bom) throws IOException {
        StringBuilder text = new StringBuilder(wholeRequest ? "{\"elements\":[" : "[");
        for (int i = 0; i < items.size(); i++) {
            text.append(i > 0 ? "," : "").append(separators.get(i % separators.size())).append(items.get(i));
        }
        text.append(wholeRequest ? "],\"default\":{\"address\":\"Budapest\"}}" : "]");
        byte[] bytes = bom ? concat(BOM, utf8(text.toString())) : utf8(text.toString());
        List<Element> elements = read("g.json", bytes, items.size() + 1);

        assertThat(elements).hasSize(items.size());
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            Element element = elements.get(i);
            if (item instanceof ObjectNode object && object.toString().length() <= MAX_BYTES) {
                assertThat(element.body()).isEqualTo(object);
                assertThat(element.isValid()).isTrue();
                if (wholeRequest) {
                    assertThat(element.defaults().path("address").asText()).isEqualTo("Budapest");
                }
            } else if (item instanceof ObjectNode) {
                assertThat(element.rejection().error()).isEqualTo("error.element_too_large");
            } else if (item.toString().startsWith("{")) {
                assertThat(element.rejection().error()).as("a key twice: refused alone").isEqualTo("error.malformed_json");
                assertThat(element.raw()).isEqualTo(item);
            } else {
                assertThat(element.rejection().error()).isEqualTo("error.malformed_element");
            }
        }
    }

    @Property(tries = 200)
    void json_that_is_not_utf8_is_one_rejection_holding_the_file_and_truncated_json_stops_once(
            @ForAll("jsonElements") List<Object> items, @ForAll("invalidUtf8") byte[] bad,
            @ForAll boolean truncate) throws IOException {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            text.append(i > 0 ? ",\n" : "\n").append(items.get(i));
        }
        text.append("]");
        byte[] file;
        if (truncate) {
            file = utf8(text.substring(0, text.length() / 2 + 1));
        } else {
            text.setLength(text.length() - 1);
            file = concat(utf8(text + (items.isEmpty() ? "\"" : ",\n\"")), bad, utf8("\"]"));
        }
        List<Element> elements = read("g.json", file, items.size() + 1);

        if (truncate) {
            for (int i = 0; i < elements.size(); i++) {
                Element element = elements.get(i);
                if (!element.isValid() && element.rejection().message().startsWith("JSON syntax error")) {
                    assertThat(i).as("a syntax error ends the file, reported once").isEqualTo(elements.size() - 1);
                } else if (element.isValid()) {
                    assertThat(element.body()).isEqualTo(items.get(i));
                }
            }
        } else {
            assertThat(elements).hasSize(1);
            assertThat(elements.get(0).rejection().error()).isEqualTo("error.malformed_encoding");
            if (file.length <= MAX_BYTES) {
                assertThat(Arrays.equals(elements.get(0).rawBytes(), file)).as("the file's exact bytes").isTrue();
            } else {
                assertThat(elements.get(0).rawBytes()).as("too many bytes for a dead letter").isNull();
                assertThat(elements.get(0).rejection().message()).contains("kept in done/");
            }
        }
    }

    @Provide
    Arbitrary<List<Object>> jsonElements() {
        Arbitrary<Object> object = objects().map(o -> o);
        Arbitrary<Object> notObject = Arbitraries.of("[1,2]", "42", "\"text\"", "null");
        Arbitrary<Object> huge = Arbitraries.integers().between(MAX_BYTES + 1, 3 * MAX_BYTES)
                .map(n -> JSON.createObjectNode().put("numberid", "9".repeat(n)));
        Arbitrary<Object> keyTwice = objects().map(o -> "{\"numberid\":\"0\"," + o.toString().substring(1));
        return Arbitraries.frequencyOf(Tuple.of(8, object), Tuple.of(1, notObject),
                Tuple.of(1, huge), Tuple.of(1, keyTwice)).list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<byte[]> invalidUtf8() {
        return Arbitraries.of(INVALID_UTF8);
    }

    // ---- shared ---------------------------------------------------------------------------------

    private static Arbitrary<String> values() {
        return Arbitraries.of(PIECES).list().ofMaxSize(8).map(pieces -> String.join("", pieces));
    }

    private static Arbitrary<ObjectNode> objects() {
        return Combinators.combine(Arbitraries.integers().between(1, 99999), values(), values(), decimals())
                .as((id, city, note, amount) -> {
                    ObjectNode object = JSON.createObjectNode().put("numberid", String.valueOf(id));
                    ObjectNode form = object.putObject("form").put("city", city).put("note", note);
                    amount.ifPresent(a -> form.set("amount", DecimalNode.valueOf(a)));
                    return object;
                });
    }

    /** A decimal written with a fraction or an exponent (10.00, 1E+400, -3.5E-7), or none: read back exactly. */
    private static Arbitrary<Optional<BigDecimal>> decimals() {
        return Combinators.combine(Arbitraries.bigIntegers().between(BigInteger.TEN.pow(25).negate(), BigInteger.TEN.pow(25)),
                        Arbitraries.integers().between(-500, 500).filter(scale -> scale != 0))
                .as(BigDecimal::new).optional(0.5);
    }

    private List<Element> read(String name, byte[] content, int atMost) throws IOException {
        Path file = Files.createTempFile("property-", "-" + name);
        files.add(file);
        Files.write(file, content);
        List<Element> elements = new ArrayList<>();
        try (ElementReader reader = ElementReader.open(file, name, "22", Operation.MODIFY_RECORDS, MAX_BYTES)) {
            while (reader.hasNext()) {
                elements.add(reader.next());
                assertThat(elements.size()).as("the reader stops").isLessThanOrEqualTo(atMost);
            }
        }
        return elements;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
