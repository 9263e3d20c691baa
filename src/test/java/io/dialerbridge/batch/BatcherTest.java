package io.dialerbridge.batch;

import io.dialerbridge.element.Element;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.operation.ModifyRecordsRules;
import io.dialerbridge.operation.Operation;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class BatcherTest {

    private static Element element(int line, boolean valid) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (valid) {
            body.put("numberid", String.valueOf(line));
        }
        body.putObject("form").put("city", "X");
        return new Element("f:" + line, "22", Operation.MODIFY_RECORDS, body, null,
                SourceRef.fileLine("f", line), null, null);
    }

    private static List<Work> drain(Iterator<Work> work) {
        List<Work> items = new ArrayList<>();
        work.forEachRemaining(items::add);
        return items;
    }

    @Test
    void closes_batches_at_max_elements_and_passes_invalid_elements_alone() {
        List<Element> input = IntStream.rangeClosed(1, 7).mapToObj(i -> element(i, i != 3)).toList();
        Batcher batcher = new Batcher(input.iterator(), e -> new ModifyRecordsRules().validate(e.body()), 3,
                Duration.ofSeconds(60), Clock.systemUTC());

        List<Work> work = drain(batcher);

        assertThat(work).hasSize(3);
        Element rejected = ((Rejected) work.get(0)).element();
        assertThat(rejected.source().line()).isEqualTo(3);
        assertThat(rejected.rejection().error()).isEqualTo("error.missing_numberid_or_search");
        assertThat(((Batch) work.get(1)).elements()).extracting(e -> e.source().line()).containsExactly(1L, 2L, 4L);
        assertThat(((Batch) work.get(2)).elements()).extracting(e -> e.source().line()).containsExactly(5L, 6L, 7L);
    }

    @Test
    void closes_a_batch_once_max_wait_has_passed_since_its_first_element() {
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        Clock clock = new Clock() {
            public ZoneOffset getZone() { return ZoneOffset.UTC; }
            public Clock withZone(java.time.ZoneId zone) { return this; }
            public Instant instant() { return now[0]; }
        };
        Iterator<Element> slow = new Iterator<>() {
            int line;
            public boolean hasNext() { return line < 4; }
            public Element next() {
                now[0] = now[0].plusMillis(400);
                return element(++line, true);
            }
        };
        List<Work> work = drain(new Batcher(slow, e -> null, 500, Duration.ofMillis(1000), clock));

        assertThat(work).extracting(w -> ((Batch) w).size()).containsExactly(3, 1);
    }
}
