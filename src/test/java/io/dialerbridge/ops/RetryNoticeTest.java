package io.dialerbridge.ops;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dialerbridge.batch.Batch;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.operation.Operation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RetryNoticeTest {

    private static Batch batch() {
        Element element = new Element("f:1", "22", Operation.MODIFY_RECORDS,
                JsonNodeFactory.instance.objectNode().put("numberid", "1"), null, SourceRef.fileLine("f", 1), null, null);
        return new Batch("22", Operation.MODIFY_RECORDS, null, List.of(element));
    }

    @Test
    void a_batch_retry_is_numbered_by_the_batchs_own_attempts_not_by_the_exchanges_counter() {
        Batch batch = batch();
        batch.attempt();
        assertThat(RetryNotice.retryNumber(5, null, batch)).as("first send failed: this is retry 1").isEqualTo(1);
        batch.attempt();
        assertThat(RetryNotice.retryNumber(7, null, batch)).isEqualTo(2);
    }

    @Test
    void an_element_sent_alone_keeps_its_exchanges_counter() {
        Batch batch = batch();
        batch.attempt();
        assertThat(RetryNotice.retryNumber(3, batch.elements().get(0), batch)).isEqualTo(3);
    }
}
