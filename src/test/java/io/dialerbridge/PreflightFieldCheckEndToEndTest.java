package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pre-flight field check end to end (docs/SYNC.md): the real routes read project 22's fields from
 * the sandbox over HTTP before a file's first batch, and what the project lacks is refused before
 * anything goes out (the sandbox's request log shows it).
 */
@Timeout(60)
class PreflightFieldCheckEndToEndTest extends BridgeEndToEndSupport {

    private List<JsonNode> puts() throws Exception {
        return harness.requests().stream().filter(r -> r.path("method").asText().equals("PUT")).toList();
    }

    private String valueIdOf(String field, String valueName) throws Exception {
        for (JsonNode f : harness.vccGet("/projects/22").path("response").path("fields")) {
            if (f.path("name").asText().equals(field)) {
                for (JsonNode v : f.path("values")) {
                    if (v.path("name").asText().equalsIgnoreCase(valueName)) {
                        return v.path("valueid").asText();
                    }
                }
            }
        }
        return null;
    }

    @Test
    void a_csv_whose_header_names_a_field_the_project_lacks_goes_to_failed_as_a_whole_and_nothing_is_sent() throws Exception {
        harness.startBridge(Map.of(), true);

        harness.drop("22", "modify-records", "typo.csv", "numberid,city,citty\n1,Eger,Eger\n2,Győr,Győr\n3,Pécs,Pécs\n");

        Path reason = home.resolve("failed/22/modify-records/typo.csv.reason.txt");
        Awaitility.await("typo.csv in failed/").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(reason));
        assertThat(Files.readString(reason, StandardCharsets.UTF_8)).as("one reason naming the column")
                .contains("citty").contains("error.field_not_exists").contains("nothing was sent");
        assertThat(home.resolve("failed/22/modify-records/typo.csv")).exists();
        assertThat(harness.deadLetters()).as("not one dead letter per row").isEmpty();
        assertThat(puts()).as("nothing sent").isEmpty();
        assertThat(harness.requestsTo("GET", "/v2/projects/22")).as("the fields were read").isEqualTo(1);
        assertThat(harness.city("22", 1)).isEqualTo("Budapest");
    }

    @Test
    void an_unknown_field_is_dead_lettered_without_a_request_and_new_choice_values_are_sent_and_listed() throws Exception {
        harness.startBridge(Map.of("batch.max-elements", "10"), true);
        assertThat(valueIdOf("likes", "chess")).isNull();

        harness.drop("22", "modify-records", "mixed.ndjson", """
                {"numberid":"1","form":{"city":"Eger"}}
                {"numberid":"2","form":{"city":"Győr","shoe_size":"44"}}
                {"numberid":"3","form":{"likes":"sports|chess"}}
                {"numberid":"4","form":{"likes":"Music"}}
                {"numberid":"99999","form":{"city":"Ghost"}}
                """);

        JsonNode report = harness.awaitReport("22", "modify-records", "mixed.ndjson");
        List<JsonNode> letters = harness.assertDeadLettered(List.of(2L, 5L),
                List.of("error.field_not_exists", "error.record_not_exists"));
        assertThat(letters.get(0).path("errorMessage").asText()).contains("shoe_size");
        assertThat(letters.get(0).path("httpStatus").asInt()).as("refused before sending").isZero();
        assertThat(letters.get(0).path("attempts").asInt()).isZero();
        assertThat(letters.get(1).path("httpStatus").asInt()).as("refused by the dialer").isEqualTo(200);
        assertThat(puts()).as("one batch, without the element naming shoe_size").hasSize(1)
                .allSatisfy(put -> assertThat(put.path("body").asText()).doesNotContain("shoe_size").contains("chess"));
        // conservation: every element in is accepted or dead-lettered, once
        assertThat(report.path("elements").asLong()).isEqualTo(5);
        assertThat(report.path("accepted").asLong() + report.path("deadLettered").asLong()
                + report.path("unchanged").asLong()).isEqualTo(5);
        assertThat(report.path("accepted").asLong()).isEqualTo(3);
        assertThat(report.path("newValues").toString()).as("the values the dialer created, per field")
                .isEqualTo("{\"likes\":[\"chess\"]}");
        assertThat(valueIdOf("likes", "chess")).as("allow: the dialer created it").isNotNull();
        assertThat(harness.city("22", 2)).isEqualTo("Debrecen");
    }

    @Test
    void the_new_values_report_lists_only_values_of_accepted_elements() throws Exception {
        harness.startBridge(Map.of(), true);

        harness.drop("22", "modify-records", "created.ndjson", """
                {"numberid":"3","form":{"likes":"sports|chess"}}
                {"numberid":"99999","form":{"likes":"golf"}}
                {"numberid":"4","form":{"likes":"darts","shoe_size":"44"}}
                """);

        JsonNode report = harness.awaitReport("22", "modify-records", "created.ndjson");
        harness.assertDeadLettered(List.of(2L, 3L), List.of("error.record_not_exists", "error.field_not_exists"));
        assertThat(report.path("accepted").asLong()).isEqualTo(1);
        assertThat(valueIdOf("likes", "golf")).as("the dialer refused the element: no value created").isNull();
        assertThat(report.path("newValues").toString()).as("only the accepted element's value")
                .isEqualTo("{\"likes\":[\"chess\"]}");
    }

    @Test
    void refuse_dead_letters_a_new_choice_value_and_an_unknown_disposition_before_sending() throws Exception {
        harness.startBridge(Map.of("fields.new-values", "refuse"), true);

        harness.drop("22", "modify-records", "likes.ndjson", """
                {"numberid":"3","form":{"likes":"sports|chess"}}
                {"numberid":"4","form":{"likes":"music"}}
                """);
        JsonNode report = harness.awaitReport("22", "modify-records", "likes.ndjson");
        harness.drop("22", "modify-dispositions", "calls.ndjson", """
                {"numberid":"1","dispositionid":2}
                {"numberid":"2","dispositionid":9}
                """);
        JsonNode dispositions = harness.awaitReport("22", "modify-dispositions", "calls.ndjson");

        List<JsonNode> letters = harness.deadLetters();
        assertThat(letters).extracting(l -> l.path("source").path("file").asText() + " " + l.path("source").path("line").asLong()
                + " " + l.path("error").asText()).containsExactlyInAnyOrder(
                "22/modify-records/likes.ndjson 1 error.new_field_value",
                "22/modify-dispositions/calls.ndjson 2 error.disposition_not_exists");
        assertThat(letters).filteredOn(l -> l.path("error").asText().equals("error.new_field_value"))
                .singleElement().satisfies(l -> assertThat(l.path("errorMessage").asText()).contains("'likes'").contains("'chess'"));
        assertThat(letters).extracting(l -> l.path("httpStatus").asInt()).containsOnly(0);
        assertThat(valueIdOf("likes", "chess")).as("refuse: the field did not gain the value").isNull();
        assertThat(report.path("accepted").asLong()).isEqualTo(1);
        assertThat(report.has("newValues")).isFalse();
        assertThat(dispositions.path("accepted").asLong()).isEqualTo(1);
        assertThat(puts()).extracting(p -> p.path("body").asText()).noneMatch(body -> body.contains("chess"))
                .noneMatch(body -> body.contains("\"dispositionid\":9") || body.contains("\"dispositionid\":\"9\""));
    }

    @Test
    void with_refuse_a_file_waits_in_the_inbox_while_the_fields_cannot_be_read_and_goes_once_they_can() throws Exception {
        harness.faults("{\"errors\":{\"statuses\":[503],\"path\":\"/v2/projects/22\",\"method\":\"GET\"}}");
        harness.startBridge(Map.of("fields.new-values", "refuse"), true);

        harness.drop("22", "modify-records", "wait.ndjson", "{\"numberid\":\"1\",\"form\":{\"city\":\"Eger\"}}\n");
        Awaitility.await("the fields tried again at the next looks").atMost(Duration.ofSeconds(30))
                .until(() -> harness.requestsTo("GET", "/v2/projects/22") >= 3);
        assertThat(harness.inbox("22", "modify-records", "wait.ndjson")).as("not failed: it waits").exists();
        assertThat(home.resolve("failed/22/modify-records/wait.ndjson")).doesNotExist();
        assertThat(puts()).isEmpty();

        harness.clearFaults();
        JsonNode report = harness.awaitReport("22", "modify-records", "wait.ndjson");
        assertThat(report.path("accepted").asLong()).isEqualTo(1);
        assertThat(harness.city("22", 1)).isEqualTo("Eger");
    }

    @Test
    void with_allow_a_file_goes_unchecked_while_the_fields_cannot_be_read_and_the_dialer_refuses_what_it_lacks() throws Exception {
        harness.faults("{\"errors\":{\"statuses\":[503],\"path\":\"/v2/projects/22\",\"method\":\"GET\"}}");
        harness.startBridge(Map.of(), true);

        harness.drop("22", "modify-records", "unchecked.ndjson", """
                {"numberid":"1","form":{"city":"Eger"}}
                {"numberid":"2","form":{"shoe_size":"44"}}
                """);

        JsonNode report = harness.awaitReport("22", "modify-records", "unchecked.ndjson");
        List<JsonNode> letters = harness.assertDeadLettered(List.of(2L), List.of("error.field_not_exists"));
        assertThat(letters.get(0).path("httpStatus").asInt()).as("the dialer's own refusal").isEqualTo(200);
        assertThat(report.path("accepted").asLong()).isEqualTo(1);
        assertThat(harness.requestsTo("GET", "/v2/projects/22")).isGreaterThanOrEqualTo(1);
    }
}
