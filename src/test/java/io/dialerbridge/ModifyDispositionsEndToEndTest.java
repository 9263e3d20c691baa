package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** modify-dispositions from the drop folder to the sandbox's batch disposition modification. */
@Timeout(90)
class ModifyDispositionsEndToEndTest extends BridgeEndToEndSupport {

    private JsonNode lastEvent(int numberid) throws Exception {
        JsonNode events = harness.record("22", numberid).path("events");
        return events.get(events.size() - 1);
    }

    private long dispositionPuts() throws Exception {
        return harness.requestsTo("PUT", "/v2/projects/22/records/dispositions");
    }

    @Test
    void applies_defaults_retries_records_in_call_and_dead_letters_exactly_the_refused() throws Exception {
        harness.startBridge(Map.of("batch.max-elements", "10",
                "projects.22.disposition.description", "set by dialer-bridge",
                "projects.22.avoid-in-call", "true",
                "element-retry.max-retries", "2",
                "element-retry.initial-delay", "1500",
                "element-retry.max-delay", "1500"), true);
        harness.admin("PUT", "records-in-call", "[\"22/3\",\"22/4\"]");

        harness.drop("22", "modify-dispositions", "dispositions.ndjson", """
                {"numberid":"1","dispositionid":2,"next_calldate":"2030-02-01 10:00:00","description":"sold"}
                {"numberid":"2","dispositionid":1,"next_calldate":"2030-02-30 10:00:00"}
                {"numberid":"3","dispositionid":1}
                {"numberid":"4","dispositionid":2,"userid":8}
                {"search":[{"pref_userid":"9"}],"dispositionid":"3","sendDispositionMessages":true}
                {"numberid":"99999","dispositionid":1}
                {"numberid":"2","dispositionid":99}
                {"search":{"city":"Budapest"},"dispositionid":1}
                """);

        await("the first attempt refused the records in call").atMost(Duration.ofSeconds(20))
                .until(() -> dispositionPuts() >= 1);
        harness.admin("PUT", "records-in-call", "[\"22/3\"]");

        JsonNode report = harness.awaitReport("22", "modify-dispositions", "dispositions.ndjson");
        List<JsonNode> letters = harness.assertDeadLettered(List.of(2L, 3L, 6L, 7L, 8L), List.of(
                "error.wrong_date_format", "error.record_in_call", "error.record_not_exists",
                "error.disposition_not_exists", "error.wrong_search_key"));
        assertThat(letters.get(0).path("httpStatus").asInt()).as("never sent").isZero();
        assertThat(letters.get(0).path("errorMessage").asText()).contains("2030-02-30 10:00:00");
        assertThat(letters.get(1).path("attempts").asInt()).as("first send and two re-sends").isEqualTo(3);
        assertThat(report.path("elements").asLong()).isEqualTo(8);
        assertThat(report.path("accepted").asLong()).isEqualTo(3);
        assertThat(report.path("deadLettered").asLong()).isEqualTo(5);
        assertThat(dispositionPuts()).as("one batch, then [3,4], then [3]").isEqualTo(3);

        assertThat(harness.record("22", 1).path("act_status").asInt()).isEqualTo(2);
        assertThat(harness.record("22", 1).path("next_calldate").asText()).isEqualTo("2030-02-01 10:00:00");
        assertThat(lastEvent(1).path("description").asText()).as("element wins").isEqualTo("sold");
        assertThat(harness.record("22", 2).path("next_calldate").isNull() || harness.record("22", 2).path("next_calldate").asText().isEmpty()).isTrue();
        assertThat(harness.record("22", 3).path("act_status").asInt()).as("still in call: unchanged").isEqualTo(3);
        assertThat(harness.record("22", 4).path("act_status").asInt()).as("accepted once out of the call").isEqualTo(2);
        assertThat(harness.record("22", 4).path("pref_userid").asInt()).isEqualTo(8);
        assertThat(harness.record("22", 5).path("act_status").asInt()).isEqualTo(3);
        assertThat(lastEvent(5).path("description").asText()).as("project default").isEqualTo("set by dialer-bridge");
        assertThat(lastEvent(5).path("send_disposition_messages").asBoolean()).isTrue();
    }

    @Test
    void a_csv_with_or_searches_and_a_json_request_with_its_own_disposition_default() throws Exception {
        harness.startBridge(Map.of(), true);

        harness.drop("22", "modify-dispositions", "dispositions.csv",
                "numberid,search.0.act_status,search.1.pref_userid,dispositionid,next_calldate,sendDispositionMessages\r\n"
                        + "1,,,2,2031-01-01 08:00:00,true\r\n"
                        + ",3,8,1,,false\r\n");
        JsonNode csv = harness.awaitReport("22", "modify-dispositions", "dispositions.csv");
        assertThat(csv.path("accepted").asLong()).isEqualTo(2);
        assertThat(harness.record("22", 1).path("act_status").asInt()).isEqualTo(2);
        assertThat(harness.record("22", 1).path("next_calldate").asText()).isEqualTo("2031-01-01 08:00:00");
        assertThat(harness.record("22", 3).path("act_status").asInt()).as("act_status 3 matched").isEqualTo(1);
        assertThat(harness.record("22", 2).path("act_status").asInt()).as("pref_userid 8 matched").isEqualTo(1);

        harness.drop("22", "modify-dispositions", "request.json", """
                {"elements":[{"numberid":"4"},{"numberid":"5","dispositionid":1}],
                 "disposition":{"dispositionid":2,"next_calldate":"2032-01-01 00:00:00"}}""");
        JsonNode json = harness.awaitReport("22", "modify-dispositions", "request.json");
        assertThat(json.path("accepted").asLong()).isEqualTo(2);
        assertThat(harness.record("22", 4).path("act_status").asInt()).isEqualTo(2);
        assertThat(harness.record("22", 4).path("next_calldate").asText()).isEqualTo("2032-01-01 00:00:00");
        assertThat(harness.record("22", 5).path("act_status").asInt()).as("element wins").isEqualTo(1);

        harness.drop("22", "modify-dispositions", "bad-default.json", """
                {"elements":[{"numberid":"4"},{"numberid":"5"}],
                 "disposition":{"dispositionid":1,"next_calldate":"2032-13-01 00:00:00"}}""");
        JsonNode bad = harness.awaitReport("22", "modify-dispositions", "bad-default.json");
        assertThat(bad.path("deadLettered").asLong()).isEqualTo(2);
        assertThat(harness.deadLetters()).extracting(l -> l.path("error").asText())
                .containsOnly("error.wrong_date_format");
        assertThat(harness.record("22", 4).path("act_status").asInt()).as("never sent").isEqualTo(2);
    }
}
