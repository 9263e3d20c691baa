package io.dialerbridge.dialer.vcc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dialerbridge.batch.BatchOutcome;
import io.dialerbridge.dialer.DialerAnswerException;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.policy.Exhaustion;
import io.dialerbridge.output.Results;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The single-call state machine, from plain inputs: a step to send, the dialer's answer, the next step or the outcome. */
class SingleCallsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FILE = "22/add-records/new.ndjson";

    @TempDir
    Path home;

    AddRecordsJournal journal;
    SingleCalls calls;

    @BeforeEach
    void open() throws IOException {
        journal = new AddRecordsJournal(journalFile(), Clock.systemUTC());
        calls = new SingleCalls(journal, new Results(home.resolve("results")), "phone1");
    }

    private Path journalFile() {
        return home.resolve("state/add-records-journal.ndjson");
    }

    private static Element newRecord(int line, String phone) throws IOException {
        ObjectNode body = (ObjectNode) JSON.readTree("{\"form\":{\"name\":\"Person " + line + "\""
                + (phone == null ? "" : ",\"phone1\":\"" + phone + "\"") + "}}");
        return new Element("k:" + line, "22", Operation.ADD_RECORDS, body, body.toString(), SourceRef.fileLine(FILE, line),
                null, null);
    }

    private static Element contactChange() throws IOException {
        ObjectNode body = (ObjectNode) JSON.readTree("{\"numberid\":\"1\",\"contact\":\"2\",\"name\":\"Jane Second\"}");
        return new Element("c:1", "22", Operation.MODIFY_CONTACTS, body, body.toString(),
                SourceRef.fileLine("22/modify-contacts/c.ndjson", 1), null, null);
    }

    private List<JsonNode> results() throws IOException {
        Path file = home.resolve("results/" + FILE + ".results.ndjson");
        List<JsonNode> lines = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static Rejection rejectionOf(SingleCall call) {
        assertThat(call.pending()).isFalse();
        BatchOutcome outcome = call.outcome();
        assertThat(outcome.accepted()).isEmpty();
        assertThat(outcome.rejected()).hasSize(1);
        return outcome.rejected().get(0).rejection();
    }

    private static void assertAccepted(SingleCall call, Element element) {
        assertThat(call.pending()).isFalse();
        assertThat(call.step()).isEqualTo(SingleCall.Step.DONE);
        assertThat(call.outcome().accepted()).containsExactly(element);
        assertThat(call.outcome().rejected()).isEmpty();
    }

    @Test
    void a_new_record_is_journalled_as_sending_posted_and_journalled_as_created() throws Exception {
        Element element = newRecord(1, "+36700000001");

        SingleCall post = calls.first(element);

        assertThat(post.step()).isEqualTo(SingleCall.Step.SEND);
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.path()).isEqualTo("/projects/22/records");
        assertThat(JSON.readTree(post.body()).path("form").path("name").asText()).isEqualTo("Person 1");
        assertThat(journal.get("k:1")).isEqualTo(new AddRecordsJournal.Entry(AddRecordsJournal.State.SENDING, null));

        SingleCall done = calls.answer(post, 200, "{\"response\":[77]}", null, null);

        assertAccepted(done, element);
        assertThat(journal.get("k:1")).isEqualTo(new AddRecordsJournal.Entry(AddRecordsJournal.State.CREATED, 77L));
        assertThat(results()).singleElement().satisfies(result -> {
            assertThat(result.path("numberid").asLong()).isEqualTo(77);
            assertThat(result.path("status").asText()).isEqualTo("created");
            assertThat(result.path("source").path("line").asLong()).isEqualTo(1);
        });
    }

    @Test
    void a_record_the_journal_says_was_created_is_not_sent_again_after_a_restart() throws Exception {
        Element element = newRecord(1, "+36700000001");
        calls.answer(calls.first(element), 200, "{\"response\":[77]}", null, null);

        SingleCalls restarted = new SingleCalls(new AddRecordsJournal(journalFile(), Clock.systemUTC()),
                new Results(home.resolve("results")), "phone1");
        SingleCall again = restarted.first(element);

        assertAccepted(again, element);
        assertThat(again.method()).as("no request").isNull();
        assertThat(results()).extracting(r -> r.path("status").asText()).containsExactly("created", "created-earlier");
        assertThat(results().get(1).path("numberid").asLong()).isEqualTo(77);
    }

    @Test
    void an_unknown_outcome_is_looked_up_first_and_a_found_record_is_not_sent_again() throws Exception {
        Element element = newRecord(2, "+36700000002");
        journal.sending("k:2");

        SingleCall probe = calls.first(element);

        assertThat(probe.step()).isEqualTo(SingleCall.Step.PROBE);
        assertThat(probe.method()).isEqualTo("PUT");
        assertThat(probe.path()).isEqualTo("/projects/22/records");
        assertThat(JSON.readTree(probe.body())).isEqualTo(JSON.readTree(
                "{\"elements\":[{\"search\":{\"phone1\":\"+36700000002\"},\"form\":{}}]}"));

        SingleCall done = calls.answer(probe, 200, "{\"response\":{\"0\":true}}", null, null);

        assertAccepted(done, element);
        assertThat(journal.get("k:2").state()).isEqualTo(AddRecordsJournal.State.EXISTED);
        assertThat(results()).extracting(r -> r.path("status").asText()).containsExactly("existed");
        assertThat(calls.first(element).pending()).as("existed: not sent on a later attempt either").isFalse();
    }

    @Test
    void an_unknown_outcome_the_look_up_does_not_find_is_sent() throws Exception {
        Element element = newRecord(2, "+36700000002");
        journal.sending("k:2");
        SingleCall probe = calls.first(element);

        SingleCall post = calls.answer(probe, 200,
                "{\"errors\":[{\"errorcode\":417,\"errormessage\":\"error.record_not_found\",\"index\":0}],\"response\":{}}",
                null, null);

        assertThat(post.step()).isEqualTo(SingleCall.Step.SEND);
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.path()).isEqualTo("/projects/22/records");

        assertAccepted(calls.answer(post, 200, "{\"response\":[78]}", null, null), element);
        assertThat(journal.get("k:2")).isEqualTo(new AddRecordsJournal.Entry(AddRecordsJournal.State.CREATED, 78L));
    }

    @Test
    void an_unknown_outcome_whose_look_up_is_refused_is_dead_lettered_as_unknown() throws Exception {
        Element element = newRecord(2, "+36700000002");
        journal.sending("k:2");
        SingleCall probe = calls.first(element);

        Rejection why = rejectionOf(calls.answer(probe, 400,
                "{\"errors\":[{\"errorcode\":400,\"errormessage\":\"error.wrong_search_key\"}],\"response\":false}", null, 1));

        assertThat(why.error()).isEqualTo("error.outcome_unknown");
        assertThat(why.httpStatus()).isEqualTo(400);
        assertThat(why.attempts()).isEqualTo(2);
        assertThat(why.message()).contains("error.wrong_search_key").contains("phone1");
        assertThat(journal.get("k:2").state()).as("still unknown").isEqualTo(AddRecordsJournal.State.SENDING);
    }

    @Test
    void an_unknown_outcome_that_cannot_be_looked_up_is_dead_lettered_without_a_request() throws Exception {
        journal.sending("k:3");
        journal.sending("k:4");

        Rejection noValue = rejectionOf(calls.first(newRecord(3, null)));
        SingleCalls withoutUniqueField = new SingleCalls(journal, new Results(home.resolve("results")), " ");
        Rejection noField = rejectionOf(withoutUniqueField.first(newRecord(4, "+36700000004")));

        assertThat(noValue.error()).isEqualTo("error.outcome_unknown");
        assertThat(noValue.message()).contains("the element has no phone1");
        assertThat(noValue.attempts()).isZero();
        assertThat(noField.error()).isEqualTo("error.outcome_unknown");
        assertThat(noField.message()).contains("add-records.unique-field is not set");
    }

    @Test
    void an_element_the_dialer_refuses_is_rejected_with_its_error_and_journalled_as_refused() throws Exception {
        Element element = newRecord(5, "+36700000005");
        SingleCall post = calls.first(element);

        Rejection why = rejectionOf(calls.answer(post, 200,
                "{\"errors\":[{\"errorcode\":417,\"errormessage\":\"error.field_not_exists\"}],\"response\":false}", null, 2));

        assertThat(why.error()).isEqualTo("error.field_not_exists");
        assertThat(why.apiErrorCode()).isEqualTo(417);
        assertThat(why.httpStatus()).isEqualTo(200);
        assertThat(why.attempts()).isEqualTo(3);
        assertThat(journal.get("k:5").state()).isEqualTo(AddRecordsJournal.State.REFUSED);
        assertThat(results()).isEmpty();
    }

    @Test
    void an_answer_that_is_not_the_api_envelope_is_a_refusal_that_says_so() throws Exception {
        Element element = contactChange();
        SingleCall put = calls.first(element);

        Rejection why = rejectionOf(calls.answer(put, 404, "<html>not here</html>", null, null));

        assertThat(why.error()).isEqualTo("error.request_refused");
        assertThat(why.apiErrorCode()).isNull();
        assertThat(why.httpStatus()).isEqualTo(404);
        assertThat(why.message()).contains("not the API's JSON envelope").contains("<html>not here</html>");
    }

    @Test
    void transient_answers_and_refused_credentials_are_not_outcomes() throws Exception {
        SingleCall post = calls.first(newRecord(6, "+36700000006"));

        for (int status : List.of(500, 502, 503, 504, 429, 408)) {
            assertThatThrownBy(() -> calls.answer(post, status, "", "7", null))
                    .isInstanceOf(DialerAnswerException.Transient.class)
                    .satisfies(e -> assertThat(((DialerAnswerException) e).retryAfter()).isEqualTo("7"))
                    .satisfies(e -> assertThat(((DialerAnswerException) e).httpStatus()).isEqualTo(status));
        }
        for (int status : List.of(401, 403)) {
            assertThatThrownBy(() -> calls.answer(post, status, "{}", null, null))
                    .isInstanceOf(DialerAnswerException.CredentialsRefused.class);
        }
        assertThat(journal.get("k:6").state()).as("the outcome is still unknown").isEqualTo(AddRecordsJournal.State.SENDING);
    }

    @Test
    void a_per_element_operation_is_sent_as_its_own_request_without_the_journal() throws Exception {
        Element element = contactChange();

        SingleCall put = calls.first(element);

        assertThat(put.step()).isEqualTo(SingleCall.Step.SEND);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.path()).isEqualTo("/projects/22/records/1/contacts/2");
        assertThat(journal.get("c:1")).isNull();
        assertAccepted(calls.answer(put, 200, "{\"response\":true}", null, null), element);
        assertThat(journal.get("c:1")).isNull();
    }

    @Test
    void giving_up_says_whether_the_dialer_answered_and_whether_a_record_may_exist() throws Exception {
        Element contact = contactChange();
        Element record = newRecord(7, "+36700000007");
        calls.first(record);
        Exhaustion exhaustion = new Exhaustion(journal, "phone1");

        Rejection unavailable = exhaustion.ofElement(contact,
                new DialerAnswerException.Transient("the dialer answered HTTP 503", 503, null), 2).rejected().get(0).rejection();
        Rejection unreachable = exhaustion.ofElement(contact, new ConnectException("Connection refused"), 2)
                .rejected().get(0).rejection();
        Rejection unknown = exhaustion.ofElement(record, new ConnectException("Connection refused"), 2)
                .rejected().get(0).rejection();

        assertThat(unavailable.error()).isEqualTo("error.dialer_unavailable");
        assertThat(unavailable.httpStatus()).isEqualTo(503);
        assertThat(unavailable.attempts()).isEqualTo(3);
        assertThat(unavailable.message()).contains("gave up after 3 attempts").contains("HTTP 503");
        assertThat(unreachable.error()).isEqualTo("error.dialer_unreachable");
        assertThat(unreachable.httpStatus()).isZero();
        assertThat(unknown.error()).isEqualTo("error.outcome_unknown");
        assertThat(unknown.message()).contains("looks it up by phone1");
    }
}
