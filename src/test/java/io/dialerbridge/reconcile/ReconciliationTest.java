package io.dialerbridge.reconcile;

import io.dialerbridge.fields.ProjectFields;
import io.dialerbridge.mapping.FieldMapping;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.reconcile.Reconciliation.Difference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ReconciliationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static final ProjectFields FIELDS;

    static {
        try {
            FIELDS = ProjectFields.of(json("""
                    {"fields":[{"name":"city","type":"text","values":[]},
                     {"name":"segment","type":"simple","values":[{"valueid":10,"name":"gold","label":"Gold"},{"valueid":11,"name":"silver","label":"Silver"}]},
                     {"name":"likes","type":"multiple","values":[{"valueid":1,"name":"sports","label":"Sports"},{"valueid":2,"name":"music","label":"Music"}]}]}
                    """));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Test
    void choice_values_are_compared_by_their_ids_and_reported_as_text() {
        assertThat(FIELDS.matches("segment", "Gold", "10")).isTrue();
        assertThat(FIELDS.matches("segment", "10", "10")).isTrue();
        assertThat(FIELDS.matches("segment", "silver", "10")).isFalse();
        assertThat(FIELDS.matches("likes", "music | sports", "1|2")).isTrue();
        assertThat(FIELDS.matches("likes", "music", "1|2")).isFalse();
        assertThat(FIELDS.matches("likes", "chess", "1")).isFalse();
        assertThat(FIELDS.asText("likes", "2|1")).isEqualTo("music|sports");
        assertThat(FIELDS.asText("segment", "11")).isEqualTo("silver");
    }

    @Test
    void text_is_compared_exactly_and_a_field_the_project_lacks_never_matches() {
        assertThat(FIELDS.matches("city", "Tata", "Tata")).isTrue();
        assertThat(FIELDS.matches("city", "Tata", "tata")).isFalse();
        assertThat(FIELDS.matches("colour", "red", null)).isFalse();
        assertThat(FIELDS.matches("city", "Tata", null)).isFalse();
    }

    @Test
    void the_last_change_of_a_record_wins_over_defaults_and_earlier_changes() throws Exception {
        Path file = Files.writeString(dir.resolve("in.ndjson"), """
                {"numberid":"1","form":{"city":"Tata","likes":["music","sports"]}}
                {"search":{"name":"Jane"},"form":{"city":"Zirc"}}
                {"form":{"city":"Nowhere"}}
                not json
                {"numberid":"2","form":{"segment":"gold"}}
                {"numberid":"1","form":{"city":"Eger"}}
                """);
        ObjectNode defaults = (ObjectNode) json("{\"address\":\"Budapest\"}");

        SentRecords sent = SentRecords.read(List.of(file), "22", defaults, Integer.MAX_VALUE, new Random(1));

        assertThat(sent.records()).isEqualTo(Map.of(
                "1", Map.of("address", "Budapest", "city", "Eger", "likes", "music|sports"),
                "2", Map.of("address", "Budapest", "segment", "gold")));
        assertThat(sent.distinct()).isEqualTo(2);
        assertThat(sent.notCheckable()).as("search").isEqualTo(1);
        assertThat(sent.notSent()).as("no selector, malformed: refused before sending").isEqualTo(2);
    }

    @Test
    void elements_the_field_check_refuses_were_never_sent_so_they_are_counted_apart_not_compared() throws Exception {
        Path file = Files.writeString(dir.resolve("in.ndjson"), """
                {"numberid":"1","form":{"city":"Tata"}}
                {"numberid":"1","form":{"colour":"red"}}
                {"numberid":"2","form":{"colour":"blue","city":"Eger"}}
                {"search":{"city":"Tata"},"form":{"segment":"gold"}}
                """);
        Path csv = Files.writeString(dir.resolve("in.csv"), "numberid,colour\n3,green\n4,pink\n");
        SentRecords.Preflight check = FieldCheckPreflight.of(true, "allow", FIELDS, "22", FieldMapping.NONE);

        SentRecords sent = SentRecords.read(List.of(file, csv), "22", null, Integer.MAX_VALUE, new Random(1), check);

        assertThat(sent.records()).isEqualTo(Map.of("1", Map.of("city", "Tata")));
        assertThat(sent.distinct()).isEqualTo(1);
        assertThat(sent.notCheckable()).as("search").isEqualTo(1);
        assertThat(sent.notSent()).as("two refused elements, and the two rows of a CSV refused as a whole").isEqualTo(4);

        Reconciliation.Result result = Reconciliation.compare(sent, FIELDS, numberid -> {
            try {
                return json("{\"city\":\"Tata\"}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(result.inStep()).isTrue();
        assertThat(result.toString()).isEqualTo("checked: 1 of 1 records, matching: 1, drifted: 0, missing: 0, "
                + "not checkable: 1, not sent: 4 (refused before sending, so not compared: see the dead-letter output or failed/)");

        SentRecords unchecked = SentRecords.read(List.of(file), "22", null, Integer.MAX_VALUE, new Random(1),
                FieldCheckPreflight.of(false, "allow", FIELDS, "22", FieldMapping.NONE));
        assertThat(unchecked.notSent()).as("fields.check=false: the bridge sends them").isZero();
    }

    @Test
    void a_sample_holds_that_many_distinct_records_of_the_files() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            lines.append("{\"numberid\":\"").append(i % 250).append("\",\"form\":{\"city\":\"c").append(i).append("\"}}\n");
        }
        Path file = Files.writeString(dir.resolve("many.ndjson"), lines);

        SentRecords sent = SentRecords.read(List.of(file), "22", null, 20, new Random(7));

        assertThat(sent.distinct()).isEqualTo(250);
        assertThat(sent.records()).hasSize(20).allSatisfy((numberid, values) ->
                assertThat(values).containsEntry("city", "c" + (Integer.parseInt(numberid) + 250)));
    }

    @Test
    void counts_matching_drifted_and_missing_records_and_lists_every_difference() throws Exception {
        SentRecords sent = new SentRecords(Map.of(
                "1", Map.of("city", "Tata", "likes", "music|sports"),
                "2", Map.of("city", "Eger", "segment", "gold"),
                "3", Map.of("city", "Pecs")), 3, 4, 0);
        Map<String, JsonNode> dialer = Map.of(
                "1", json("{\"city\":\"Tata\",\"likes\":\"1|2\"}"),
                "2", json("{\"city\":\"Changed\",\"segment\":\"11\"}"));

        Reconciliation.Result result = Reconciliation.compare(sent, FIELDS, dialer::get);

        assertThat(result.toString()).isEqualTo("checked: 3 of 3 records, matching: 1, drifted: 1, missing: 1, not checkable: 4, not sent: 0");
        assertThat(result.inStep()).isFalse();
        assertThat(result.differences()).containsExactlyInAnyOrder(
                new Difference("2", "city", "Eger", "Changed"),
                new Difference("2", "segment", "gold", "silver"),
                new Difference("3", null, null, null));

        Path report = DifferenceReport.write(dir.resolve("reports"), "22", Instant.parse("2026-12-02T12:00:00Z"),
                result.differences());
        assertThat(report.getFileName().toString()).isEqualTo("reconcile-22-20261202T120000.000Z.ndjson");
        assertThat(Files.readAllLines(report)).hasSize(3).contains("{\"numberid\":\"3\",\"missing\":true}");
    }
}
