package io.dialerbridge.source.kafka;

import io.dialerbridge.batch.InFlightRecords;
import io.dialerbridge.batch.OffsetTracker.Partition;
import io.dialerbridge.batch.PollBatcher;
import io.dialerbridge.batch.Work;
import io.dialerbridge.operation.Operation;
import io.dialerbridge.source.PolledRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What the consumer's thread does after a poll, against Kafka's MockConsumer (one partition, batches of one). */
class KafkaConsumerThreadTest {

    private static final String TOPIC = "dialer.modify-records";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    private final MockConsumer<Object, Object> consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    private final InFlightRecords books = new InFlightRecords(new PollBatcher(Map.of(TOPIC, Operation.MODIFY_RECORDS), 1));
    private final KafkaLag lag = new KafkaLag();

    @BeforeEach
    void assign() {
        consumer.assign(List.of(TP));
        consumer.updateBeginningOffsets(Map.of(TP, 0L));
        consumer.updateEndOffsets(Map.of(TP, 10L));
    }

    private KafkaConsumerThread thread(int maxInFlight) {
        return new KafkaConsumerThread(books, maxInFlight, Duration.ZERO, Duration.ofSeconds(1), Clock.systemUTC(), lag);
    }

    private List<Work> admit(long... offsets) {
        List<PolledRecord> records = new java.util.ArrayList<>();
        for (long offset : offsets) {
            records.add(new PolledRecord(TOPIC, 0, offset,
                    "{\"projectid\":22,\"numberid\":\"" + offset + "\",\"form\":{\"city\":\"c\"}}", null));
        }
        return books.admit(records);
    }

    private Long committed() {
        var offset = consumer.committed(Set.of(TP)).get(TP);
        return offset == null ? null : offset.offset();
    }

    @Test
    void commits_only_below_the_first_record_not_accounted_for_and_notes_the_lag() {
        KafkaConsumerThread thread = thread(100);
        List<Work> work = admit(0, 1, 2);
        books.accounted(work.get(1));
        books.accounted(work.get(2));

        thread.afterConsume(consumer);
        assertThat(committed()).isIn(null, 0L);

        books.accounted(work.get(0));
        thread.afterConsume(consumer);
        assertThat(committed()).isEqualTo(3L);
        assertThat(lag.of(TOPIC, 0)).hasValue(7);
    }

    @Test
    void pauses_its_partitions_above_the_records_in_flight_and_resumes_them_below() {
        KafkaConsumerThread thread = thread(2);
        List<Work> work = admit(0, 1, 2);

        thread.afterConsume(consumer);
        assertThat(consumer.paused()).containsExactly(TP);

        work.forEach(books::accounted);
        thread.afterConsume(consumer);
        assertThat(consumer.paused()).isEmpty();
        assertThat(committed()).isEqualTo(3L);
    }

    @Test
    void above_the_records_in_flight_it_waits_for_the_pipeline_and_goes_on_without_pausing_once_it_caught_up() throws Exception {
        KafkaConsumerThread thread = new KafkaConsumerThread(books, 2, Duration.ZERO, Duration.ofSeconds(1),
                Duration.ofSeconds(30), Clock.systemUTC(), lag);
        List<Work> work = admit(0, 1, 2);
        Thread poller = new Thread(() -> thread.afterConsume(consumer));
        poller.start();
        org.awaitility.Awaitility.await("the consumer waits for the work in flight").atMost(Duration.ofSeconds(10))
                .until(() -> poller.getState() == Thread.State.TIMED_WAITING);

        books.accounted(work.get(0)); // 2 left: not below the limit
        books.accounted(work.get(1));
        poller.join(Duration.ofSeconds(10).toMillis());
        assertThat(poller.isAlive()).as("woken once below the limit, long before its 30 s ran out").isFalse();
        assertThat(consumer.paused()).as("caught up while it waited: not paused").isEmpty();
        assertThat(committed()).as("committed at the next poll").isIn(null, 0L);
    }

    @Test
    void above_the_records_in_flight_it_pauses_once_its_wait_runs_out() {
        KafkaConsumerThread thread = new KafkaConsumerThread(books, 2, Duration.ZERO, Duration.ofSeconds(1),
                Duration.ofMillis(100), Clock.systemUTC(), lag);
        admit(0, 1, 2);

        thread.afterConsume(consumer);
        assertThat(consumer.paused()).containsExactly(TP);
    }

    @Test
    void a_partition_whose_work_failed_is_read_again_from_the_failed_record() {
        KafkaConsumerThread thread = thread(100);
        List<Work> work = admit(0, 1, 2);
        books.accounted(work.get(0));
        books.failed(work.get(1));
        books.accounted(work.get(2));

        thread.afterConsume(consumer); // kafka.failure-pause is 0 here: sought back at once

        assertThat(committed()).isEqualTo(1L);
        assertThat(consumer.position(TP)).isEqualTo(1L);
        assertThat(books.failedPartitions()).isEmpty();
        assertThat(consumer.paused()).isEmpty();
        assertThat(books.pending(new Partition(TOPIC, 0))).isZero();
    }

    @Test
    void once_stopping_it_takes_nothing_more_never_resumes_and_commits_what_the_work_in_flight_accounts_for() {
        KafkaConsumerThread thread = thread(2);
        List<Work> work = admit(0, 1, 2);
        thread.afterConsume(consumer); // paused for load

        thread.stopPolling();
        books.accounted(work.get(0));
        assertThat(thread.afterConsume(consumer)).as("the records of a poll after the stop are dropped").isFalse();
        assertThat(consumer.paused()).containsExactly(TP);
        assertThat(committed()).isEqualTo(1L);

        books.accounted(work.get(1));
        books.accounted(work.get(2));
        assertThat(thread.afterConsume(consumer)).isFalse();
        assertThat(consumer.paused()).as("no longer loaded, yet never resumed").containsExactly(TP);
        assertThat(committed()).isEqualTo(3L);
    }

    @Test
    void partitions_leaving_a_consumer_that_never_paused_are_committed_and_forgotten() {
        KafkaConsumerThread thread = thread(100);
        List<Work> work = admit(0, 1);
        work.forEach(books::accounted);

        thread.beforeLeaving(consumer, List.of(TP));

        assertThat(committed()).isEqualTo(2L);
        assertThat(books.committable(new Partition(TOPIC, 0))).isEmpty();
    }

    @Test
    void each_partition_that_leaves_or_is_lost_is_told_to_what_keeps_state_per_element() {
        List<String> left = new java.util.ArrayList<>();
        KafkaConsumerThread thread = thread(100).tellingPartitionsLeft((topic, partition) -> left.add(topic + "-" + partition));

        thread.beforeLeaving(consumer, List.of(TP));

        assertThat(left).containsExactly(TOPIC + "-0");
    }
}
