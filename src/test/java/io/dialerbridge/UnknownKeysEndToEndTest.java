package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing is lost silently on the way to the dialer: a key or column an operation does not send
 * dead-letters its element (error.unknown_key) instead of being dropped while the element counts as
 * accepted, and a file's request-level avoid_in_call reaches the request.
 */
@Timeout(120)
class UnknownKeysEndToEndTest extends BridgeEndToEndSupport {

    private List<JsonNode> lettersOf(String file) throws Exception {
        return harness.deadLettersByLine().stream().filter(l -> l.path("source").path("file").asText().endsWith(file)).toList();
    }

    private List<String> bodiesOf(String method, String path) throws Exception {
        return harness.requests().stream().filter(r -> r.path("method").asText().equals(method)
                && r.path("path").asText().equals(path)).map(r -> r.path("body").asText()).toList();
    }

    @Test
    void keys_and_columns_an_operation_cannot_send_dead_letter_their_element_naming_them() throws Exception {
        harness.startBridge(Map.of(), true);
        String cityOf3 = harness.city("22", 3);

        harness.drop("22", "modify-records", "with-contacts.csv", "numberid,city,contacts.1.phone\r\n"
                + "1,WithContact,+3699\r\n"
                + "2,Plain,\r\n"
                + "3,,+3677\r\n");
        JsonNode csv = harness.awaitReport("22", "modify-records", "with-contacts.csv");
        assertThat(csv.path("accepted").asLong()).isEqualTo(1);
        assertThat(csv.path("deadLettered").asLong()).isEqualTo(2);
        List<JsonNode> csvLetters = lettersOf("with-contacts.csv");
        assertThat(csvLetters).extracting(l -> l.path("source").path("line").asLong()).containsExactly(2L, 4L);
        assertThat(csvLetters).extracting(l -> l.path("error").asText()).containsOnly("error.unknown_key");
        assertThat(csvLetters).allSatisfy(l -> assertThat(l.path("errorMessage").asText()).contains("contacts.1.phone"));
        assertThat(csvLetters).allSatisfy(l -> assertThat(l.path("httpStatus").asInt()).as("never sent").isZero());

        harness.drop("22", "modify-records", "typos.ndjson", """
                {"numberid":"1","forms":{"city":"Typo"}}
                {"numberid":"2","form":{"city":"Kept"},"contacts":{"1":{"phone":"+3611"}}}
                {"numberid":"3","form":{"city":"Kept"},"dispositionid":2}
                {"numberid":"4","form":{"city":"Sent"}}
                """);
        JsonNode ndjson = harness.awaitReport("22", "modify-records", "typos.ndjson");
        assertThat(ndjson.path("accepted").asLong()).isEqualTo(1);
        assertThat(lettersOf("typos.ndjson")).extracting(l -> l.path("errorMessage").asText())
                .satisfiesExactly(m -> assertThat(m).contains("forms.city"), m -> assertThat(m).contains("contacts.1.phone"),
                        m -> assertThat(m).contains("dispositionid"));

        harness.drop("22", "modify-contacts", "typo.ndjson", """
                {"numberid":"1","contact":"1","phonee":"+3612345"}
                {"numberid":"2","contact":"1","name":"Named","phonee":"+3612345"}
                """);
        JsonNode contacts = harness.awaitReport("22", "modify-contacts", "typo.ndjson");
        assertThat(contacts.path("accepted").asLong()).isZero();
        assertThat(lettersOf("typo.ndjson")).extracting(l -> l.path("error").asText())
                .containsExactly("error.unknown_key", "error.unknown_key");

        List<String> recordPuts = bodiesOf("PUT", "/v2/projects/22/records");
        assertThat(String.join("\n", recordPuts)).as("the sandbox got only the elements it could be given whole")
                .contains("Plain").contains("Sent").doesNotContain("WithContact").doesNotContain("Typo")
                .doesNotContain("Kept").doesNotContain("+3699");
        assertThat(harness.city("22", 1)).isNotEqualTo("WithContact");
        assertThat(harness.city("22", 2)).isEqualTo("Plain");
        assertThat(harness.city("22", 3)).isEqualTo(cityOf3);
        assertThat(harness.city("22", 4)).isEqualTo("Sent");
        assertThat(harness.requests()).as("no contact was changed")
                .noneMatch(r -> r.path("path").asText().contains("/contacts/"));
    }

    @Test
    void avoid_in_call_in_a_json_files_disposition_object_reaches_the_request_and_spares_a_record_in_call() throws Exception {
        harness.startBridge(Map.of("element-retry.max-retries", "0"), true);
        harness.admin("PUT", "records-in-call", "[\"22/3\"]");
        int before = harness.record("22", 3).path("act_status").asInt();

        harness.drop("22", "modify-dispositions", "careful.json", """
                {"elements":[{"numberid":"3"},{"numberid":"4"}],
                 "disposition":{"dispositionid":2,"avoid_in_call":true}}""");
        JsonNode report = harness.awaitReport("22", "modify-dispositions", "careful.json");

        assertThat(bodiesOf("PUT", "/v2/projects/22/records/dispositions")).singleElement().satisfies(body -> {
            JsonNode request = BridgeHarness.JSON.readTree(body);
            assertThat(request.path("avoid_in_call").asBoolean()).as(body).isTrue();
            assertThat(request.path("disposition")).isEqualTo(BridgeHarness.JSON.readTree("{\"dispositionid\":2}"));
        });
        assertThat(report.path("accepted").asLong()).isEqualTo(1);
        assertThat(lettersOf("careful.json")).extracting(l -> l.path("error").asText()).containsExactly("error.record_in_call");
        assertThat(harness.record("22", 3).path("act_status").asInt()).as("in an agent's hands: left alone").isEqualTo(before);
        assertThat(harness.record("22", 4).path("act_status").asInt()).isEqualTo(2);
    }
}
