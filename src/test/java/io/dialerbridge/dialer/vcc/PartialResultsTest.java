package io.dialerbridge.dialer.vcc;

import io.dialerbridge.batch.Batch;
import io.dialerbridge.batch.BatchOutcome;
import io.dialerbridge.dialer.DialerAnswerException;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.operation.Operation;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartialResultsTest {

    private final PartialResults results = new PartialResults();
    private final Batch batch = new Batch("22", Operation.MODIFY_RECORDS, null, IntStream.range(0, 4)
            .mapToObj(i -> new Element("f:" + i, "22", Operation.MODIFY_RECORDS, JsonNodeFactory.instance.objectNode(),
                    null, SourceRef.fileLine("f", i + 1), null, null))
            .toList());

    @Test
    void errors_are_rejected_with_their_code_and_missing_indices_as_unconfirmed() {
        batch.attempt();
        batch.attempt();
        batch.attempt();
        BatchOutcome outcome = results.read(batch, 200, """
                {"errors":[{"errorcode":417,"errormessage":"error.record_not_exists","index":1}],
                 "response":{"0":true,"3":true}}""", null);

        assertThat(outcome.accepted()).extracting(Element::id).containsExactly("f:0", "f:3");
        assertThat(outcome.rejected()).extracting(Element::id).containsExactly("f:1", "f:2");
        Rejection refused = outcome.rejected().get(0).rejection();
        assertThat(refused.error()).isEqualTo("error.record_not_exists");
        assertThat(refused.apiErrorCode()).isEqualTo(417);
        assertThat(refused.httpStatus()).isEqualTo(200);
        assertThat(refused.attempts()).isEqualTo(3);
        assertThat(outcome.rejected().get(1).rejection().error()).isEqualTo("error.unconfirmed");
    }

    @Test
    void transient_answers_and_refused_credentials_are_not_element_outcomes() {
        for (int status : List.of(500, 502, 503, 504, 429, 408)) {
            assertThatThrownBy(() -> results.read(batch, status, "", "5"))
                    .isInstanceOf(DialerAnswerException.Transient.class)
                    .satisfies(e -> assertThat(((DialerAnswerException) e).retryAfter()).isEqualTo("5"));
        }
        assertThatThrownBy(() -> results.read(batch, 401, "{}", null))
                .isInstanceOf(DialerAnswerException.CredentialsRefused.class);
    }

    @Test
    void a_whole_request_refused_rejects_every_element_with_the_reason() {
        BatchOutcome outcome = results.read(batch, 404,
                "{\"errors\":[{\"errorcode\":404,\"errormessage\":\"error.project_not_exists\"}],\"response\":false}", null);
        assertThat(outcome.accepted()).isEmpty();
        assertThat(outcome.rejected()).hasSize(4)
                .allSatisfy(e -> assertThat(e.rejection().error()).isEqualTo("error.project_not_exists"));

        BatchOutcome garbage = results.read(batch, 200, "<html>proxy error</html>", null);
        assertThat(garbage.rejected()).hasSize(4)
                .allSatisfy(e -> assertThat(e.rejection().message()).contains("not the API's JSON envelope"));
    }
}
