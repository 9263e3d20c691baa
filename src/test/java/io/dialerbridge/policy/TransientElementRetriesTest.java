package io.dialerbridge.policy;

import io.dialerbridge.batch.Batch;
import io.dialerbridge.batch.BatchOutcome;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.operation.Operation;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TransientElementRetriesTest {

    private static final Rejection IN_CALL = new Rejection("error.record_in_call", 417, "in call", 200, 1);
    private static final Rejection NOT_THERE = new Rejection("error.record_not_exists", 417, "no such record", 200, 1);

    private static Element element(int line) {
        return new Element("f:" + line, "22", Operation.MODIFY_DISPOSITIONS,
                JsonNodeFactory.instance.objectNode().put("numberid", String.valueOf(line)), null,
                SourceRef.fileLine("f", line), null, null);
    }

    private static Batch batchOf(Element... elements) {
        return new Batch("22", Operation.MODIFY_DISPOSITIONS, null, List.of(elements));
    }

    private static BatchOutcome refused(Element element, Rejection why) {
        return new BatchOutcome(List.of(), List.of(element.rejected(why)));
    }

    @Test
    void the_delay_grows_with_each_re_send_up_to_the_maximum() {
        TransientElementRetries retries = new TransientElementRetries(5, 100, 2, 300);
        Element busy = element(1);
        List<Long> delays = new ArrayList<>();
        Batch sent = batchOf(busy);
        for (int i = 0; i < 4; i++) {
            TransientElementRetries.Triage triage = retries.triage(sent, refused(busy, IN_CALL));
            delays.add(triage.delay());
            sent = triage.resend();
        }
        assertThat(delays).containsExactly(100L, 200L, 300L, 300L);
    }

    @Test
    void a_transient_refusal_is_sent_again_as_a_valid_element_and_the_rest_is_recorded_now() {
        TransientElementRetries retries = new TransientElementRetries(2, 100, 2, 1000);
        Element ok = element(1);
        Element busy = element(2);
        Element gone = element(3);
        BatchOutcome outcome = new BatchOutcome(List.of(ok), List.of(busy.rejected(IN_CALL), gone.rejected(NOT_THERE)));

        TransientElementRetries.Triage triage = retries.triage(batchOf(ok, busy, gone), outcome);

        assertThat(triage.outcome().accepted()).extracting(Element::id).containsExactly("f:1");
        assertThat(triage.outcome().rejected()).extracting(Element::id).containsExactly("f:3");
        assertThat(triage.resend().elements()).extracting(Element::id).containsExactly("f:2");
        assertThat(triage.resend().elements()).allMatch(Element::isValid);
        assertThat(triage.resend().projectId()).isEqualTo("22");
        assertThat(triage.resend().operation()).isEqualTo(Operation.MODIFY_DISPOSITIONS);
    }

    @Test
    void once_the_re_sends_are_used_up_the_element_is_dead_lettered_with_its_attempts() {
        TransientElementRetries retries = new TransientElementRetries(2, 100, 2, 1000);
        Element busy = element(1);
        Batch sent = batchOf(busy);

        TransientElementRetries.Triage first = retries.triage(sent, refused(busy, IN_CALL));
        TransientElementRetries.Triage second = retries.triage(first.resend(), refused(busy, IN_CALL));
        TransientElementRetries.Triage last = retries.triage(second.resend(), refused(busy, IN_CALL));

        assertThat(last.resend()).isNull();
        assertThat(last.outcome().rejected()).singleElement().satisfies(letter -> {
            assertThat(letter.rejection().error()).isEqualTo("error.record_in_call");
            assertThat(letter.rejection().attempts()).isEqualTo(3);
            assertThat(letter.rejection().message()).isEqualTo("in call (still refused after 3 attempts)");
            assertThat(letter.rejection().apiErrorCode()).isEqualTo(417);
        });
    }

    @Test
    void an_element_accepted_in_between_starts_counting_again() {
        TransientElementRetries retries = new TransientElementRetries(1, 100, 2, 1000);
        Element busy = element(1);
        TransientElementRetries.Triage first = retries.triage(batchOf(busy), refused(busy, IN_CALL));
        retries.triage(first.resend(), new BatchOutcome(List.of(busy), List.of()));

        TransientElementRetries.Triage later = retries.triage(batchOf(busy), refused(busy, IN_CALL));

        assertThat(later.resend().elements()).extracting(Element::id).containsExactly("f:1");
        assertThat(later.delay()).isEqualTo(100L);
    }

    @Test
    void a_configured_permanent_code_is_dead_lettered_at_once() {
        TransientElementRetries retries = new TransientElementRetries(2, 100, 2, 1000,
                ElementErrorPolicy.fromConfig("", "error.record_in_call"));
        Element busy = element(1);

        TransientElementRetries.Triage triage = retries.triage(batchOf(busy), refused(busy, IN_CALL));

        assertThat(triage.resend()).isNull();
        assertThat(triage.outcome().rejected()).extracting(e -> e.rejection().attempts()).containsExactly(1);
    }
}
