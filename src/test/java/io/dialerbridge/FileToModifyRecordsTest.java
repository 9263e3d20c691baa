package io.dialerbridge;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The drop folder to VCC Live's batch record modification, end to end: real routes, real HTTP, real files. */
@Timeout(60)
class FileToModifyRecordsTest extends BridgeEndToEndSupport {

    private String valueIdOf(String field, String valueName) throws Exception {
        JsonNode fields = harness.vccGet("/projects/22").path("response").path("fields");
        for (JsonNode f : fields) {
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
    void the_documented_example_lands_with_a_default_and_a_new_multiple_value() throws Exception {
        harness.startBridge(Map.of(), true);
        assertThat(valueIdOf("likes", "cooking")).as("cooking is not a value yet").isNull();

        harness.drop("22", "modify-records", "example.json", """
                {"elements":[
                   {"search":{"name":"John Smith","city":"Budapest"},"form":{"city":"Szeged","likes":"sports|cooking"}},
                   {"numberid":"2","form":{"age":"41"}}
                 ],
                 "default":{"address":"Fő utca 1."}}
                """);

        JsonNode report = harness.awaitReport("22", "modify-records", "example.json");
        assertThat(report.path("accepted").asLong()).isEqualTo(2);
        assertThat(report.path("deadLettered").asLong()).isZero();

        String cooking = valueIdOf("likes", "cooking");
        assertThat(cooking).as("the missing value was created").isNotNull();
        JsonNode john = harness.record("22", 1).path("data");
        assertThat(john.path("city").asText()).isEqualTo("Szeged");
        assertThat(john.path("address").asText()).isEqualTo("Fő utca 1.");
        assertThat(john.path("likes").asText().split("\\|"))
                .containsExactlyInAnyOrder(valueIdOf("likes", "sports"), cooking);
        JsonNode second = harness.record("22", 2).path("data");
        assertThat(second.path("age").asText()).isEqualTo("41");
        assertThat(second.path("address").asText()).isEqualTo("Fő utca 1.");
        assertThat(harness.deadLetters()).isEmpty();
        assertThat(harness.inbox("22", "modify-records", "example.json")).doesNotExist();
    }

    @Test
    void dead_letters_exactly_the_malformed_unselectable_and_refused_elements() throws Exception {
        harness.startBridge(Map.of("batch.max-elements", "2", "projects.22.defaults.address", "Budapest"), true);

        harness.drop("22", "modify-records", "mixed.ndjson", """
                {"numberid":"1","form":{"city":"Eger"}}
                {"numberid":"2","form":{"city":"Győr"
                {"form":{"city":"Nowhere"}}
                {"numberid":"3","form":{"city":"Pécs","address":"Kossuth tér 2."}}
                {"numberid":"99999","form":{"city":"Ghost"}}
                {"search":{"name":"Nobody Atall"},"form":{"city":"Ghost"}}
                {"numberid":"4","form":{"city":"Sopron","shoe_size":"44"}}
                {"numberid":"5","form":{"city":"Vác"}}
                """);

        JsonNode report = harness.awaitReport("22", "modify-records", "mixed.ndjson");
        List<JsonNode> letters = harness.assertDeadLettered(List.of(2L, 3L, 5L, 6L, 7L), List.of(
                "error.malformed_json", "error.missing_numberid_or_search", "error.record_not_exists",
                "error.record_not_found", "error.field_not_exists"));
        JsonNode malformed = letters.get(0);
        assertThat(malformed.path("raw").asText()).isEqualTo("{\"numberid\":\"2\",\"form\":{\"city\":\"Győr\"");
        assertThat(malformed.path("httpStatus").asInt()).isZero();
        assertThat(malformed.path("attempts").asInt()).isZero();
        JsonNode refused = letters.get(2);
        assertThat(refused.path("element").path("numberid").asText()).isEqualTo("99999");
        assertThat(refused.path("errorCode").asInt()).isEqualTo(417);
        assertThat(refused.path("httpStatus").asInt()).isEqualTo(200);
        assertThat(refused.path("attempts").asInt()).isEqualTo(1);
        assertThat(refused.path("source").path("file").asText()).isEqualTo("22/modify-records/mixed.ndjson");
        assertThat(refused.path("projectid").asText()).isEqualTo("22");
        assertThat(refused.path("operation").asText()).isEqualTo("modify-records");
        assertThat(refused.toString()).doesNotContain("sandbox:sandbox").doesNotContain("Basic ");

        assertThat(harness.city("22", 1)).isEqualTo("Eger");
        assertThat(harness.record("22", 1).path("data").path("address").asText()).as("project default").isEqualTo("Budapest");
        assertThat(harness.record("22", 3).path("data").path("address").asText()).as("element wins").isEqualTo("Kossuth tér 2.");
        assertThat(harness.city("22", 5)).isEqualTo("Vác");
        assertThat(harness.city("22", 2)).isNotEqualTo("Győr");
        assertThat(report.path("elements").asLong()).isEqualTo(8);
        assertThat(report.path("accepted").asLong()).isEqualTo(3);
        assertThat(report.path("deadLettered").asLong()).isEqualTo(letters.size());
        assertThat(report.path("byError").path("error.record_not_exists").asLong()).isEqualTo(1);
    }

    @Test
    void a_csv_with_quoted_commas_newlines_bom_and_non_ascii_goes_through_intact() throws Exception {
        harness.startBridge(Map.of(), true);

        harness.drop("22", "modify-records", "people.csv", "\uFEFFnumberid,name,address,search.name\r\n"
                + "1,\"Kovács, Éva\",\"Fő utca 1.\r\n2. emelet\",\r\n"
                + ",,\"Rue \"\"Haute\"\", Genève\",Jane Doe\r\n");

        JsonNode report = harness.awaitReport("22", "modify-records", "people.csv");
        assertThat(report.path("accepted").asLong()).isEqualTo(2);
        JsonNode first = harness.record("22", 1).path("data");
        assertThat(first.path("name").asText()).isEqualTo("Kovács, Éva");
        assertThat(first.path("address").asText()).isEqualTo("Fő utca 1.\r\n2. emelet");
        JsonNode jane = StreamSupport.stream(List.of(2, 3, 4, 5).spliterator(), false)
                .map(id -> {
                    try {
                        return harness.record("22", id).path("data");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .filter(d -> d.path("name").asText().equals("Jane Doe")).findFirst().orElseThrow();
        assertThat(jane.path("address").asText()).isEqualTo("Rue \"Haute\", Genève");
    }

    @Test
    void a_file_that_cannot_be_read_goes_to_failed_with_its_reason() throws Exception {
        harness.startBridge(Map.of(), true);

        harness.drop("22", "modify-records", "broken.json", "{\"no_elements_here\":true}");

        Path reason = home.resolve("failed/22/modify-records/broken.json.reason.txt");
        await("reason in failed/").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(reason));
        assertThat(Files.readString(reason)).contains("elements");
        assertThat(home.resolve("failed/22/modify-records/broken.json")).exists();
        assertThat(harness.deadLetters()).isEmpty();
    }

    @Test
    void a_csv_with_two_columns_for_the_same_field_goes_to_failed_naming_both_and_nothing_is_sent() throws Exception {
        harness.startBridge(Map.of(), true);

        harness.drop("22", "modify-records", "both.csv", "numberid,city,form.city\n1,Pécs,Győr\n");

        Path reason = home.resolve("failed/22/modify-records/both.csv.reason.txt");
        await("reason in failed/").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(reason));
        assertThat(Files.readString(reason)).contains("'city' and 'form.city' both set form.city");
        assertThat(harness.requestsTo("PUT", "/v2/projects/22/records")).isZero();
        assertThat(harness.deadLetters()).isEmpty();
    }

    @Test
    void a_file_appended_to_while_it_is_read_sends_only_what_it_had_and_says_where_the_unread_part_begins() throws Exception {
        harness.startBridge(Map.of("batch.max-elements", "1", "batch.max-in-flight", "1"), true);
        harness.faults("{\"latency\":{\"requestMs\":300,\"path\":\"/v2/projects/22/records\",\"method\":\"PUT\"}}");
        StringBuilder picked = new StringBuilder();
        for (int i = 1; i <= 5; i++) {
            picked.append("{\"numberid\":\"").append(i).append("\",\"form\":{\"city\":\"Read").append(i).append("\"}}\n");
        }
        Path file = harness.drop("22", "modify-records", "growing.ndjson", picked.toString());
        long pickedUpLength = Files.size(file);
        await("the first batch is out").atMost(Duration.ofSeconds(30))
                .until(() -> harness.requestsTo("PUT", "/v2/projects/22/records") > 0);
        // the appended rows change records the file named already: sent, they would overwrite them
        Files.writeString(file, "{\"numberid\":\"1\",\"form\":{\"city\":\"Appended1\"}}\n"
                + "{\"numberid\":\"2\",\"form\":{\"city\":\"Appended2\"}}\n", java.nio.file.StandardOpenOption.APPEND);

        Path reason = home.resolve("failed/22/modify-records/growing.ndjson.reason.txt");
        await("reason in failed/").atMost(Duration.ofSeconds(45)).until(() -> Files.exists(reason));
        JsonNode report = BridgeHarness.JSON.readTree(home.resolve("failed/22/modify-records/growing.ndjson.report.json").toFile());
        assertThat(report.path("elements").asLong()).as("only the rows the file had when picked up").isEqualTo(5);
        assertThat(report.path("accepted").asLong()).isEqualTo(5);
        assertThat(harness.city("22", 1)).as("the appended rows were not sent").isEqualTo("Read1");
        assertThat(harness.city("22", 2)).isEqualTo("Read2");
        assertThat(harness.city("22", 5)).isEqualTo("Read5");
        assertThat(Files.readString(reason)).contains("grew while it was read", "lines 1 to 5",
                "appended after byte " + pickedUpLength + " were not read and nothing of them was sent");
    }

    @Test
    void a_file_rewritten_in_place_with_the_same_length_while_it_is_read_goes_to_failed_with_the_reason() throws Exception {
        harness.startBridge(Map.of("batch.max-elements", "1", "batch.max-in-flight", "1"), true);
        harness.faults("{\"latency\":{\"requestMs\":300,\"path\":\"/v2/projects/22/records\",\"method\":\"PUT\"}}");
        StringBuilder picked = new StringBuilder();
        StringBuilder rewritten = new StringBuilder();
        for (int i = 1; i <= 5; i++) {
            picked.append("{\"numberid\":\"").append(i).append("\",\"form\":{\"city\":\"Read").append(i).append("\"}}\n");
            rewritten.append("{\"numberid\":\"").append(i).append("\",\"form\":{\"city\":\"Redo").append(i).append("\"}}\n");
        }
        Path file = harness.drop("22", "modify-records", "rewritten.ndjson", picked.toString());
        await("the first batch is out").atMost(Duration.ofSeconds(30))
                .until(() -> harness.requestsTo("PUT", "/v2/projects/22/records") > 0);
        // rewritten in place (same file, same length, other content) while the bridge reads it
        Files.writeString(file, rewritten.toString());
        assertThat(Files.size(file)).isEqualTo(picked.length());

        Path reason = home.resolve("failed/22/modify-records/rewritten.ndjson.reason.txt");
        await("the file out of the inbox").atMost(Duration.ofSeconds(45)).until(() -> Files.exists(reason)
                || Files.exists(harness.done("22", "modify-records", "rewritten.ndjson")));
        assertThat(harness.done("22", "modify-records", "rewritten.ndjson")).as("not done: it changed while it was read")
                .doesNotExist();
        assertThat(Files.readString(reason)).contains("rewritten while it was read",
                "its first " + picked.length() + " bytes are no longer those it had when it was picked up");
        JsonNode report = BridgeHarness.JSON.readTree(home.resolve("failed/22/modify-records/rewritten.ndjson.report.json").toFile());
        assertThat(report.path("elements").asLong()).isEqualTo(5);
    }

    @Test
    void dead_letters_exactly_the_indices_the_server_refuses() throws Exception {
        harness.startBridge(Map.of("batch.max-elements", "3"), true);
        harness.faults("""
                {"elementErrors":[{"operation":"modify-records","index":1,"error":"error.injected_refusal"},
                                  {"operation":"modify-records","field":"city","value":"Refuse-Me","error":"error.city_refused"}]}""");

        harness.drop("22", "modify-records", "refusals.ndjson", """
                {"numberid":"1","form":{"city":"A1"}}
                {"numberid":"2","form":{"city":"B1"}}
                {"numberid":"3","form":{"city":"C1"}}
                {"numberid":"4","form":{"city":"Refuse-Me"}}
                {"numberid":"5","form":{"city":"E1"}}
                """);

        JsonNode report = harness.awaitReport("22", "modify-records", "refusals.ndjson");
        // batches: lines 1-3 (index 1 = line 2 refused), lines 4-5 (index 1 = line 5 refused; line 4 refused by value)
        harness.assertDeadLettered(List.of(2L, 4L, 5L),
                List.of("error.injected_refusal", "error.city_refused", "error.injected_refusal"));
        assertThat(report.path("accepted").asLong()).isEqualTo(2);
        assertThat(report.path("deadLettered").asLong()).isEqualTo(3);
        assertThat(harness.city("22", 1)).isEqualTo("A1");
        assertThat(harness.city("22", 3)).isEqualTo("C1");
        assertThat(harness.city("22", 2)).isNotEqualTo("B1");
    }

    @Test
    void a_file_is_not_moved_to_done_before_its_last_batch_is_answered() throws Exception {
        Bridge bridge = harness.startBridge(Map.of("batch.max-elements", "2"), true);
        harness.faults("{\"latency\":{\"requestMs\":1500,\"path\":\"/v2/projects/22/records\"}}");

        harness.drop("22", "modify-records", "slow.ndjson", """
                {"numberid":"1","form":{"city":"S1"}}
                {"numberid":"2","form":{"city":"S2"}}
                {"numberid":"3","form":{"city":"S3"}}
                """);

        await("a batch in flight").atMost(Duration.ofSeconds(10))
                .until(() -> bridge.context().getInflightRepository().size("call-dialer") > 0);
        assertThat(harness.inbox("22", "modify-records", "slow.ndjson")).exists();
        assertThat(harness.done("22", "modify-records", "slow.ndjson")).doesNotExist();

        JsonNode report = harness.awaitReport("22", "modify-records", "slow.ndjson");
        java.time.Instant finished = java.time.Instant.parse(report.path("finished").asText());
        List<JsonNode> puts = harness.requests().stream().filter(r -> r.path("method").asText().equals("PUT")).toList();
        assertThat(puts).hasSize(2);
        for (JsonNode put : puts) {
            java.time.Instant answered = java.time.Instant.parse(put.path("time").asText())
                    .plusMillis(put.path("durationMs").asLong());
            assertThat(answered).isBeforeOrEqualTo(finished);
        }
        assertThat(report.path("accepted").asLong()).isEqualTo(3);
    }
}
