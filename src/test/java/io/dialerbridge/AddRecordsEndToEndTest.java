package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.source.ElementReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** add-records from the drop folder to the sandbox: one POST per element, results, and no duplicates. */
@Timeout(90)
class AddRecordsEndToEndTest extends BridgeEndToEndSupport {

    @TempDir
    Path scratch;

    /** The records the sandbox holds beyond the five of the seed. */
    private List<JsonNode> newRecords() throws Exception {
        java.util.ArrayList<JsonNode> found = new java.util.ArrayList<>();
        for (long id = 6; id < 40; id++) {
            JsonNode record = harness.record("22", id);
            if (record.isObject()) {
                found.add(record);
            }
        }
        return found;
    }

    private long posts() throws Exception {
        return harness.requestsTo("POST", "/v2/projects/22/records");
    }

    @Test
    void creates_the_accepted_records_writes_their_numberids_and_dead_letters_exactly_the_refused() throws Exception {
        harness.startBridge(Map.of(), true);

        harness.drop("22", "add-records", "new.ndjson", """
                {"form":{"name":"New One","city":"Eger","phone1":"+36700000001"},"contacts":{"1":{"title":"Ms","name":"New One","phone":"+36700000001","email":"new1@example.com"}},"disposition":{"dispositionid":1,"next_calldate":"2030-05-01 09:00:00"},"phone_field":"phone1","premium":{"price":10,"commission":2}}
                {"form":{"name":"Bad Mail","phone1":"+36700000002"},"contacts":{"1":{"phone":"+36700000002","email":"nope"}}}
                {"form":{"name":"No Phone"},"contacts":{"1":{"name":"No Phone"}}}
                {"form":{"name":"Unknown Field","shoe_size":"44","phone1":"+36700000004"}}
                {"form":{"name":"Wrong Slot","phone1":"+36700000005"},"phone_field":"phone7"}
                {"form":{"name":"New Two","phone1":"+36700000006"}}
                """);

        JsonNode report = harness.awaitReport("22", "add-records", "new.ndjson");
        List<JsonNode> letters = harness.assertDeadLettered(List.of(2L, 3L, 4L, 5L), List.of(
                "error.wrong_email_format", "error.missing_phone", "error.field_not_exists", "error.wrong_phone_field"));
        // the unknown field is refused by the pre-flight field check, with the API's own code, before sending
        assertThat(letters).extracting(l -> l.path("httpStatus").asInt()).containsExactly(0, 0, 0, 417);
        assertThat(report.path("elements").asLong()).isEqualTo(6);
        assertThat(report.path("accepted").asLong()).isEqualTo(2);
        assertThat(report.path("deadLettered").asLong()).isEqualTo(4);
        assertThat(posts()).as("the three refused before sending never went out").isEqualTo(3);

        List<JsonNode> results = harness.results("22", "add-records", "new.ndjson");
        assertThat(results).extracting(r -> r.path("source").path("line").asLong()).containsExactlyInAnyOrder(1L, 6L);
        assertThat(results).extracting(r -> r.path("status").asText()).containsOnly("created");
        assertThat(newRecords()).hasSize(2);
        for (JsonNode result : results) {
            JsonNode created = harness.record("22", result.path("numberid").asLong());
            String expected = result.path("source").path("line").asLong() == 1 ? "New One" : "New Two";
            assertThat(created.path("data").path("name").asText()).isEqualTo(expected);
            if (expected.equals("New One")) {
                assertThat(created.path("contacts").path("1").path("email").asText()).isEqualTo("new1@example.com");
                assertThat(created.path("act_status").asInt()).isEqualTo(1);
                assertThat(created.path("next_calldate").asText()).isEqualTo("2030-05-01 09:00:00");
                assertThat(created.path("phone_field").asText()).isEqualTo("phone1");
                assertThat(created.path("premium").path("price").asDouble()).isEqualTo(10.0);
            }
        }
    }

