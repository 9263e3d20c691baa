package io.dialerbridge.batch;

import io.dialerbridge.batch.OffsetTracker.Partition;
import io.dialerbridge.element.Element;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.source.PolledRecord;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka books over arbitrary polls and completion orders: two changes to one record are never in
 * flight at once, each record's changes go in offset order, every record goes exactly once, and the
 * offset to commit never passes a record whose work is not accounted for.
 */
class InFlightRecordsProperties {

    private static final String TOPIC = "dialer.modify-records";

    @Property(tries = 200)
    void changes_to_one_record_go_one_at_a_time_in_offset_order(
            @ForAll @Size(min = 1, max = 80) List<@IntRange(min = 1, max = 6) Integer> keys,
            @ForAll @IntRange(min = 1, max = 7) int pollSize, @ForAll @IntRange(min = 1, max = 3) int batchSize,
            @ForAll long seed) {
        InFlightRecords books = new InFlightRecords(new PollBatcher(Map.of(TOPIC, Operation.MODIFY_RECORDS), batchSize));
        Random random = new Random(seed);
        List<Work> inFlight = new ArrayList<>();
        Map<String, Long> lastSent = new HashMap<>();
        Set<Long> accounted = new HashSet<>();
        int next = 0;
        int sent = 0;
        while (next < keys.size() || !inFlight.isEmpty()) {
            List<Work> going = new ArrayList<>();
            if (next < keys.size() && (inFlight.isEmpty() || random.nextBoolean())) {
                List<PolledRecord> poll = new ArrayList<>();
                for (int i = 0; i < pollSize && next < keys.size(); i++, next++) {
                    poll.add(new PolledRecord(TOPIC, 0, next,
                            "{\"projectid\":22,\"numberid\":\"" + keys.get(next) + "\",\"form\":{\"city\":\"c\"}}", null));
                }
                going.addAll(books.admit(poll));
            } else {
                Work done = inFlight.remove(random.nextInt(inFlight.size()));
                elements(done).forEach(e -> accounted.add(e.source().offset()));
                going.addAll(books.accounted(done));
            }
            for (Work work : going) {
                for (Element element : elements(work)) {
                    String key = element.recordKey();
                    for (Work other : inFlight) {
                        assertThat(elements(other)).extracting(Element::recordKey).doesNotContain(key);
                    }
                    Long previous = lastSent.put(key, element.source().offset());
                    if (previous != null) {
                        assertThat(element.source().offset()).isGreaterThan(previous);
                    }
                    sent++;
                }
                assertThat(elements(work)).extracting(Element::recordKey).doesNotHaveDuplicates();
                inFlight.add(work);
            }
            books.committable(new Partition(TOPIC, 0)).ifPresent(commit -> {
                for (long o = 0; o < commit; o++) {
                    assertThat(accounted).as("offset %d below the commit %d", o, commit).contains(o);
                }
            });
        }
        assertThat(sent).isEqualTo(keys.size());
        assertThat(books.pending()).isZero();
        assertThat(books.committable(new Partition(TOPIC, 0))).hasValue(keys.size());
    }

    private static List<Element> elements(Work work) {
        return work instanceof Batch batch ? batch.elements() : List.of(((Rejected) work).element());
    }
}
