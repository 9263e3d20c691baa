package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** modify-contacts from the drop folder to the sandbox, one PUT per element. */
@Timeout(90)
class ModifyContactsEndToEndTest extends BridgeEndToEndSupport {

    private JsonNode contact(int numberid, int contact) throws Exception {
        return harness.record("22", numberid).path("contacts").path(String.valueOf(contact));
    }

    @Test
    void changes_the_accepted_contacts_and_dead_letters_exactly_the_refused_ones() throws Exception {
        harness.startBridge(Map.of(), true);
        harness.faults("""
                {"elementErrors":[{"operation":"modify-contacts","field":"email","value":"refused@example.com",
                                   "error":"error.wrong_email_format"}]}""");

        harness.drop("22", "modify-contacts", "contacts.ndjson", """
                {"numberid":"1","contact":"1","name":"John Q. Smith","email":"jqs@example.com"}
                {"numberid":2,"contact":2,"title":"Dr","name":"Jane Second","phone":"+3652999999"}
                {"numberid":"3","contact":"3","name":"No Such Slot"}
                {"numberid":"4","contact":"1","email":"not-an-email"}
                {"numberid":"99999","contact":"1","name":"Ghost"}
                {"numberid":"5","contact":"1","email":"refused@example.com"}
                {"contact":"1","name":"Nobody"}
                """);

        JsonNode report = harness.awaitReport("22", "modify-contacts", "contacts.ndjson");
        List<JsonNode> letters = harness.assertDeadLettered(List.of(3L, 4L, 5L, 6L, 7L), List.of(
                "error.contact_not_exists", "error.wrong_email_format", "error.record_not_exists",
                "error.wrong_email_format", "error.missing_numberid"));
        assertThat(letters.get(0).path("httpStatus").asInt()).as("pre-flight field check: project 22 has no phone3")
                .isZero();
        assertThat(letters.get(1).path("httpStatus").asInt()).as("checked before sending").isZero();
        assertThat(letters.get(3).path("httpStatus").asInt()).as("refused by the server").isEqualTo(417);
        assertThat(letters.get(3).path("errorCode").asInt()).isEqualTo(417);
        assertThat(report.path("elements").asLong()).isEqualTo(7);
        assertThat(report.path("accepted").asLong()).isEqualTo(2);
        assertThat(report.path("deadLettered").asLong()).isEqualTo(5);

        assertThat(contact(1, 1).path("name").asText()).isEqualTo("John Q. Smith");
        assertThat(contact(1, 1).path("email").asText()).isEqualTo("jqs@example.com");
        assertThat(contact(1, 1).path("title").asText()).as("not given, not changed").isEqualTo("Mr");
        assertThat(contact(2, 2).path("name").asText()).isEqualTo("Jane Second");
        assertThat(contact(2, 2).path("phone").asText()).isEqualTo("+3652999999");
        assertThat(contact(4, 1).path("email").asText()).isNotEqualTo("not-an-email");
        assertThat(contact(5, 1).path("email").asText()).isNotEqualTo("refused@example.com");

        List<String> puts = harness.requests().stream().filter(r -> r.path("method").asText().equals("PUT"))
                .map(r -> r.path("path").asText()).toList();
        assertThat(puts).as("elements refused before sending are never sent").containsExactlyInAnyOrder(
                "/v2/projects/22/records/1/contacts/1", "/v2/projects/22/records/2/contacts/2",
                "/v2/projects/22/records/99999/contacts/1",
                "/v2/projects/22/records/5/contacts/1");
    }

    @Test
    void a_csv_maps_its_columns_to_the_contact() throws Exception {
        harness.startBridge(Map.of(), true);

        harness.drop("22", "modify-contacts", "contacts.csv", "numberid,contact,title,name,phone,email\r\n"
                + "3,1,Mr,\"Kovács, Péter\",+36303456789,peter@example.com\r\n"
                + "4,2,,Maria Second,+3611111111,\r\n");

        JsonNode report = harness.awaitReport("22", "modify-contacts", "contacts.csv");
        assertThat(report.path("accepted").asLong()).isEqualTo(2);
        assertThat(contact(3, 1).path("name").asText()).isEqualTo("Kovács, Péter");
        assertThat(contact(3, 1).path("email").asText()).isEqualTo("peter@example.com");
        assertThat(contact(4, 2).path("name").asText()).isEqualTo("Maria Second");
        assertThat(contact(4, 2).path("phone").asText()).isEqualTo("+3611111111");
        assertThat(harness.deadLetters()).isEmpty();
    }
}
