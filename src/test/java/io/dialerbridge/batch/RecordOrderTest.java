package io.dialerbridge.batch;

import io.dialerbridge.element.Element;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.operation.Operation;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The order invariant of {@link RecordOrder}, over generated inputs and completion schedules: a
 * reader admits batches one after another (as the file's splitter does) while a "dialer" completes
 * the admitted ones in random order, element by element (as bisection and element re-sends do).
 * Every record must see its changes applied in input order, so it ends with its last line's value.
 */
class RecordOrderTest {

    private static final Object DONE = new Object();

    private static Element change(int line, int record) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("numberid", String.valueOf(record));
        body.putObject("form").put("city", "line " + line);
        return new Element("f:" + line, "22", Operation.MODIFY_RECORDS, body, null,
                SourceRef.fileLine("f", line), null, null);
    }

    @Test
    @Timeout(60)
    void changes_to_one_record_are_applied_in_input_order_under_any_completion_schedule() throws Exception {
        int cases = 0;
        for (long seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            int records = 1 + random.nextInt(6);
            int lines = 1 + random.nextInt(120);
            List<Element> input = new ArrayList<>();
            for (int line = 1; line <= lines; line++) {
                input.add(change(line, random.nextInt(records)));
            }
            Map<String, Integer> applied = run(input, random, 1 + random.nextInt(8));

            Map<String, Integer> expected = new HashMap<>();
            input.forEach(e -> expected.put(e.body().get("numberid").asText(), (int) e.source().line()));
            assertThat(applied).as("seed %d", seed).isEqualTo(expected);
            cases++;
        }
        System.out.println("RecordOrderTest: " + cases + " generated inputs and completion schedules");
    }

    /** Runs the input through a reader thread and a randomly completing dialer; answers each record's last applied line. */
    private static Map<String, Integer> run(List<Element> input, Random random, int maxElements) throws Exception {
        RecordOrder order = new RecordOrder();
        BlockingQueue<Object> admitted = new LinkedBlockingQueue<>();
        AtomicReference<Throwable> readerFailure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                Batcher batcher = new Batcher(input.iterator(), e -> null, maxElements, Duration.ofHours(1), Clock.systemUTC());
                while (batcher.hasNext()) {
                    Batch batch = (Batch) batcher.next();
                    order.admit(batch);
                    admitted.add(batch);
                }
            } catch (Throwable t) {
                readerFailure.set(t);
            } finally {
                admitted.add(DONE);
            }
        });
        reader.start();
        Map<String, Integer> applied = new HashMap<>();
        Map<String, Integer> lastApplied = new HashMap<>();
        List<List<Element>> inFlight = new ArrayList<>();
        List<Batch> batches = new ArrayList<>();
        boolean readerDone = false;
        while (!readerDone || !inFlight.isEmpty()) {
            Object next = inFlight.isEmpty() ? admitted.take() : admitted.poll(1, TimeUnit.MILLISECONDS);
            if (next == DONE) {
                readerDone = true;
            } else if (next != null) {
                Batch batch = (Batch) next;
                List<Element> pending = new ArrayList<>(batch.elements());
                Collections.shuffle(pending, random);
                inFlight.add(pending);
                batches.add(batch);
            }
            if (inFlight.isEmpty()) {
                continue;
            }
            // the dialer answers one element of a random in-flight batch
            int pick = random.nextInt(inFlight.size());
            List<Element> pending = inFlight.get(pick);
            Element element = pending.remove(pending.size() - 1);
            String record = element.body().get("numberid").asText();
            int line = (int) element.source().line();
            assertThat(lastApplied.getOrDefault(record, 0)).as("record %s applied out of order", record).isLessThan(line);
            lastApplied.put(record, line);
            applied.put(record, line);
            order.accounted(element);
            if (pending.isEmpty()) {
                inFlight.remove(pick);
                order.settled(batches.remove(pick));
            }
        }
        reader.join();
        assertThat(readerFailure.get()).isNull();
        assertThat(order.held()).isZero();
        return applied;
    }

    @Test
    @Timeout(10)
    void a_batch_that_ends_with_an_element_unaccounted_for_stops_later_changes_to_its_record() throws Exception {
        RecordOrder order = new RecordOrder();
        Batch first = new Batch("22", Operation.MODIFY_RECORDS, null, List.of(change(1, 7), change(2, 8)));
        Batch later = new Batch("22", Operation.MODIFY_RECORDS, null, List.of(change(3, 7)));
        Batch other = new Batch("22", Operation.MODIFY_RECORDS, null, List.of(change(4, 9)));
        order.admit(first);
        order.admit(other); // a different record is not held up
        order.accounted(first.elements().get(1));
        order.settled(first); // line 1 was never accounted for

        assertThatThrownBy(() -> order.admit(later)).isInstanceOf(RecordOrder.EarlierChangeFailed.class)
                .hasMessageContaining("line 1 of f");
    }

    @Test
    @Timeout(10)
    void elements_naming_no_record_are_never_held_up() throws Exception {
        RecordOrder order = new RecordOrder();
        ObjectNode form = JsonNodeFactory.instance.objectNode();
        form.putObject("form").put("name", "new lead");
        Element lead = new Element("f:1", "22", Operation.ADD_RECORDS, form, null, SourceRef.fileLine("f", 1), null, null);
        Batch batch = new Batch("22", Operation.ADD_RECORDS, null, List.of(lead));
        order.admit(batch);
        order.admit(batch);
        assertThat(order.held()).isZero();
    }
}
