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
    void deletes_and_tombstones_are_counted_and_skipped_by_default() {
        PollBatcher batcher = batcher(false);
        List<List<Work>> waves = batcher.waves(List.of(
                record(0, event("c", "null", ROW_1)),
                record(1, event("d", ROW_1, "null")),
                record(2, null),
                record(3, withSchema(event("d", ROW_1, "null")))));

        assertThat(batcher.deletesSkipped()).isEqualTo(3);
        assertThat(waves).hasSize(1);
        assertThat(waves.get(0)).singleElement().isInstanceOf(Batch.class);
        assertThat(((Batch) waves.get(0).get(0)).elements()).extracting(e -> e.body().toString()).containsExactly(ROW_1);
    }

    @Test
    void deletes_are_dead_lettered_when_configured_and_other_values_are_refused() {
        PollBatcher batcher = batcher(true);
        List<Element> elements = List.of(
                batcher.element(record(0, event("d", ROW_1, "null"))),
                batcher.element(record(1, null)),
                batcher.element(record(2, "{\"op\":\"t\",\"source\":" + SOURCE + "}")),
                batcher.element(record(3, ROW_1)),
                batcher.element(record(4, event("c", "null", "null"))));

        assertThat(elements).extracting(e -> e.rejection().error()).containsExactly("error.delete_event",
                "error.delete_event", "error.not_a_change_event", "error.not_a_change_event", "error.not_a_change_event");
        assertThat(elements.get(0).raw()).contains("\"op\":\"d\"");
        assertThat(batcher.deletesSkipped()).isZero();
    }

    @Test
    void a_row_that_is_invalid_is_dead_lettered_with_the_whole_event_kept() {
        Element element = batcher(false).element(record(0, withSchema(event("c", "null", "{\"form\":{\"city\":\"Pécs\"}}"))));

        assertThat(element.rejection().error()).isEqualTo("error.missing_numberid_or_search");
        assertThat(element.raw()).startsWith("{\"schema\":").contains("\"op\":\"c\"");
    }
}
