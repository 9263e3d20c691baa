package io.dialerbridge.batch;

import io.dialerbridge.element.Element;
import io.dialerbridge.mapping.FieldMapping;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.source.PolledRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** kafka.format=debezium: change events in the shapes Debezium's JSON converter writes, with and without schemas. */
class DebeziumPollTest {

    private static final String TOPIC = "crm.public.customers";
    private static final String ROW_1 = "{\"numberid\":\"1\",\"form\":{\"city\":\"Vác\"}}";
    private static final String SOURCE = "{\"version\":\"2.7.0.Final\",\"connector\":\"postgresql\",\"name\":\"crm\","
            + "\"ts_ms\":1733140000000,\"db\":\"crm\",\"schema\":\"public\",\"table\":\"customers\",\"lsn\":24023128}";
    private static final String SCHEMA = "{\"type\":\"struct\",\"fields\":[{\"type\":\"struct\",\"fields\":[],"
            + "\"optional\":true,\"field\":\"before\"},{\"type\":\"struct\",\"fields\":[],\"optional\":true,\"field\":\"after\"},"
            + "{\"type\":\"string\",\"optional\":false,\"field\":\"op\"}],\"optional\":false,\"name\":\"crm.public.customers.Envelope\"}";

    private static String event(String op, String before, String after) {
        return "{\"before\":" + before + ",\"after\":" + after + ",\"source\":" + SOURCE + ",\"op\":\"" + op
                + "\",\"ts_ms\":1733140000123,\"transaction\":null}";
    }

    private static String withSchema(String payload) {
        return "{\"schema\":" + SCHEMA + ",\"payload\":" + payload + "}";
    }

    private static PollBatcher batcher(boolean deadLetterDeletes) {
        return new PollBatcher(Map.of(TOPIC, Operation.MODIFY_RECORDS), 10,
                new PollBatcher.KafkaFormat(true, deadLetterDeletes, "22"), FieldMapping.NONE);
    }

    private static PolledRecord record(long offset, String value) {
        return new PolledRecord(TOPIC, 0, offset, value, null);
    }

    @Test
    void creates_updates_and_snapshot_reads_send_the_after_row_with_and_without_schemas() {
        PollBatcher batcher = batcher(false);
        List<Element> elements = List.of(
                batcher.element(record(0, event("r", "null", ROW_1))),
                batcher.element(record(1, withSchema(event("c", "null", "{\"numberid\":\"2\",\"form\":{\"city\":\"Eger\"}}")))),
                batcher.element(record(2, event("u", ROW_1, "{\"numberid\":\"1\",\"form\":{\"city\":\"Győr\"}}"))));

        assertThat(elements).allMatch(Element::isValid);
        assertThat(elements).extracting(Element::projectId).containsOnly("22");
        assertThat(elements).extracting(e -> e.body().toString()).containsExactly(ROW_1,
                "{\"numberid\":\"2\",\"form\":{\"city\":\"Eger\"}}", "{\"numberid\":\"1\",\"form\":{\"city\":\"Győr\"}}");
        assertThat(elements.get(1).raw()).startsWith("{\"schema\":");
    }

    @Test
    void with_deletes_skipped_deletes_and_tombstones_are_ignored_and_each_counted_once_by_reason() {
        List<String> reasons = new java.util.ArrayList<>();
        PollBatcher batcher = batcher(false).reportingIgnored(ignored -> reasons.add(ignored.reason() + "@"
                + ignored.source().offset() + " " + ignored.projectId()));
        List<List<Work>> waves = batcher.waves(List.of(
                record(0, event("c", "null", ROW_1)),
                record(1, event("d", ROW_1, "null")),
                record(2, null),
                record(3, withSchema(event("d", ROW_1, "null"))),
                record(4, withSchema("null"))));

        assertThat(batcher.deletesSkipped()).isEqualTo(2);
        assertThat(batcher.tombstonesIgnored()).isEqualTo(2);
        assertThat(reasons).containsExactly("delete@1 22", "tombstone@2 22", "delete@3 22", "tombstone@4 22");
        assertThat(waves).hasSize(1);
        assertThat(waves.get(0)).singleElement().isInstanceOf(Batch.class);
        assertThat(((Batch) waves.get(0).get(0)).elements()).extracting(e -> e.body().toString()).containsExactly(ROW_1);
    }

    @Test
    void deletes_are_dead_lettered_saying_the_dialer_has_no_delete_and_tombstones_are_ignored() {
        List<String> reasons = new java.util.ArrayList<>();
        PollBatcher batcher = batcher(true).reportingIgnored(ignored -> reasons.add(ignored.reason()));
        Element delete = batcher.element(record(0, event("d", ROW_1, "null")));
        Element tombstone = batcher.element(record(1, null));
        List<Element> others = List.of(
                batcher.element(record(2, "{\"op\":\"t\",\"source\":" + SOURCE + "}")),
                batcher.element(record(3, ROW_1)),
                batcher.element(record(4, event("c", "null", "null"))));

        assertThat(delete.rejection().error()).isEqualTo("error.delete_event");
        assertThat(delete.rejection().message()).contains("the dialer API has no delete").contains(TOPIC + "-0 offset 0");
        assertThat(delete.raw()).contains("\"op\":\"d\"");
        assertThat(delete.source().offset()).isZero();
        assertThat(tombstone).isNull();
        assertThat(reasons).containsExactly("tombstone");
        assertThat(others).extracting(e -> e.rejection().error()).containsOnly("error.not_a_change_event");
        assertThat(batcher.deletesSkipped()).isZero();
        assertThat(batcher.tombstonesIgnored()).isEqualTo(1);
    }

    @Test
    void a_row_that_is_invalid_is_dead_lettered_with_the_whole_event_kept() {
        Element element = batcher(false).element(record(0, withSchema(event("c", "null", "{\"form\":{\"city\":\"Pécs\"}}"))));

        assertThat(element.rejection().error()).isEqualTo("error.missing_numberid_or_search");
        assertThat(element.raw()).startsWith("{\"schema\":").contains("\"op\":\"c\"");
    }
}
