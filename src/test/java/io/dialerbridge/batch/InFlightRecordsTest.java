package io.dialerbridge.batch;

import io.dialerbridge.batch.OffsetTracker.Partition;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.source.PolledRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InFlightRecordsTest {

    private static final String TOPIC = "dialer.modify-records";
    private static final Partition P0 = new Partition(TOPIC, 0);
    private final InFlightRecords books = new InFlightRecords(new PollBatcher(Map.of(TOPIC, Operation.MODIFY_RECORDS), 10));

    private static PolledRecord change(long offset, String numberid) {
        return new PolledRecord(TOPIC, 0, offset, "{\"projectid\":22,\"numberid\":\"" + numberid + "\",\"form\":{\"city\":\"c\"}}", null);
    }

    @Test
    void a_later_change_waits_for_the_earlier_one_and_the_commit_stops_below_it() {
        List<Work> first = books.admit(List.of(change(0, "1"), change(1, "2")));
        List<Work> later = books.admit(List.of(change(2, "1"), change(3, "3")));

        assertThat(first).hasSize(1);
        assertThat(((Batch) later.get(0)).elements()).extracting(e -> e.source().offset()).containsExactly(3L);
        assertThat(books.accounted(later.get(0))).isEmpty();
        assertThat(books.committable(P0)).hasValue(0);

        List<Work> released = books.accounted(first.get(0));
        assertThat(((Batch) released.get(0)).elements()).extracting(e -> e.source().offset()).containsExactly(2L);
        assertThat(books.committable(P0)).hasValue(2);
        books.accounted(released.get(0));
        assertThat(books.committable(P0)).hasValue(4);
        assertThat(books.pending()).isZero();
    }

    @Test
    void failed_work_holds_its_partition_until_it_is_read_again_from_the_failed_offset() {
        List<Work> first = books.admit(List.of(change(0, "1")));
        books.admit(List.of(change(1, "1")));

        assertThat(books.failed(first.get(0), 0)).isEmpty();
        assertThat(books.failedPartitions()).containsKey(P0);
        assertThat(books.admit(List.of(change(2, "2")))).isEmpty();
        assertThat(books.committable(P0)).hasValue(0);

        books.readAgain(P0);
        assertThat(books.admit(List.of(change(0, "1"), change(1, "1"), change(2, "2")))).hasSize(1);
        assertThat(books.failedPartitions()).isEmpty();
    }

    @Test
    void a_partition_read_again_from_an_earlier_offset_starts_its_books_afresh() {
        List<Work> stale = books.admit(List.of(change(5, "1"), change(6, "2")));
        List<Work> again = books.admit(List.of(change(5, "1"), change(6, "2")));

        assertThat(again).isEmpty(); // both records are still in flight from the first reading: they wait
        assertThat(books.accounted(stale.get(0))).hasSize(1);
        assertThat(books.committable(P0)).hasValue(5); // the stale work no longer counts
    }
}
