package io.dialerbridge.source;

import io.dialerbridge.element.Element;
import io.dialerbridge.operation.Operation;
import org.junit.jupiter.api.Test;
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
}
