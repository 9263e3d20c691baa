package io.dialerbridge.batch;

import io.dialerbridge.batch.OffsetTracker.Partition;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commit rule over arbitrary schedules: records of a partition's log (with gaps in the offsets) are
 * read in order, accounted for in any order, and the consumer now and then reads again from the offset it
 * may commit (a failure, a reassignment). Whatever the schedule, the offset to commit never passes a
 * record that was read and never accounted for, and reaches the end once all is accounted for.
 */
class OffsetTrackerProperties {

    private static final Partition P = new Partition("dialer.modify-records", 0);

    /** One step: 0..5 read the next record, 6..8 account for a pending one, 9 read again from the commit. */
    @Property(tries = 300)
    void the_committed_offset_never_passes_a_record_not_accounted_for(
            @ForAll @Size(min = 1, max = 120) List<@IntRange(min = 0, max = 9) Integer> steps,
            @ForAll("gaps") List<Integer> gaps, @ForAll long seed) {
        List<Long> log = new ArrayList<>();
        long offset = 0;
        for (int gap : gaps) {
            offset += gap;
            log.add(offset++);
        }
        Random random = new Random(seed);
        OffsetTracker tracker = new OffsetTracker();
        int position = 0;
        List<Object[]> pending = new ArrayList<>(); // {offset, token}, including stale ones
        Set<Long> read = new HashSet<>();
        Set<Long> accounted = new HashSet<>();
        for (int step : steps) {
            if (step <= 5 && position < log.size()) {
                long o = log.get(position++);
                Object token = new Object();
                tracker.admit(P, o, token);
                read.add(o);
                pending.add(new Object[] {o, token});
            } else if (step <= 8 && !pending.isEmpty()) {
                Object[] done = pending.remove(random.nextInt(pending.size()));
                tracker.accounted(P, (Long) done[0], done[1]);
                accounted.add((Long) done[0]);
            } else if (step == 9 && tracker.committable(P).isPresent()) {
                // the consumer seeks back to the offset it may commit: the books start afresh at once (a
                // failure, InFlightRecords.readAgain) or when the first record read again comes (a reconnect)
                long from = tracker.committable(P).getAsLong();
                position = 0;
                while (position < log.size() && log.get(position) < from) {
                    position++;
                }
                if (random.nextBoolean()) {
                    tracker.forget(P);
                }
            }
            if (tracker.committable(P).isPresent()) {
                long committable = tracker.committable(P).getAsLong();
                for (long o : read) {
                    if (o < committable) {
                        assertThat(accounted).as("offset %d is below the commit %d", o, committable).contains(o);
                    }
                }
            }
        }
        // drain: read the rest, account for everything
        while (position < log.size()) {
            long o = log.get(position++);
            Object token = new Object();
            tracker.admit(P, o, token);
            tracker.accounted(P, o, token);
        }
        pending.forEach(p -> tracker.accounted(P, (Long) p[0], p[1]));
        if (!log.isEmpty() && tracker.committable(P).isPresent()) {
            assertThat(tracker.pending()).isZero();
            assertThat(tracker.committable(P).getAsLong()).isEqualTo(log.get(log.size() - 1) + 1);
        }
    }

    @Provide
    Arbitrary<List<Integer>> gaps() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, 3))).list().ofMinSize(1).ofMaxSize(60);
    }
}
