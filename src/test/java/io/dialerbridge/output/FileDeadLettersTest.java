package io.dialerbridge.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.operation.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FileDeadLettersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:15:30Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void writes_one_envelope_per_line_into_a_file_per_project_operation_and_day() throws Exception {
        DeadLetters letters = new FileDeadLetters(dir, CLOCK);
        Element refused = element("22", Operation.MODIFY_RECORDS, 3)
                .rejected(new Rejection("error.invalid_field", 417, "the dialer refused this element", 200, 2));
        Element invalid = element("23", Operation.MODIFY_RECORDS, 4)
                .rejected(Rejection.beforeSending("error.missing_numberid_or_search", "no numberid"));

        assertThat(letters.write(List.of(refused, invalid))).isEqualTo(2);

        JsonNode letter = JSON.readTree(Files.readString(dir.resolve("22-modify-records-2026-11-22.ndjson")));
        assertThat(letter.toString()).isEqualTo("{\"id\":\"k:3\",\"time\":\"2026-11-22T10:15:30Z\",\"projectid\":\"22\","
                + "\"operation\":\"modify-records\",\"source\":" + JSON.valueToTree(SourceRef.fileLine("f", 3).asMap())
                + ",\"error\":\"error.invalid_field\",\"errorCode\":417,\"errorMessage\":\"the dialer refused this element\","
                + "\"httpStatus\":200,\"attempts\":2,\"element\":{\"numberid\":3},\"raw\":\"line 3\"}");
        assertThat(Files.readAllLines(dir.resolve("23-modify-records-2026-11-22.ndjson")))
                .singleElement().satisfies(line -> assertThat(JSON.readTree(line).path("errorCode").isNull()).isTrue());
    }

    @Test
    void a_project_id_with_path_separators_or_dots_never_puts_a_letter_outside_the_folder() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("home").resolve("dead-letter"));
        DeadLetters letters = new FileDeadLetters(folder, CLOCK);
        List<String> projects = List.of("../../../../tmp/x", "22/records/40", "..", "a\\b", "C:x", "", "22\u0000x");
        for (String project : projects) {
            Element element = element(project, Operation.MODIFY_RECORDS, 1)
                    .rejected(Rejection.beforeSending("error.wrong_projectid", "test"));
            assertThat(letters.write(List.of(element))).isEqualTo(1);
            assertThat(letters.alreadyWritten(project, "modify-records", java.util.Set.of("k:1"))).contains("k:1");
        }
        try (var all = Files.walk(dir)) {
            assertThat(all.filter(Files::isRegularFile).toList()).as("every letter directly in the folder")
                    .allSatisfy(file -> assertThat(file.getParent()).isEqualTo(folder));
        }
        try (var files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).containsExactlyInAnyOrder(
                    "____________tmp_x-modify-records-2026-11-22.ndjson", "22_records_40-modify-records-2026-11-22.ndjson",
                    "__-modify-records-2026-11-22.ndjson", "a_b-modify-records-2026-11-22.ndjson",
                    "C_x-modify-records-2026-11-22.ndjson", "_-modify-records-2026-11-22.ndjson",
                    "22_x-modify-records-2026-11-22.ndjson");
        }
        assertThat(dir.resolve("tmp")).doesNotExist();
    }

    @Test
    void the_name_of_a_file_is_refused_when_it_would_leave_its_folder() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FileNamePart.in(dir, "../x.ndjson"))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FileNamePart.in(dir, "a/b.ndjson"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(FileNamePart.in(dir, "22-modify-records-2026-11-22.ndjson").getParent()).isEqualTo(dir);
    }

    private static Element element(String project, Operation operation, long line) {
        ObjectNode body = JSON.createObjectNode().put("numberid", line);
        return new Element("k:" + line, project, operation, body, "line " + line, SourceRef.fileLine("f", line), null, null);
    }
}
