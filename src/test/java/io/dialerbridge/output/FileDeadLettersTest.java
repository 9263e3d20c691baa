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

    private static Element element(String project, Operation operation, long line) {
        ObjectNode body = JSON.createObjectNode().put("numberid", line);
        return new Element("k:" + line, project, operation, body, "line " + line, SourceRef.fileLine("f", line), null, null);
    }
}
