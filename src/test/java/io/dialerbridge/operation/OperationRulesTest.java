package io.dialerbridge.operation;

import io.dialerbridge.batch.Batch;
import io.dialerbridge.batch.BatchOutcome;
import io.dialerbridge.dialer.vcc.AddRecordsJournal;
import io.dialerbridge.dialer.vcc.BatchRequests;
import io.dialerbridge.dialer.vcc.SingleCall;
import io.dialerbridge.dialer.vcc.SingleCalls;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.output.Results;
import io.dialerbridge.policy.TransientElementRetries;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-operation pieces, without Camel: validation, wire form, request building, retries, journal. */
class OperationRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    private static String error(OperationRules rules, String element) throws Exception {
        Rejection why = rules.validate(json(element));
        return why == null ? null : why.error();
    }

    @Test
    void a_field_value_that_is_an_object_or_a_list_is_refused_naming_its_path() throws Exception {
        ModifyRecordsRules modify = new ModifyRecordsRules();
        assertThat(error(modify, "{\"numberid\":\"1\",\"form\":{\"city\":\"Eger\",\"age\":41,\"vip\":true,\"note\":null}}"))
                .isNull();
        assertThat(error(modify, "{\"numberid\":\"1\",\"form\":{\"likes\":[\"music\",2]}}"))
                .as("a list of choices, by text or valueid").isNull();
        Rejection nested = modify.validate(json("{\"numberid\":\"1\",\"form\":{\"city\":{\"name\":\"Eger\"},\"likes\":[\"a\",{\"b\":1}]}}"));
        assertThat(nested.error()).isEqualTo("error.wrong_field_value");
        assertThat(nested.message()).contains("form.city.name", "form.likes", "never an object");
        assertThat(error(modify, "{\"search\":{\"name\":{\"first\":\"Jane\"}},\"form\":{\"city\":\"Eger\"}}"))
                .isEqualTo("error.wrong_field_value");
        AddRecordsRules add = new AddRecordsRules();
        assertThat(error(add, "{\"form\":{\"name\":\"Jane\",\"likes\":[[\"a\"]]}}")).isEqualTo("error.wrong_field_value");
        assertThat(error(add, "{\"form\":{\"name\":\"Jane\",\"likes\":\"a|b\"}}")).isNull();
    }

    @Test
    void modify_dispositions_checks_selector_search_keys_and_a_real_next_calldate() throws Exception {
        ModifyDispositionsRules rules = new ModifyDispositionsRules();
        assertThat(error(rules, "{\"numberid\":\"1\",\"dispositionid\":2,\"next_calldate\":\"2030-02-28 23:59:59\"}")).isNull();
        assertThat(error(rules, "{\"search\":[{\"act_status\":\"3\"},{\"pref_userid\":7}]}")).isNull();
        assertThat(error(rules, "{\"numberid\":\"1\",\"next_calldate\":\"2030-02-30 10:00:00\"}")).isEqualTo("error.wrong_date_format");
        assertThat(error(rules, "{\"numberid\":\"1\",\"next_calldate\":\"2030-02-01\"}")).isEqualTo("error.wrong_date_format");
        assertThat(error(rules, "{\"numberid\":\"1\",\"next_calldate\":\"2030-02-01 24:00:00\"}")).isEqualTo("error.wrong_date_format");
        assertThat(error(rules, "{\"dispositionid\":1}")).isEqualTo("error.missing_numberid_or_search");
        assertThat(error(rules, "{\"numberid\":1,\"search\":{\"act_status\":1}}")).isEqualTo("error.ambiguous_selector");
        assertThat(error(rules, "{\"search\":{\"city\":\"Eger\"}}")).isEqualTo("error.wrong_search_key");
        assertThat(error(rules, "{\"numberid\":\"x\"}")).isEqualTo("error.wrong_numberid");
        assertThat(error(rules, "{\"numberid\":1,\"dispositionid\":\"sale\"}")).isEqualTo("error.wrong_dispositionid");
        assertThat(error(rules, "{\"numberid\":1,\"sendDispositionMessages\":\"maybe\"}"))
                .isEqualTo("error.wrong_send_disposition_messages");
        assertThat(rules.validate(json("{\"numberid\":1}"), json("{\"next_calldate\":\"2030-13-01 00:00:00\"}")).error())
                .isEqualTo("error.wrong_date_format");
        assertThat(rules.isTransient("error.record_in_call")).isTrue();
        assertThat(rules.isTransient("error.record_not_exists")).isFalse();
    }

    @Test
    void modify_dispositions_wire_form_turns_csv_text_into_api_types_and_numbered_searches_into_an_array() throws Exception {
        ObjectNode wire = new ModifyDispositionsRules().toWire(json("""
                {"search":{"0":{"act_status":"3"},"1":{"pref_userid":"8"}},"dispositionid":"1","userid":"7",
                 "sendDispositionMessages":"true","description":"d","note":"not for the API"}"""));
        assertThat(wire).isEqualTo(JSON.readTree("""
                {"search":[{"act_status":"3"},{"pref_userid":"8"}],"dispositionid":1,"userid":7,
                 "description":"d","sendDispositionMessages":true}"""));
    }

    @Test
    void modify_dispositions_batch_request_has_its_path_defaults_and_avoid_in_call() throws Exception {
        ProjectDefaults defaults = ProjectDefaults.fromProperties(Map.of("projects.22.disposition.dispositionid", "1",
                "projects.22.disposition.description", "bridge", "projects.22.avoid-in-call", "true"));
        Element element = new Element("f:1", "22", Operation.MODIFY_DISPOSITIONS, json("{\"numberid\":\"4\"}"), null,
                SourceRef.fileLine("f", 1), json("{\"description\":\"from the file\"}"), null);
        Batch batch = new Batch("22", Operation.MODIFY_DISPOSITIONS, element.defaults(), List.of(element));
        BatchRequests requests = new BatchRequests(defaults);
        assertThat(requests.path(batch)).isEqualTo("/projects/22/records/dispositions");
        assertThat(JSON.readTree(requests.body(batch))).isEqualTo(JSON.readTree("""
                {"elements":[{"numberid":"4"}],"disposition":{"dispositionid":1,"description":"from the file"},
                 "avoid_in_call":true}"""));
        assertThat(ModifyDispositionsRules.checkDefaults(json("{\"next_calldate\":\"tomorrow\"}")).error())
                .isEqualTo("error.wrong_date_format");
    }

    @Test
    void add_records_checks_contacts_phone_email_phone_field_and_premium() throws Exception {
        AddRecordsRules rules = new AddRecordsRules();
        assertThat(error(rules, """
                {"form":{"name":"A"},"contacts":{"1":{"phone":"+36","email":"a@b.hu"}},"disposition":{"dispositionid":"1",
                 "next_calldate":"2030-01-01 00:00:00"},"phone_field":"phone1","premium":{"price":"9.5"}}""")).isNull();
        assertThat(error(rules, "{\"contacts\":{\"1\":{\"phone\":\"+36\"}}}")).isEqualTo("error.missing_form");
        assertThat(error(rules, "{\"form\":{\"a\":1},\"contacts\":{\"1\":{\"name\":\"x\"}}}")).isEqualTo("error.missing_phone");
        assertThat(error(rules, "{\"form\":{\"a\":1},\"contacts\":{\"1\":{\"phone\":\"1\",\"email\":\"x@\"}}}"))
                .isEqualTo("error.wrong_email_format");
        assertThat(error(rules, "{\"form\":{\"a\":1},\"contacts\":{\"10\":{\"phone\":\"1\"}}}")).isEqualTo("error.contact_not_exists");
        assertThat(error(rules, "{\"form\":{\"a\":1},\"phone_field\":\"phone0\"}")).isEqualTo("error.wrong_phone_field");
        assertThat(error(rules, "{\"form\":{\"a\":1},\"premium\":{\"price\":\"cheap\"}}")).isEqualTo("error.wrong_premium");
        assertThat(error(rules, "{\"form\":{\"a\":1},\"disposition\":{\"next_calldate\":\"2030-1-1\"}}"))
                .isEqualTo("error.wrong_date_format");
        OperationRules.SingleRequest request = rules.singleRequest("22", json("""
                {"form":{"name":"A"},"contacts":{"1":{"phone":"+36"}},"premium":{"price":"9.5"},"disposition":{"dispositionid":"2"}}"""));
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/projects/22/records");
        assertThat(request.body()).isEqualTo(JSON.readTree("""
                {"form":{"name":"A"},"contacts":{"1":{"phone":"+36"}},"disposition":{"dispositionid":2},"premium":{"price":9.5}}"""));
    }

    @Test
    void modify_contacts_needs_numberid_a_contact_from_1_to_9_and_a_valid_email() throws Exception {
        ModifyContactsRules rules = new ModifyContactsRules();
        assertThat(error(rules, "{\"numberid\":\"1\",\"contact\":\"2\",\"name\":\"N\"}")).isNull();
        assertThat(error(rules, "{\"contact\":\"2\",\"name\":\"N\"}")).isEqualTo("error.missing_numberid");
        assertThat(error(rules, "{\"numberid\":1,\"contact\":10,\"name\":\"N\"}")).isEqualTo("error.contact_not_exists");
        assertThat(error(rules, "{\"numberid\":1,\"contact\":0,\"name\":\"N\"}")).isEqualTo("error.contact_not_exists");
        assertThat(error(rules, "{\"numberid\":1,\"contact\":1}")).isEqualTo("error.missing_contact_values");
        assertThat(error(rules, "{\"numberid\":1,\"contact\":1,\"email\":\"a b@c.d\"}")).isEqualTo("error.wrong_email_format");
        OperationRules.SingleRequest request = rules.singleRequest("22", json("{\"numberid\":7,\"contact\":\"2\",\"email\":\"a@b.hu\",\"x\":1}"));
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.path()).isEqualTo("/projects/22/records/7/contacts/2");
        assertThat(request.body()).isEqualTo(JSON.readTree("{\"email\":\"a@b.hu\"}"));
    }

    @Test
    void update_outbound_records_checks_phone_type_and_window_and_lets_the_element_win_over_config() throws Exception {
        UpdateOutboundRecordsRules rules = new UpdateOutboundRecordsRules();
        assertThat(error(rules, "{\"recordHandle\":1,\"phoneType\":\"Mobile\",\"from\":0,\"until\":86399}")).isNull();
        assertThat(error(rules, "{\"phoneType\":\"Mobile\"}")).isEqualTo("error.missing_record_handle");
        assertThat(error(rules, "{\"recordHandle\":1,\"phoneType\":\"Cell\"}")).isEqualTo("error.wrong_phone_type");
        assertThat(error(rules, "{\"recordHandle\":1,\"until\":86400}")).isEqualTo("error.wrong_until");
        assertThat(error(rules, "{\"recordHandle\":1,\"from\":\"-1\"}")).isEqualTo("error.wrong_from");
        assertThat(error(rules, "{\"recordHandle\":1,\"from\":70000,\"until\":60000}")).isEqualTo("error.wrong_calling_window");
        assertThat(error(rules, "{\"recordHandle\":1,\"devicePath\":\"devices/x\"}")).isEqualTo("error.wrong_device_path");

        Map<String, String> configured = new java.util.LinkedHashMap<>();
        configured.put("applicationId", "120");
        configured.put("campaignName", "C");
        configured.put("devicePath", "/devices/d");
        configured.put("callingList", "");
        ObjectNode wire = rules.withConfigured(json("{\"recordHandle\":\"5\",\"campaignName\":\"Mine\",\"from\":\"3600\"}"),
                configured, "ref-1");
        assertThat(wire).isEqualTo(JSON.readTree("""
                {"operationName":"UpdateRecord","campaignName":"Mine","from":3600,"applicationId":120,
                 "devicePath":"/devices/d","referenceId":"ref-1"}"""));
        assertThat(rules.checkRequest(wire)).isNull();
        assertThat(rules.checkRequest(rules.withConfigured(json("{\"recordHandle\":5}"), Map.of(), "r")).error())
                .isEqualTo("error.missing_applicationId");
    }

    @Test
    void csv_columns_map_to_each_operations_paths() {
        assertThat(Operation.ADD_RECORDS.csvPath("city")).isEqualTo("form.city");
        assertThat(Operation.ADD_RECORDS.csvPath("phone_field")).isEqualTo("phone_field");
        assertThat(Operation.ADD_RECORDS.csvPath("contacts.1.phone")).isEqualTo("contacts.1.phone");
        assertThat(Operation.MODIFY_DISPOSITIONS.csvPath("next_calldate")).isEqualTo("next_calldate");
        assertThat(Operation.MODIFY_DISPOSITIONS.csvPath("search.act_status")).isEqualTo("search.act_status");
        assertThat(Operation.MODIFY_CONTACTS.csvPath("email")).isEqualTo("email");
        assertThat(Operation.UPDATE_OUTBOUND_RECORDS.csvPath("phoneType")).isEqualTo("phoneType");
        assertThat(Operation.fromId("update-outbound-records").rules().perElement()).isTrue();
        assertThat(Operation.fromId("modify-dispositions").rules().perElement()).isFalse();
    }

    @Test
    void transient_element_errors_are_sent_again_with_growing_delays_then_dead_lettered() throws Exception {
        List<Long> delays = new ArrayList<>();
        List<Batch> resent = new ArrayList<>();
        TransientElementRetries retries = new TransientElementRetries(2, 100, 2, 150);
        Element busy = new Element("f:1", "22", Operation.MODIFY_DISPOSITIONS, json("{\"numberid\":1}"), null,
                SourceRef.fileLine("f", 1), null, null);
        Element gone = new Element("f:2", "22", Operation.MODIFY_DISPOSITIONS, json("{\"numberid\":2}"), null,
                SourceRef.fileLine("f", 2), null, null);
        Batch batch = new Batch("22", Operation.MODIFY_DISPOSITIONS, null, List.of(busy, gone));
        Rejection inCall = new Rejection("error.record_in_call", 417, "in call", 200, 1);
        BatchOutcome outcome = new BatchOutcome(List.of(), List.of(busy.rejected(inCall),
                gone.rejected(new Rejection("error.record_not_exists", 417, "no", 200, 1))));

        BatchOutcome first = triage(retries, batch, outcome, resent, delays);
        assertThat(first.rejected()).extracting(Element::id).containsExactly("f:2");
        BatchOutcome second = triage(retries, resent.get(0), new BatchOutcome(List.of(), List.of(busy.rejected(inCall))), resent, delays);
        assertThat(second.rejected()).isEmpty();
        BatchOutcome last = triage(retries, resent.get(1), new BatchOutcome(List.of(), List.of(busy.rejected(inCall))), resent, delays);
        assertThat(last.rejected()).extracting(e -> e.rejection().error()).containsExactly("error.record_in_call");
        assertThat(last.rejected().get(0).rejection().attempts()).isEqualTo(3);
        assertThat(delays).containsExactly(100L, 150L);
        assertThat(resent).allSatisfy(b -> assertThat(b.elements()).extracting(Element::id).containsExactly("f:1"));
        assertThat(resent.get(0).elements().get(0).isValid()).isTrue();
    }

    /** The outcome to record now; a re-send the triage asks for is noted with its delay. */
    private static BatchOutcome triage(TransientElementRetries retries, Batch batch, BatchOutcome outcome,
                                       List<Batch> resent, List<Long> delays) {
        TransientElementRetries.Triage triage = retries.triage(batch, outcome);
        if (triage.resend() != null) {
            resent.add(triage.resend());
            delays.add(triage.delay());
        }
        return triage.outcome();
    }

    @Test
    void the_journal_survives_a_restart_and_ignores_a_torn_last_line(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("state/journal.ndjson");
        AddRecordsJournal journal = new AddRecordsJournal(file, Clock.systemUTC());
        journal.sending("a:1");
        journal.sending("a:2");
        journal.created("a:2", 42L);
        java.nio.file.Files.writeString(file, "{\"id\":\"a:3\",\"sta", java.nio.file.StandardOpenOption.APPEND);

        AddRecordsJournal reopened = new AddRecordsJournal(file, Clock.systemUTC());
        assertThat(reopened.get("a:1").state()).isEqualTo(AddRecordsJournal.State.SENDING);
        assertThat(reopened.get("a:2")).isEqualTo(new AddRecordsJournal.Entry(AddRecordsJournal.State.CREATED, 42L));
        assertThat(reopened.get("a:3")).isNull();
    }

    @Test
    void an_unknown_add_records_outcome_is_looked_up_by_the_unique_field_before_sending_again(@TempDir Path dir) throws Exception {
        AddRecordsJournal journal = new AddRecordsJournal(dir.resolve("j.ndjson"), Clock.systemUTC());
        SingleCalls calls = new SingleCalls(journal, new Results(dir.resolve("results")), "crm_id");
        Element element = new Element("k:1", "22", Operation.ADD_RECORDS, json("{\"form\":{\"crm_id\":\"C-1\"}}"), null,
                SourceRef.fileLine("22/add-records/a.ndjson", 1), null, null);

        SingleCall post = calls.first(element);
        assertThat(post.step()).isEqualTo(SingleCall.Step.SEND);
        assertThat(journal.get("k:1").state()).isEqualTo(AddRecordsJournal.State.SENDING);

        SingleCall probe = calls.first(element);
        assertThat(probe.step()).isEqualTo(SingleCall.Step.PROBE);
        assertThat(JSON.readTree(probe.body())).isEqualTo(JSON.readTree(
                "{\"elements\":[{\"search\":{\"crm_id\":\"C-1\"},\"form\":{}}]}"));
        SingleCall resend = calls.answer(probe, 200, """
                {"errors":[{"errorcode":417,"errormessage":"error.record_not_found","index":0}],"response":{}}""", null, null);
        assertThat(resend.step()).isEqualTo(SingleCall.Step.SEND);
        SingleCall done = calls.answer(resend, 200, "{\"errors\":[],\"response\":[77]}", null, null);
        assertThat(done.pending()).isFalse();
        assertThat(done.outcome().accepted()).hasSize(1);
        assertThat(journal.get("k:1")).isEqualTo(new AddRecordsJournal.Entry(AddRecordsJournal.State.CREATED, 77L));
        assertThat(calls.first(element).outcome().accepted()).as("created: never sent again").hasSize(1);

        Element noKey = new Element("k:2", "22", Operation.ADD_RECORDS, json("{\"form\":{\"name\":\"x\"}}"), null,
                SourceRef.fileLine("22/add-records/a.ndjson", 2), null, null);
        journal.sending("k:2");
        assertThat(calls.first(noKey).outcome().rejected()).extracting(e -> e.rejection().error())
                .containsExactly("error.outcome_unknown");
        JsonNode lastResult = JSON.readTree(java.nio.file.Files.readAllLines(
                dir.resolve("results/22/add-records/a.ndjson.results.ndjson")).get(0));
        assertThat(lastResult.path("numberid").asLong()).isEqualTo(77);
    }
}