    @Test
    void a_csv_maps_contacts_disposition_and_premium_columns() throws Exception {
        harness.startBridge(Map.of(), true);

        harness.drop("22", "add-records", "new.csv",
                "name,city,phone1,contacts.1.name,contacts.1.phone,contacts.1.email,disposition.dispositionid,phone_field,premium.price\r\n"
                        + "\"Csv, Person\",Győr,+36709999999,Csv Person,+36709999999,csv@example.com,2,phone1,12.5\r\n");

        JsonNode report = harness.awaitReport("22", "add-records", "new.csv");
        assertThat(report.path("accepted").asLong()).isEqualTo(1);
        JsonNode result = harness.results("22", "add-records", "new.csv").get(0);
        JsonNode created = harness.record("22", result.path("numberid").asLong());
        assertThat(created.path("data").path("name").asText()).isEqualTo("Csv, Person");
        assertThat(created.path("data").path("city").asText()).isEqualTo("Győr");
        assertThat(created.path("contacts").path("1").path("email").asText()).isEqualTo("csv@example.com");
        assertThat(created.path("act_status").asInt()).isEqualTo(2);
        assertThat(created.path("premium").path("price").asDouble()).isEqualTo(12.5);

        // the results in the input's format: its header and row, with the new numberid
        java.nio.file.Path csvResults = home.resolve("results/22/add-records/new.csv.results.csv");
        assertThat(java.nio.file.Files.readString(csvResults, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(
                "name,city,phone1,contacts.1.name,contacts.1.phone,contacts.1.email,disposition.dispositionid,phone_field,premium.price,numberid,status\n"
                        + "\"Csv, Person\",Győr,+36709999999,Csv Person,+36709999999,csv@example.com,2,phone1,12.5,"
                        + result.path("numberid").asLong() + ",created\n");
    }

    @Test
    void a_retry_after_a_timeout_creates_no_duplicate() throws Exception {
        harness.startBridge(Map.of("vcc.response-timeout", "1000", "add-records.unique-field", "phone1"), true);
        harness.faults("""
                {"latency":{"requestMs":2500,"method":"POST","path":"/v2/projects/22/records","times":1}}""");

        harness.drop("22", "add-records", "slow.ndjson", """
                {"form":{"name":"Slow One","phone1":"+36701111111"}}
                {"form":{"name":"Slow Two","phone1":"+36702222222"}}
                """);

        JsonNode report = harness.awaitReport("22", "add-records", "slow.ndjson");
        assertThat(report.path("accepted").asLong()).isEqualTo(2);
        assertThat(harness.deadLetters()).isEmpty();
        List<JsonNode> created = newRecords();
        assertThat(created).extracting(r -> r.path("data").path("name").asText())
                .as("each exactly once").containsExactlyInAnyOrder("Slow One", "Slow Two");
        assertThat(posts()).as("the timed-out POST was not sent again").isEqualTo(2);
        List<JsonNode> results = harness.results("22", "add-records", "slow.ndjson");
        assertThat(results).extracting(r -> r.path("status").asText()).containsExactlyInAnyOrder("created", "existed");
        assertThat(harness.requests()).filteredOn(r -> r.path("method").asText().equals("PUT")).as("one look-up")
                .hasSize(1);
    }

    @Test
    void a_restart_after_a_crash_sends_only_what_the_journal_and_the_look_up_say_is_missing() throws Exception {
        String content = """
                {"form":{"name":"Reached Before Crash","phone1":"+36703333331"}}
                {"form":{"name":"Lost In Crash","phone1":"+36703333332"}}
                {"form":{"name":"Created Before Crash","phone1":"+36703333333"}}
                {"form":{"name":"Never Tried","phone1":"+36703333334"}}
                {"form":{"name":"Unknown Without Key"}}
                """;
        Path copy = Files.writeString(scratch.resolve("copy.ndjson"), content, StandardCharsets.UTF_8);
        String key = ElementReader.fileKey(copy);
        // What a crash leaves: line 1's POST reached the dialer, line 2's did not, line 3 was answered.
        JsonNode reached = harness.vcc("POST", "/projects/22/records",
                "{\"form\":{\"name\":\"Reached Before Crash\",\"phone1\":\"+36703333331\"}}");
        long reachedId = reached.path("response").get(0).asLong();
        Files.createDirectories(home.resolve("state"));
        Files.writeString(home.resolve("state/add-records-journal.ndjson"),
                "{\"id\":\"" + key + ":1\",\"state\":\"sending\"}\n"
                        + "{\"id\":\"" + key + ":2\",\"state\":\"sending\"}\n"
                        + "{\"id\":\"" + key + ":3\",\"state\":\"created\",\"numberid\":4}\n"
                        + "{\"id\":\"" + key + ":5\",\"state\":\"sending\"}\n"
                        + "{\"id\":\"" + key + ":4\",\"sta", StandardCharsets.UTF_8);
        harness.admin("DELETE", "requests", null);
        harness.startBridge(Map.of("add-records.unique-field", "phone1"), true);

        harness.drop("22", "add-records", "again.ndjson", content);

        JsonNode report = harness.awaitReport("22", "add-records", "again.ndjson");
        assertThat(report.path("accepted").asLong()).isEqualTo(4);
        assertThat(harness.deadLetters()).extracting(l -> l.path("source").path("line").asLong()).containsExactly(5L);
        assertThat(harness.deadLetters()).extracting(l -> l.path("error").asText()).containsExactly("error.outcome_unknown");
        assertThat(newRecords()).extracting(r -> r.path("data").path("name").asText()).containsExactlyInAnyOrder(
                "Reached Before Crash", "Lost In Crash", "Never Tried");
        assertThat(posts()).as("only lines 2 and 4 were posted").isEqualTo(2);
        Map<Long, JsonNode> byLine = new java.util.HashMap<>();
        harness.results("22", "add-records", "again.ndjson").forEach(r -> byLine.put(r.path("source").path("line").asLong(), r));
        assertThat(byLine.get(1L).path("status").asText()).isEqualTo("existed");
        assertThat(byLine.get(2L).path("status").asText()).isEqualTo("created");
        assertThat(byLine.get(3L).path("status").asText()).isEqualTo("created-earlier");
        assertThat(byLine.get(3L).path("numberid").asLong()).isEqualTo(4);
        assertThat(byLine.get(4L).path("status").asText()).isEqualTo("created");
        assertThat(reachedId).isPositive();
    }
}
