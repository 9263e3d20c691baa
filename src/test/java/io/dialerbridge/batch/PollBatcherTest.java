package io.dialerbridge.batch;

import io.dialerbridge.element.Element;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.source.PolledRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PollBatcherTest {

    private static final String TOPIC = "dialer.modify-records";

    private final PollBatcher batcher = new PollBatcher(Map.of(TOPIC, Operation.MODIFY_RECORDS), 3);

    private static PolledRecord record(long offset, String value) {
        return new PolledRecord(TOPIC, 0, offset, value, null);
    }

    private static List<Element> elementsOf(Work work) {
        return ((Batch) work).elements();
    }

    private Element only(String value) {
        List<List<Work>> waves = batcher.waves(List.of(record(0, value)));
        Work work = waves.get(0).get(0);
        return work instanceof Rejected rejected ? rejected.element() : elementsOf(work).get(0);
    }

    @Test
    void a_value_with_content_after_its_object_is_malformed_json() {
        for (String after : List.of("{\"b\":2}", ",", " // comment", "]", " garbage")) {
            String value = "{\"projectid\":22,\"numberid\":\"1\",\"form\":{\"city\":\"A\"}}" + after;
            Element element = only(value);
            assertThat(element.rejection()).as(value).isNotNull();
            assertThat(element.rejection().error()).isEqualTo("error.malformed_json");
            assertThat(element.raw()).isEqualTo(value);
        }
    }

    @Test
    void a_value_with_a_key_twice_is_malformed_json_naming_the_key() {
        Element element = only("{\"projectid\":22,\"numberid\":\"1\",\"numberid\":\"2\",\"form\":{\"city\":\"A\"}}");
        assertThat(element.rejection().error()).isEqualTo("error.malformed_json");
        assertThat(element.rejection().message()).contains("'numberid'");
        Element nested = only("{\"projectid\":22,\"numberid\":\"1\",\"form\":{\"city\":\"A\",\"city\":\"B\"}}");
        assertThat(nested.rejection().message()).contains("'city'");
    }

    @Test
    void a_value_starting_with_a_byte_order_mark_is_read_without_it() {
        Element element = only("\uFEFF{\"projectid\":22,\"numberid\":\"1\",\"form\":{\"city\":\"A\"}}");
        assertThat(element.isValid()).isTrue();
        assertThat(element.body().path("form").path("city").asText()).isEqualTo("A");
    }

    @Test
    void a_decimal_in_a_value_keeps_its_digits() throws Exception {
        Element element = only("{\"projectid\":22,\"numberid\":\"1\",\"form\":{\"price\":10.00,\"big\":1E400}}");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(element.body().get("form")))
                .isEqualTo("{\"price\":10.00,\"big\":1E+400}");
    }

    @Test
    void groups_valid_elements_by_project_and_rejects_the_rest_with_their_offsets() {
        List<List<Work>> waves = batcher.waves(List.of(
                record(0, "{\"projectid\":22,\"numberid\":\"1\",\"form\":{\"city\":\"A\"}}"),
                record(1, "{\"projectid\":22,\"numberid\":\"2\",\"form\":{\"city\":"),
                record(2, "{\"projectid\":23,\"numberid\":\"1\",\"form\":{\"city\":\"B\"}}"),
                record(3, "{\"numberid\":\"3\",\"form\":{\"city\":\"C\"}}"),
                record(4, "[1,2]"),
                record(5, "  "),
                record(6, "{\"projectid\":22,\"form\":{\"city\":\"D\"}}"),
                new PolledRecord(TOPIC, 1, 7, "{\"numberid\":\"4\",\"form\":{\"city\":\"E\"}}", "22")));

        assertThat(waves).hasSize(1);
        List<Work> work = waves.get(0);
        List<Element> rejected = work.stream().filter(Rejected.class::isInstance).map(r -> ((Rejected) r).element()).toList();
        assertThat(rejected).extracting(Element::id).containsExactly(TOPIC + "/0@1", TOPIC + "/0@3", TOPIC + "/0@4",
                TOPIC + "/0@5", TOPIC + "/0@6");
        assertThat(rejected).extracting(e -> e.rejection().error()).containsExactly("error.malformed_json",
                "error.missing_projectid", "error.malformed_element", "error.malformed_json",
                "error.missing_numberid_or_search");
        assertThat(rejected.get(0).raw()).isEqualTo("{\"projectid\":22,\"numberid\":\"2\",\"form\":{\"city\":");
        List<Batch> batches = work.stream().filter(Batch.class::isInstance).map(Batch.class::cast).toList();
        assertThat(batches).extracting(Batch::projectId).containsExactly("22", "23");
        assertThat(batches.get(0).elements()).extracting(Element::id).containsExactly(TOPIC + "/0@0", TOPIC + "/1@7");
    }

    @Test
    void a_tombstone_is_ignored_and_counted_not_dead_lettered_in_the_element_format() {
        List<String> ignored = new ArrayList<>();
        PollBatcher counting = new PollBatcher(Map.of(TOPIC, Operation.MODIFY_RECORDS), 3).reportingIgnored(i -> ignored.add(
                i.reason() + "@" + i.source().offset() + " " + i.projectId()));
        List<List<Work>> waves = counting.waves(List.of(
                record(0, "{\"projectid\":22,\"numberid\":\"1\",\"form\":{\"city\":\"A\"}}"),
                new PolledRecord(TOPIC, 0, 1, (String) null, "22"),
                record(2, "{\"projectid\":22,\"numberid\":\"2\",\"form\":{\"city\":\"B\"}}")));

        assertThat(ignored).containsExactly("tombstone@1 22");
        assertThat(counting.tombstonesIgnored()).isEqualTo(1);
        assertThat(waves).hasSize(1);
        assertThat(waves.get(0)).as("no rejected work: nothing dead-lettered").singleElement().isInstanceOf(Batch.class);
        assertThat(elementsOf(waves.get(0).get(0))).extracting(Element::id).containsExactly(TOPIC + "/0@0", TOPIC + "/0@2");
    }

    @Test
    void two_updates_of_one_record_never_share_a_batch_and_go_in_successive_waves_in_offset_order() {
        // a batch's elements may be bisected or re-sent independently, so one record's two changes
        // in one batch could be applied out of order: the later one waits for the next wave
        List<List<Work>> waves = batcher.waves(List.of(
                record(0, "{\"projectid\":22,\"numberid\":\"1\",\"form\":{\"city\":\"old\"}}"),
                record(1, "{\"projectid\":22,\"numberid\":\"1\",\"form\":{\"city\":\"new\"}}")));
        assertThat(waves).hasSize(2);
        assertThat(elementsOf(waves.get(0).get(0))).extracting(e -> e.body().path("form").path("city").asText())
                .containsExactly("old");
        assertThat(elementsOf(waves.get(1).get(0))).extracting(e -> e.body().path("form").path("city").asText())
                .containsExactly("new");
    }

    @Test
    void a_later_update_that_cannot_share_the_batch_waits_for_a_later_wave() {
        List<PolledRecord> records = new ArrayList<>();
        records.add(record(0, "{\"projectid\":22,\"numberid\":\"1\",\"form\":{\"city\":\"v1\"}}"));
        records.add(record(1, "{\"projectid\":22,\"numberid\":\"2\",\"form\":{\"city\":\"x\"}}"));
        records.add(record(2, "{\"projectid\":22,\"numberid\":\"3\",\"form\":{\"city\":\"x\"}}"));
        records.add(record(3, "{\"projectid\":22,\"numberid\":\"4\",\"form\":{\"city\":\"x\"}}"));
        records.add(record(4, "{\"projectid\":22,\"numberid\":\"1\",\"form\":{\"city\":\"v2\"}}"));
        records.add(record(5, "{\"projectid\":22,\"numberid\":\"1\",\"default\":{\"age\":\"9\"},\"form\":{\"city\":\"v3\"}}"));

        List<List<Work>> waves = batcher.waves(records);

        assertThat(waves).hasSize(3);
        assertThat(waves.get(0)).hasSize(2); // offsets 0-2 (full), then 3: numberid 1 is in a full batch
        assertThat(elementsOf(waves.get(0).get(0))).extracting(Element::id)
                .containsExactly(TOPIC + "/0@0", TOPIC + "/0@1", TOPIC + "/0@2");
        assertThat(elementsOf(waves.get(1).get(0))).extracting(Element::id).containsExactly(TOPIC + "/0@4");
        Batch withDefault = (Batch) waves.get(2).get(0);
        assertThat(withDefault.elements()).extracting(Element::id).containsExactly(TOPIC + "/0@5");
        assertThat(withDefault.defaults().path("age").asText()).isEqualTo("9");
    }
}
