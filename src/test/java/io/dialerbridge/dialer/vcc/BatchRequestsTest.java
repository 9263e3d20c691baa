package io.dialerbridge.dialer.vcc;

import io.dialerbridge.batch.Batch;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.operation.ModifyRecordsRules;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.operation.ProjectDefaults;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BatchRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void fills_in_project_defaults_overlaid_by_the_source_default_and_sends_only_api_keys() throws Exception {
        ProjectDefaults defaults = ProjectDefaults.fromProperties(Map.of(
                "projects.22.defaults.address", "Budapest",
                "projects.22.defaults.city", "Debrecen",
                "projects.7.defaults.city", "Pécs",
                "batch.max-elements", "500"));
        ObjectNode element = (ObjectNode) JSON.readTree(
                "{\"projectid\":22,\"numberid\":4,\"form\":{\"name\":\"Ann\"},\"note\":\"ours\"}");
        ObjectNode sourceDefault = (ObjectNode) JSON.readTree("{\"city\":\"Szeged\"}");
        Batch batch = new Batch("22", Operation.MODIFY_RECORDS, sourceDefault, List.of(new Element("id", "22",
                Operation.MODIFY_RECORDS, element, null, SourceRef.fileLine("f", 1), sourceDefault, null)));

        BatchRequests requests = new BatchRequests(defaults);
        JsonNode body = JSON.readTree(requests.body(batch));

        assertThat(requests.path(batch)).isEqualTo("/projects/22/records");
        assertThat(body).isEqualTo(JSON.readTree("""
                {"elements":[{"numberid":"4","form":{"name":"Ann"}}],
                 "default":{"address":"Budapest","city":"Szeged"}}"""));
    }

    @Test
    void a_decimal_is_written_to_the_dialer_with_the_digits_it_was_read_with() throws Exception {
        ObjectNode element = (ObjectNode) io.dialerbridge.source.StrictJson.read(
                "{\"numberid\":\"4\",\"form\":{\"price\":10.00,\"big\":1E400,\"long\":12345678901234567890.5}}");
        Batch batch = new Batch("22", Operation.MODIFY_RECORDS, null, List.of(new Element("id", "22",
                Operation.MODIFY_RECORDS, element, null, SourceRef.fileLine("f", 1), null, null)));

        String body = new String(new BatchRequests(ProjectDefaults.fromProperties(Map.of())).body(batch),
                java.nio.charset.StandardCharsets.UTF_8);

        assertThat(body).contains("{\"price\":10.00,\"big\":1E+400,\"long\":12345678901234567890.5}");
    }

    @Test
    void modify_records_needs_exactly_one_selector_and_a_form() throws Exception {
        ModifyRecordsRules rules = new ModifyRecordsRules();
        assertThat(rules.validate((ObjectNode) JSON.readTree("{\"numberid\":\"1\",\"form\":{\"a\":\"b\"}}"))).isNull();
        assertThat(rules.validate((ObjectNode) JSON.readTree("{\"search\":{\"a\":\"b\"},\"form\":{\"a\":\"b\"}}"))).isNull();
        assertThat(rules.validate((ObjectNode) JSON.readTree("{\"form\":{\"a\":\"b\"}}")).error())
                .isEqualTo("error.missing_numberid_or_search");
        assertThat(rules.validate((ObjectNode) JSON.readTree("{\"numberid\":\" \",\"form\":{\"a\":\"b\"}}")).error())
                .isEqualTo("error.missing_numberid_or_search");
        assertThat(rules.validate((ObjectNode) JSON.readTree("{\"numberid\":\"1\",\"search\":{\"a\":\"b\"},\"form\":{\"a\":\"b\"}}")).error())
                .isEqualTo("error.ambiguous_selector");
        assertThat(rules.validate((ObjectNode) JSON.readTree("{\"numberid\":\"1\"}")).error())
                .isEqualTo("error.missing_form");
    }
}
