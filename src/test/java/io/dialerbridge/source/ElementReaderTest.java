package io.dialerbridge.source;

import io.dialerbridge.element.Element;
import io.dialerbridge.operation.Operation;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ElementReaderTest {

    @TempDir
    Path dir;

    private List<Element> read(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        List<Element> elements = new ArrayList<>();
        try (ElementReader reader = ElementReader.open(file, name, "22", Operation.MODIFY_RECORDS)) {
            reader.forEachRemaining(elements::add);
        }
        return elements;
    }

    @Test
    void ndjson_gives_each_line_its_number_and_rejects_malformed_lines_without_stopping() throws IOException {
        List<Element> elements = read("a.ndjson", """
                {"numberid":"1","form":{"city":"Szeged"}}

                {"numberid":"2","form":
                [1,2]
                {"search":{"name":"Ann"},"form":{"age":"30"}}
                """);

        assertThat(elements).hasSize(4);
        assertThat(elements).extracting(e -> e.source().line()).containsExactly(1L, 3L, 4L, 5L);
        assertThat(elements.get(0).isValid()).isTrue();
        assertThat(elements.get(0).body().get("form").get("city").asText()).isEqualTo("Szeged");
        assertThat(elements.get(1).rejection().error()).isEqualTo("error.malformed_json");
        assertThat(elements.get(1).raw()).isEqualTo("{\"numberid\":\"2\",\"form\":");
        assertThat(elements.get(1).rejection().message()).contains("line 3");
        assertThat(elements.get(2).rejection().error()).isEqualTo("error.malformed_element");
        assertThat(elements.get(3).isValid()).isTrue();
        assertThat(elements.get(3).id()).endsWith(":5");
    }

    @Test
    void ids_are_derived_from_the_content_and_the_line() throws IOException {
        String content = "{\"numberid\":\"1\",\"form\":{\"city\":\"A\"}}\n";
        String first = read("x.ndjson", content).get(0).id();
        String again = read("y.ndjson", content).get(0).id();
        String other = read("z.ndjson", content.replace('A', 'B')).get(0).id();
        assertThat(first).isEqualTo(again).isNotEqualTo(other);
    }

    @Test
    void a_csv_whose_header_is_separated_by_semicolons_or_tabs_is_read_with_that_delimiter() throws IOException {
        // what a spreadsheet saves as CSV where the comma is the decimal separator (Hungarian, German, ...)
        List<Element> semicolons = read("excel.csv", "\uFEFFnumberid;city;age\r\n"
                + "1;\"Győr; belváros\";41,5\r\n"
                + "2;Pécs, Baranya;\r\n"
                + "3;too;many;cells\r\n");
        assertThat(semicolons).hasSize(3);
        assertThat(semicolons.get(0).body().toString())
                .isEqualTo("{\"numberid\":\"1\",\"form\":{\"city\":\"Győr; belváros\",\"age\":\"41,5\"}}");
        assertThat(semicolons.get(1).body().path("form").path("city").asText()).isEqualTo("Pécs, Baranya");
        assertThat(semicolons.get(2).rejection().error()).isEqualTo("error.malformed_csv");
        assertThat(ElementReader.csvCells(semicolons.get(0).raw(), ';')).containsExactly("1", "Győr; belváros", "41,5");

        List<Element> tabs = read("export.csv", "numberid\tcity\n4\tSzeged; Csongrád, HU\n");
        assertThat(tabs.get(0).body().path("form").path("city").asText()).isEqualTo("Szeged; Csongrád, HU");

        List<Element> commas = read("plain.csv", "numberid,\"city;name\"\n5,\"a;b\"\n");
        assertThat(commas.get(0).rejection()).as("a comma in the header keeps the comma").isNull();
        assertThat(commas.get(0).body().path("form").path("city;name").asText()).isEqualTo("a;b");
    }

    @Test
    void csv_keeps_quoted_commas_embedded_newlines_bom_and_non_ascii_intact() throws IOException {
        List<Element> elements = read("a.csv", "\uFEFFnumberid,name,address,search.city\r\n"
                + "1,\"Kovács, Éva\",\"Fő utca 1.\r\n2. emelet\",\r\n"
                + ",Łukasz Żółw,\"Rue \"\"Haute\"\"\",Kraków\r\n"
                + "3,too,many,columns,here\r\n"
                + "4,Zoë,,\r\n");

        assertThat(elements).hasSize(4);
        Element first = elements.get(0);
        assertThat(first.body().get("numberid").asText()).isEqualTo("1");
        assertThat(first.body().get("form").get("name").asText()).isEqualTo("Kovács, Éva");
        assertThat(first.body().get("form").get("address").asText()).isEqualTo("Fő utca 1.\r\n2. emelet");
        assertThat(first.body().has("search")).isFalse();
        assertThat(first.source().line()).isEqualTo(2);

        Element second = elements.get(1);
        assertThat(second.source().line()).isEqualTo(4);
        assertThat(second.body().has("numberid")).isFalse();
        assertThat(second.body().get("search").get("city").asText()).isEqualTo("Kraków");
        assertThat(second.body().get("form").get("address").asText()).isEqualTo("Rue \"Haute\"");

        Element malformed = elements.get(2);
        assertThat(malformed.source().line()).isEqualTo(5);
        assertThat(malformed.rejection().error()).isEqualTo("error.malformed_csv");
        assertThat(malformed.rejection().message()).contains("5 columns", "header has 4");
        assertThat(malformed.raw()).isEqualTo("3,too,many,columns,here");

        Element last = elements.get(3);
        assertThat(last.source().line()).isEqualTo(6);
        assertThat(last.body().get("form").has("address")).as("empty cells are left out").isFalse();
    }

    @Test
    void a_csv_records_raw_is_its_bytes_as_written_quoting_and_physical_lines_included() throws IOException {
        List<Element> elements = read("a.csv", "numberid,city,note\r\n"
                + "\"7\",\"Eger\",\"first line\r\nsecond \"\"line\"\"\"\r\n"
                + ",Pécs,\r\n"
                + "1,\"Tata\"x,y\r\n");

        assertThat(elements).hasSize(3);
        assertThat(elements.get(0).raw()).isEqualTo("\"7\",\"Eger\",\"first line\r\nsecond \"\"line\"\"\"");
        assertThat(elements.get(0).body().get("form").get("note").asText()).isEqualTo("first line\r\nsecond \"line\"");
        assertThat(elements.get(1).raw()).isEqualTo(",Pécs,");
        assertThat(elements.get(2).rejection().error()).isEqualTo("error.malformed_csv");
        assertThat(elements.get(2).raw()).isEqualTo("1,\"Tata\"x,y");
        assertThat(ElementReader.csvCells(elements.get(2).raw(), ',')).containsExactly("1", "Tatax", "y");
    }

    @Test
    void a_reader_bounded_to_the_picked_up_length_never_reads_what_was_appended() throws IOException {
        String csv = "numberid,city\n1,A\n2,B\n";
        Path file = Files.writeString(dir.resolve("grown.csv"), csv + "3,C\n");
        List<Element> elements = new ArrayList<>();
        try (ElementReader reader = ElementReader.open(file, "grown.csv", "22", Operation.MODIFY_RECORDS,
                io.dialerbridge.mapping.FieldMapping.NONE, (long) csv.length())) {
            reader.forEachRemaining(elements::add);
            assertThat(reader.origin.fileKey()).as("the key of the bytes read")
                    .isEqualTo(ElementReader.fileKey(Files.writeString(dir.resolve("picked.csv"), csv)));
        }
        assertThat(elements).extracting(e -> e.body().get("numberid").asText()).containsExactly("1", "2");

        String json = "[{\"numberid\":\"1\",\"form\":{\"city\":\"A\"}}]";
        Path array = Files.writeString(dir.resolve("grown.json"), json + "\n garbage appended");
        List<Element> read = new ArrayList<>();
        try (ElementReader reader = ElementReader.open(array, "grown.json", "22", Operation.MODIFY_RECORDS,
                io.dialerbridge.mapping.FieldMapping.NONE, (long) json.length())) {
            reader.forEachRemaining(read::add);
        }
        assertThat(read).singleElement().satisfies(e -> assertThat(e.isValid()).isTrue());
    }

    @Test
    void json_array_elements_carry_the_line_they_start_on() throws IOException {
        List<Element> elements = read("a.json", """
                [
                  {"numberid":"1","form":{"city":"A"}},
                  {"numberid":"2",
                   "form":{"city":"B"}},
                  "not an object"
                ]
                """);
        assertThat(elements).extracting(e -> e.source().line()).containsExactly(2L, 3L, 5L);
        assertThat(elements.get(1).body().get("form").get("city").asText()).isEqualTo("B");
        assertThat(elements.get(2).rejection().error()).isEqualTo("error.malformed_element");
    }

    @Test
    void a_whole_request_body_gives_its_default_to_its_elements_wherever_it_stands() throws IOException {
        List<Element> elements = read("a.json", """
                {"elements":[{"numberid":"1","form":{"city":"A"}}],
                 "default":{"address":"Budapest"}}
                """);
        assertThat(elements).hasSize(1);
        assertThat(elements.get(0).defaults().get("address").asText()).isEqualTo("Budapest");
        assertThat(elements.get(0).body().has("default")).isFalse();
    }

    @Test
    void a_json_syntax_error_rejects_the_rest_once_with_its_line() throws IOException {
        List<Element> elements = read("a.json", "[\n{\"numberid\":\"1\",\"form\":{\"a\":\"b\"}},\n{\"numberid\":\n]\n");
        assertThat(elements).hasSize(2);
        assertThat(elements.get(0).isValid()).isTrue();
        assertThat(elements.get(1).rejection().error()).isEqualTo("error.malformed_json");
        assertThat(elements.get(1).source().line()).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"numberid\":\"1\",\"form\":{\"city\":\"A\"}}{\"numberid\":\"2\",\"form\":{\"city\":\"B\"}}",
            "{\"numberid\":\"1\",\"form\":{\"city\":\"A\"}},", "{\"numberid\":\"1\",\"form\":{\"city\":\"A\"}} // comment",
            "{\"numberid\":\"1\",\"form\":{\"city\":\"A\"}}]", "{\"numberid\":\"1\",\"form\":{\"city\":\"A\"}} garbage"})
    void an_ndjson_line_with_content_after_its_object_is_malformed_json_with_its_line_and_raw_text(String line)
            throws IOException {
        List<Element> elements = read("a.ndjson", "{\"numberid\":\"0\",\"form\":{\"city\":\"Z\"}}\n" + line
                + "\n{\"numberid\":\"3\",\"form\":{\"city\":\"C\"}}\n");

        assertThat(elements).hasSize(3);
        assertThat(elements.get(1).rejection().error()).isEqualTo("error.malformed_json");
        assertThat(elements.get(1).source().line()).isEqualTo(2);
        assertThat(elements.get(1).raw()).isEqualTo(line);
        assertThat(elements.get(1).rejection().message()).contains("line 2");
        assertThat(elements.get(0).isValid()).isTrue();
        assertThat(elements.get(2).isValid()).isTrue();
    }

    @Test
    void an_ndjson_line_with_a_key_twice_is_refused_naming_the_key() throws IOException {
        List<Element> elements = read("a.ndjson", """
                {"numberid":"1","numberid":"2","form":{"city":"A"}}
                {"numberid":"3","form":{"city":"A"},"form":{"city":"B"}}
                {"numberid":"4","form":{"city":"A","city":"B"}}
                {"numberid":"5","form":{"city":"C"}}
                """);

        assertThat(elements).hasSize(4);
        assertThat(elements.subList(0, 3)).allSatisfy(e -> assertThat(e.rejection().error()).isEqualTo("error.malformed_json"));
        assertThat(elements.get(0).rejection().message()).contains("line 1").contains("'numberid'");
        assertThat(elements.get(1).rejection().message()).contains("'form'");
        assertThat(elements.get(2).rejection().message()).contains("'city'");
        assertThat(elements.get(2).raw()).isEqualTo("{\"numberid\":\"4\",\"form\":{\"city\":\"A\",\"city\":\"B\"}}");
        assertThat(elements.get(3).isValid()).isTrue();
    }

    @Test
    void a_json_element_with_a_key_twice_is_refused_alone_and_the_file_goes_on() throws IOException {
        List<Element> elements = read("a.json", """
                [
                  {"numberid":"1","form":{"city":"A"}},
                  {"numberid":"1","numberid":"2",
                   "form":{"city":"B"}},
                  {"numberid":"3","form":{"city":"C"}}
                ]
                """);

        assertThat(elements).extracting(e -> e.source().line()).containsExactly(2L, 3L, 5L);
        assertThat(elements.get(1).rejection().error()).isEqualTo("error.malformed_json");
        assertThat(elements.get(1).rejection().message()).contains("line 3").contains("'numberid'");
        assertThat(elements.get(1).raw()).isEqualTo("{\"numberid\":\"1\",\"numberid\":\"2\",\"form\":{\"city\":\"B\"}}");
        assertThat(elements.get(0).isValid()).isTrue();
        assertThat(elements.get(2).isValid()).isTrue();
    }

    @Test
    void content_after_the_top_level_array_is_a_syntax_error_after_the_elements_before_it() throws IOException {
        List<Element> elements = read("a.json", """
                [{"numberid":"1","form":{"city":"A"}}]
                [{"numberid":"2","form":{"city":"B"}}]
                """);

        assertThat(elements).hasSize(2);
        assertThat(elements.get(0).isValid()).isTrue();
        assertThat(elements.get(1).rejection().error()).isEqualTo("error.malformed_json");
        assertThat(elements.get(1).source().line()).isEqualTo(2);
        assertThat(elements.get(1).rejection().message()).contains("JSON syntax error at line 2");

        List<Element> garbage = read("b.json", "[{\"numberid\":\"1\",\"form\":{\"city\":\"A\"}}] garbage\n");
        assertThat(garbage).extracting(e -> e.isValid() ? "valid" : e.rejection().error())
                .containsExactly("valid", "error.malformed_json");
    }

    @Test
    void a_second_elements_key_is_a_syntax_error_after_the_first_array() throws IOException {
        List<Element> elements = read("a.json", """
                {"elements":[{"numberid":"1","form":{"city":"A"}}],
                 "elements":[{"numberid":"2","form":{"city":"B"}}]}
                """);

        assertThat(elements).hasSize(2);
        assertThat(elements.get(0).body().path("numberid").asText()).isEqualTo("1");
        assertThat(elements.get(1).rejection().error()).isEqualTo("error.malformed_json");
        assertThat(elements.get(1).source().line()).isEqualTo(2);
        assertThat(elements.get(1).rejection().message()).contains("'elements'");

        List<Element> trailing = read("b.json", "{\"elements\":[{\"numberid\":\"1\",\"form\":{\"a\":\"b\"}}]}\n{}\n");
        assertThat(trailing).extracting(e -> e.isValid() ? "valid" : e.rejection().error())
                .containsExactly("valid", "error.malformed_json");
        assertThatThrownBy(() -> read("c.json", "{\"default\":{},\"default\":{},\"elements\":[]}"))
                .isInstanceOf(ElementReader.UnreadableFileException.class).hasMessageContaining("'default'");
    }

    @Test
    void a_top_level_key_the_operation_does_not_take_refuses_the_file_before_anything_is_read() throws IOException {
        // modify-dispositions' request-level object is "disposition": a "default" or a top-level avoid_in_call
        // would not reach the dialer, so the file is refused saying so instead of sent without them
        for (String body : List.of(
                "{\"elements\":[{\"numberid\":\"1\",\"dispositionid\":2}],\"default\":{\"avoid_in_call\":true}}",
                "{\"avoid_in_call\":true,\"elements\":[{\"numberid\":\"1\",\"dispositionid\":2}]}")) {
            Path file = dir.resolve("d.json");
            Files.writeString(file, body, StandardCharsets.UTF_8);
            assertThatThrownBy(() -> ElementReader.open(file, "d.json", "22", Operation.MODIFY_DISPOSITIONS).close())
                    .isInstanceOf(ElementReader.UnreadableFileException.class)
                    .hasMessageContaining("is not one modify-dispositions takes").hasMessageContaining("\"disposition\"");
        }
        Path file = dir.resolve("ok.json");
        Files.writeString(file, "{\"disposition\":{\"avoid_in_call\":true},\"elements\":[{\"numberid\":\"1\",\"dispositionid\":2}]}",
                StandardCharsets.UTF_8);
        try (ElementReader reader = ElementReader.open(file, "ok.json", "22", Operation.MODIFY_DISPOSITIONS)) {
            assertThat(reader.next().defaults().path("avoid_in_call").asBoolean()).isTrue();
        }
        assertThat(read("r.json", "{\"elements\":[{\"numberid\":\"1\",\"form\":{\"a\":\"b\"}}],\"default\":{}}"))
                .hasSize(1).allMatch(Element::isValid);
    }

    @Test
    void decimals_keep_their_digits_in_ndjson_and_json() throws IOException {
        String form = "{\"price\":10.00,\"big\":1E400,\"long\":12345678901234567890.5,\"e\":1e3,\"i\":12345678901234567890123}";
        String written = "{\"price\":10.00,\"big\":1E+400,\"long\":12345678901234567890.5,\"e\":1E+3,\"i\":12345678901234567890123}";
        List<Element> ndjson = read("a.ndjson", "{\"numberid\":\"1\",\"form\":" + form + "}\n");
        List<Element> json = read("a.json", "[{\"numberid\":\"1\",\"form\":" + form + "}]");

        for (Element element : List.of(ndjson.get(0), json.get(0))) {
            assertThat(element.isValid()).isTrue();
            assertThat(new ObjectMapper().writeValueAsString(element.body().get("form"))).isEqualTo(written);
            assertThat(element.body().get("form").get("big").isTextual()).isFalse();
        }
        assertThat(json.get(0).raw()).contains("10.00");
    }

    @Test
    void a_file_that_cannot_be_read_at_all_says_why() {
        assertThatThrownBy(() -> read("a.json", "{\"nothing\":1}"))
                .isInstanceOf(ElementReader.UnreadableFileException.class)
                .hasMessageContaining("elements");
        assertThatThrownBy(() -> read("a.csv", ""))
                .isInstanceOf(ElementReader.UnreadableFileException.class)
                .hasMessageContaining("header");
        assertThatThrownBy(() -> read("a.txt", "x"))
                .isInstanceOf(ElementReader.UnreadableFileException.class);
    }

    private List<Element> readBytes(String name, byte[] content, int maxElementBytes) throws IOException {
        Path file = Files.write(dir.resolve(name), content);
        List<Element> elements = new ArrayList<>();
        try (ElementReader reader = ElementReader.open(file, name, "22", Operation.MODIFY_RECORDS, maxElementBytes)) {
            reader.forEachRemaining(elements::add);
        }
        return elements;
    }

    @Test
    void empty_ndjson_and_json_files_have_no_elements() throws IOException {
        assertThat(read("empty.ndjson", "")).isEmpty();
        assertThat(read("empty.json", "")).isEmpty();
        assertThat(read("blank.json", " \r\n")).isEmpty();
    }

    @Test
    void an_invalid_utf8_line_is_rejected_with_its_bytes_and_the_next_line_still_read() throws IOException {
        byte[] latin1 = "{\"numberid\":\"1\",\"form\":{\"city\":\"P\u00e9cs\"}}".getBytes(StandardCharsets.ISO_8859_1);
        byte[] content = ElementReaderProperties.concat(latin1, "\n{\"numberid\":\"2\"}\n".getBytes(StandardCharsets.UTF_8));
        List<Element> elements = readBytes("a.ndjson", content, ElementReader.MAX_ELEMENT_BYTES);

        assertThat(elements).hasSize(2);
        assertThat(elements.get(0).rejection().error()).isEqualTo("error.malformed_encoding");
        assertThat(elements.get(0).rejection().message()).contains("line 1", "byte 34 (0xe9)");
        assertThat(elements.get(0).rawBytes()).isEqualTo(latin1);
        assertThat(elements.get(1).isValid()).isTrue();
    }

    @Test
    void a_csv_cell_keeps_cr_lf_and_an_invalid_utf8_record_is_rejected_alone() throws IOException {
        byte[] content = ElementReaderProperties.concat("numberid,city\r\n1,\"Once upon \r\na time\"\r\n2,\"P".getBytes(StandardCharsets.UTF_8),
                new byte[]{(byte) 0xE9}, "cs\"\r\n3,\"\"\"q\"\"\t|\"\r\n".getBytes(StandardCharsets.UTF_8));
        List<Element> elements = readBytes("a.csv", content, ElementReader.MAX_ELEMENT_BYTES);

        assertThat(elements).extracting(e -> e.source().line()).containsExactly(2L, 4L, 5L);
        assertThat(elements.get(0).body().get("form").get("city").asText()).isEqualTo("Once upon \r\na time");
        assertThat(elements.get(1).rejection().error()).isEqualTo("error.malformed_encoding");
        assertThat(elements.get(1).rawBytes()).isEqualTo(ElementReaderProperties.concat("2,\"P".getBytes(StandardCharsets.UTF_8),
                new byte[]{(byte) 0xE9}, "cs\"".getBytes(StandardCharsets.UTF_8)));
        assertThat(elements.get(2).body().get("form").get("city").asText()).isEqualTo("\"q\"\t|");
    }

    @Test
    void an_element_over_the_bound_is_rejected_without_stopping_the_file() throws IOException {
        String huge = "{\"numberid\":\"" + "9".repeat(200) + "\"}";
        List<Element> ndjson = readBytes("a.ndjson", (huge + "\n{\"numberid\":\"2\"}\n").getBytes(StandardCharsets.UTF_8), 100);
        assertThat(ndjson).extracting(e -> e.isValid() ? "valid" : e.rejection().error())
                .containsExactly("error.element_too_large", "valid");
        List<Element> json = readBytes("a.json", ("[" + huge + ",{\"numberid\":\"2\"}]").getBytes(StandardCharsets.UTF_8), 100);
        assertThat(json).extracting(e -> e.isValid() ? "valid" : e.rejection().error())
                .containsExactly("error.element_too_large", "valid");
        List<Element> csv = readBytes("a.csv", ("numberid\n" + "9".repeat(200) + "\n2\n").getBytes(StandardCharsets.UTF_8), 100);
        assertThat(csv).extracting(e -> e.isValid() ? "valid" : e.rejection().error())
                .containsExactly("error.element_too_large", "valid");
    }

    @Test
    void a_csv_header_naming_a_column_twice_refuses_the_file_naming_it() {
        assertThatThrownBy(() -> read("a.csv", "numberid,city,city\n1,A,B\n"))
                .isInstanceOf(ElementReader.UnreadableFileException.class)
                .hasMessageContaining("'city' twice");
        assertThatThrownBy(() -> read("b.csv", "numberid,city, city \n1,A,B\n"))
                .isInstanceOf(ElementReader.UnreadableFileException.class)
                .hasMessageContaining("'city' twice");
    }

    @Test
    void two_csv_columns_that_set_the_same_field_refuse_the_file_naming_both() {
        assertThatThrownBy(() -> read("a.csv", "numberid,city,form.city\n1,A,B\n"))
                .isInstanceOf(ElementReader.UnreadableFileException.class)
                .hasMessageContaining("'city' and 'form.city' both set form.city");
        assertThatThrownBy(() -> read("b.csv", "search,numberid,search.city\n x,1,B\n"))
                .isInstanceOf(ElementReader.UnreadableFileException.class)
                .hasMessageContaining("'search' and 'search.city' overlap");
    }

    @Test
    void blank_csv_lines_are_not_elements_but_a_quoted_empty_cell_is() throws IOException {
        List<Element> elements = read("a.csv", "numberid,city\r\n1,A\r\n\r\n\n2,B\r\n\r\n");
        assertThat(elements).extracting(e -> e.source().line()).containsExactly(2L, 5L);
        assertThat(elements).allSatisfy(e -> assertThat(e.isValid()).isTrue());

        List<Element> oneColumn = read("b.csv", "numberid\n\"\"\n\n3\n");
        assertThat(oneColumn).extracting(e -> e.source().line()).containsExactly(2L, 4L);
        assertThat(oneColumn.get(0).body().isEmpty()).as("a quoted empty cell is a record with nothing in it").isTrue();
    }

    @Test
    void a_csv_with_a_bad_byte_near_its_start_keeps_its_header_and_rejects_only_that_record() throws IOException {
        byte[] content = "numberid,city\n1,ok\n2,P\u00e9cs\n3,ok3\n".getBytes(StandardCharsets.ISO_8859_1);
        Path file = Files.write(dir.resolve("latin1.csv"), content);
        assertThat(ElementReader.csvHeader(file)).containsExactly("numberid", "city");

        List<Element> elements = readBytes("latin1.csv", content, ElementReader.MAX_ELEMENT_BYTES);
        assertThat(elements).extracting(e -> e.isValid() ? "valid" : e.rejection().error())
                .containsExactly("valid", "error.malformed_encoding", "valid");
        assertThat(elements.get(1).source().line()).isEqualTo(3);
    }

    @Test
    void a_csv_whose_header_is_not_utf8_or_that_is_utf16_is_refused_saying_so() throws IOException {
        byte[] latin1 = "numberid,v\u00e1ros\n1,x\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> readBytes("a.csv", latin1, ElementReader.MAX_ELEMENT_BYTES))
                .isInstanceOf(ElementReader.UnreadableFileException.class)
                .hasMessageContaining("the CSV header row is not valid UTF-8");
        assertThat(ElementReader.csvHeader(Files.write(dir.resolve("h.csv"), latin1))).isNull();
        for (var charset : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
            byte[] wide = "\uFEFFnumberid,city\n1,x\n".getBytes(charset);
            assertThatThrownBy(() -> readBytes("w.csv", wide, ElementReader.MAX_ELEMENT_BYTES))
                    .isInstanceOf(ElementReader.UnreadableFileException.class)
                    .hasMessageContaining("UTF-16").hasMessageContaining("not UTF-8");
        }
    }

    /** Found by fuzzing (ReaderFuzzTestInputs/csv/header-column-dot): a column named "." crashed the reader. */
    @Test
    void a_csv_header_column_that_is_not_a_path_refuses_the_file() {
        for (String column : List.of(".", "form.", ".city", "search..name")) {
            assertThatThrownBy(() -> read("a.csv", "numberid," + column + "\n1,x\n"))
                    .isInstanceOf(ElementReader.UnreadableFileException.class)
                    .hasMessageContaining("is not a path");
        }
    }

    /**
     * Found by fuzzing (ReaderFuzzTestInputs/json/leading-zero-bytes): read from bytes, Jackson took a file
     * starting with zero bytes for UTF-32 and failed outside the reader's error handling. JSON is read as
     * UTF-8 text: such a file is simply not JSON.
     */
    @Test
    void a_json_file_starting_with_zero_bytes_is_read_as_utf8_and_refused_as_not_json() {
        byte[] content = ElementReaderProperties.concat(new byte[]{0, 0, 0, 'd'},
                "\"numberid\":\"erid\":-1".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> readBytes("a.json", content, ElementReader.MAX_ELEMENT_BYTES))
                .isInstanceOf(ElementReader.UnreadableFileException.class)
                .hasMessageContaining("not valid JSON");
    }
}
