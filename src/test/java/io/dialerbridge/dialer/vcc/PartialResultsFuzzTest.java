package io.dialerbridge.dialer.vcc;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dialerbridge.batch.Batch;
import io.dialerbridge.batch.BatchOutcome;
import io.dialerbridge.dialer.DialerAnswerException;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.operation.Operation;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target for the dialer-answer parser: whatever status and body the dialer gives, the answer is a
 * retry or halt (an exception the failure policy knows), a split, or an outcome that accounts for every
 * element of the batch exactly once. Seed corpus: {@code src/test/resources/io/dialerbridge/dialer/vcc/
 * PartialResultsFuzzTestInputs/answers/}; to fuzz longer:
 * {@code JAZZER_FUZZ=1 mvn -q test -Dtest=PartialResultsFuzzTest}.
 */
class PartialResultsFuzzTest {

    private final PartialResults results = new PartialResults();

    @FuzzTest(maxDuration = "5m")
    void answers(FuzzedDataProvider data) {
        int size = data.consumeInt(1, 8);
        int status = data.consumeInt(100, 599);
        String body = data.consumeRemainingAsString();
        Batch batch = new Batch("22", Operation.MODIFY_RECORDS, null, IntStream.range(0, size)
                .mapToObj(i -> new Element("f:" + i, "22", Operation.MODIFY_RECORDS, JsonNodeFactory.instance.objectNode(),
                        null, SourceRef.fileLine("f", i + 1), null, null))
                .toList());
        batch.attempt();
        BatchOutcome outcome;
        try {
            outcome = results.read(batch, status, body, null);
        } catch (DialerAnswerException retryOrHalt) {
            assertThat(status == 401 || status == 403 || status >= 500 || status == 429 || status == 408).isTrue();
            return;
        }
        if (outcome.isSplitNeeded()) {
            assertThat(size).isGreaterThan(1);
            return;
        }
        List<Element> all = new ArrayList<>(outcome.accepted());
        all.addAll(outcome.rejected());
        assertThat(all).extracting(Element::id).containsExactlyInAnyOrderElementsOf(
                batch.elements().stream().map(Element::id).toList());
        assertThat(outcome.rejected()).allSatisfy(e -> assertThat(e.rejection()).isNotNull());
    }
}
