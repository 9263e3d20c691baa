package io.dialerbridge.ops;

import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.operation.Operation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UnaccountedTest {

    private static Element element(String id) {
        return new Element(id, "22", Operation.MODIFY_RECORDS, null, null, null, null, null);
    }

    @Test
    void the_oldest_wait_is_the_first_element_still_unaccounted_and_a_resend_keeps_its_first_time() {
        Unaccounted unaccounted = new Unaccounted();
        assertThat(unaccounted.oldest()).isEmpty();
        unaccounted.received(List.of(element("a"), element("b")), 100);
        unaccounted.received(List.of(element("c")), 200);
        unaccounted.received(List.of(element("a")), 300); // sent again: still waiting since 100
        assertThat(unaccounted.oldest()).hasValue(100);

        unaccounted.accounted(List.of(element("a")));
        assertThat(unaccounted.oldest()).hasValue(100); // b is still waiting
        unaccounted.accounted(List.of(element("b").rejected(new Rejection("error.x", null, "x", 400, 1))));
        assertThat(unaccounted.oldest()).hasValue(200);
        unaccounted.accounted(List.of(element("c")));
        assertThat(unaccounted.oldest()).isEmpty();
        assertThat(unaccounted.size()).isZero();
    }
}
