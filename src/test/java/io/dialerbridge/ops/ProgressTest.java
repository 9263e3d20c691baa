package io.dialerbridge.ops;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dialerbridge.batch.Batch;
import io.dialerbridge.batch.BatchOutcome;
import io.dialerbridge.batch.Rejected;
import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import io.dialerbridge.element.SourceRef;
import io.dialerbridge.operation.Operation;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {

    private static Element element(long line) {
        return new Element("e" + line, "22", Operation.MODIFY_RECORDS, JsonNodeFactory.instance.objectNode(), "{}",
                SourceRef.fileLine("22/modify-records/a.csv", line), null, null);
    }

    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void counts_a_file_and_gives_its_rate() {
        HandClock clock = new HandClock();
        Progress progress = new Progress(clock, Duration.ofSeconds(5));

        progress.received(new Batch("22", Operation.MODIFY_RECORDS, null,
                List.of(element(1), element(2), element(3), element(5), element(6))));
        progress.received(new Rejected(element(4)));
        progress.accounted(new BatchOutcome(List.of(element(1), element(2), element(3)), List.of()));
        progress.accounted(new BatchOutcome(List.of(),
                List.of(element(4).rejected(Rejection.beforeSending("error.malformed_csv", "bad")))));
        clock.now = clock.now.plusSeconds(2);

        assertThat(progress.line("22/modify-records/a.csv")).isEqualTo(
                "22/modify-records/a.csv (project 22, modify-records): 6 read, 4 accounted for, 3 accepted, 1 dead-lettered, 2/s");
        // 4 of about 10 done at 2/s: 40%, 3 s left
        assertThat(progress.bar("22/modify-records/a.csv", 10)).isEqualTo(
                "22/modify-records/a.csv [########------------]  40% 6 read, 3 accepted, 1 dead-lettered, 2/s, about 3s left");
        // an estimate that was too low, or none: the counts alone
        assertThat(progress.bar("22/modify-records/a.csv", 3)).isEqualTo(
                "22/modify-records/a.csv 6 read, 3 accepted, 1 dead-lettered, 2/s");
        progress.finished("22/modify-records/a.csv");
        assertThat(progress.line("22/modify-records/a.csv")).isNull();
    }

    @Test
    void a_kafka_topics_row_counts_the_records_ignored_on_purpose_beside_the_accounted_elements() {
        Progress progress = new Progress(new HandClock(), Duration.ofSeconds(5));
        SourceRef tombstone = SourceRef.kafka("dialer.modify-records", 0, 1);
        Element accepted = new Element("k", "22", Operation.MODIFY_RECORDS, JsonNodeFactory.instance.objectNode(), "{}",
                SourceRef.kafka("dialer.modify-records", 0, 0), null, null);

        progress.accounted(new BatchOutcome(List.of(accepted), List.of()));
        progress.ignored(tombstone, "22", Operation.MODIFY_RECORDS);
        progress.ignored(SourceRef.kafka("dialer.modify-records", 1, 7), "22", Operation.MODIFY_RECORDS);

        assertThat(progress.standings()).singleElement().satisfies(standing -> {
            assertThat(standing.source()).isEqualTo("dialer.modify-records");
            assertThat(standing.accepted()).isEqualTo(1);
            assertThat(standing.deadLettered()).isZero();
            assertThat(standing.ignored()).isEqualTo(2);
        });
    }

    @Test
    void gives_the_sources_in_progress_and_the_throughput_of_the_last_ten_minutes() {
        HandClock clock = new HandClock();
        Progress progress = new Progress(clock, Duration.ofSeconds(5));
        progress.accounted(new BatchOutcome(List.of(element(1), element(2)), List.of()));
        clock.now = clock.now.plusSeconds(10);
        progress.accounted(new BatchOutcome(List.of(element(3)), List.of(element(4).rejected(
                Rejection.beforeSending("error.malformed_csv", "bad")))));
        clock.now = clock.now.plusSeconds(10);

        assertThat(progress.standings()).singleElement().satisfies(standing -> {
            assertThat(standing.source()).isEqualTo("22/modify-records/a.csv");
            assertThat(standing.accepted()).isEqualTo(3);
            assertThat(standing.deadLettered()).isEqualTo(1);
            assertThat(standing.perSecond()).isEqualTo(0.2);
        });
        List<Double> throughput = progress.throughput();
        assertThat(throughput).hasSize(60);
        assertThat(throughput.subList(57, 60)).containsExactly(0.2, 0.2, 0.0);
        assertThat(throughput.subList(0, 57)).containsOnly(0.0);

        // ten minutes later the old slots are forgotten, not counted again when the ring comes round
        clock.now = clock.now.plusSeconds(600);
        assertThat(progress.throughput()).containsOnly(0.0);
    }
}
