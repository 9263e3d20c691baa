package io.dialerbridge.source.kafka;

import io.dialerbridge.batch.InFlightRecords;
import io.dialerbridge.batch.OffsetTracker.Partition;
import org.apache.camel.component.kafka.consumer.errorhandler.KafkaConsumerListener;
import org.apache.camel.component.kafka.consumer.support.subcription.DefaultSubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.SubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.TopicInfo;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What the Kafka consumer's own thread does, since a {@code KafkaConsumer} is not thread-safe: after every
 * poll (camel-kafka calls {@link #afterConsume} from its poll loop, through the route's {@code pausable}
 * step; also after polls that bring nothing) it commits, for each partition it owns, the offset below which
 * every record is accounted for ({@link InFlightRecords#committable}); pauses its partitions while more
 * than {@code kafka.max-in-flight-records} records are in flight and resumes them below; after
 * {@code kafka.failure-pause}, seeks a partition whose work failed back to that offset, so the failed
 * records are read again; and notes each partition's lag.
 *
 * <p>On shutdown ({@link #stopPolling}, when the Camel context stops) it pauses every partition and drops
 * what the next polls bring, so nothing read after the stop signal is sent; camel-kafka then unsubscribes
 * and closes the consumer, which revokes its partitions as below and leaves the group.
 *
 * <p>On a rebalance (as camel-kafka's {@link SubscribeAdapter}, it wraps the rebalance listener), before
 * a partition leaves it waits for the partition's work in flight (at most {@code kafka.max-poll-interval} / 2),
 * then commits only what is accounted for: the partition's next owner never overlaps this one's work on a
 * record, and never skips a record that was not accounted for.
 */
public final class KafkaConsumerThread extends KafkaConsumerListener implements SubscribeAdapter, Predicate<Object> {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaConsumerThread.class);

    private final InFlightRecords books;
    private final int maxInFlightRecords;
    private final Duration failurePause;
    private final Duration revokeWait;
    private final Duration loadWait;
    private final Clock clock;
    private final KafkaLag lag;
    /** The offsets committed, per partition (only ever by the partition's consumer thread). */
    private final Map<Partition, Long> committed = new ConcurrentHashMap<>();
    /** Partitions paused because too much is in flight, per consumer. */
    private final Map<Consumer<?, ?>, Set<TopicPartition>> pausedForLoad = new ConcurrentHashMap<>();
    private final Map<Consumer<?, ?>, Set<TopicPartition>> pausedForFailure = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    /** Told (topic, partition) of each partition this consumer forgets (revoked or lost): what keeps state per element. */
    private volatile BiConsumer<String, Integer> partitionLeft = (topic, partition) -> { };
    /** Whether a consumer has polled at all (so there is something to stop). */
    private volatile boolean polled;

    public KafkaConsumerThread(InFlightRecords books, int maxInFlightRecords, Duration failurePause,
                               Duration revokeWait, Clock clock, KafkaLag lag) {
        this(books, maxInFlightRecords, failurePause, revokeWait, Duration.ZERO, clock, lag);
    }

    /**
     * With {@code loadWait}: above {@code kafka.max-in-flight-records}, how long the consumer waits on its own
     * thread for the work in flight to fall below it before it pauses its partitions (the bridge passes
     * {@code batch.max-wait}, the poll timeout). A paused consumer learns that the pipeline caught up only
     * after a poll of its paused partitions has waited out the whole poll timeout, while the batch senders
     * stand idle; waiting here, it goes on as soon as enough work is accounted for.
     */
    public KafkaConsumerThread(InFlightRecords books, int maxInFlightRecords, Duration failurePause,
                               Duration revokeWait, Duration loadWait, Clock clock, KafkaLag lag) {
        if (maxInFlightRecords < 1) {
            throw new IllegalArgumentException("kafka.max-in-flight-records must be at least 1, was " + maxInFlightRecords);
        }
        this.books = books;
        this.maxInFlightRecords = maxInFlightRecords;
        this.failurePause = failurePause;
        this.revokeWait = revokeWait;
        this.loadWait = loadWait;
        this.clock = clock;
        this.lag = lag;
    }

    /**
     * Also tells {@code partitionLeft} each partition that leaves this consumer, once it is forgotten here
     * (the pre-flight field check lets go what it keeps for the partition's elements).
     */
    public KafkaConsumerThread tellingPartitionsLeft(BiConsumer<String, Integer> partitionLeft) {
        this.partitionLeft = partitionLeft;
        return this;
    }

    /** The books it commits from. */
    public InFlightRecords books() {
        return books;
    }

    /** Never pauses on its own account: the pausable step's check. */
    @Override
    public boolean test(Object ignored) {
        return true;
    }

    /**
     * The bridge is stopping (the Camel context stops: SIGTERM): from the next poll on, the consumers pause
     * every partition and take nothing more, while the work already read finishes and is committed as it
     * is accounted for; the partitions' last commit is made as they leave ({@link #beforeLeaving}).
     */
    public void stopPolling() {
        if (!stopping) {
            stopping = true;
            // said only where Kafka is consumed: a `send` of a file, or a daemon on files alone, has no consumer
            if (polled) {
                LOG.info("Stopping: the Kafka consumers poll nothing more; the work in flight finishes and is committed");
            }
        }
    }

    /** Whether {@link #stopPolling} was called. */
    public boolean isStopping() {
        return stopping;
    }

    /**
     * After every poll, on the consumer's thread. Lets camel-kafka go on with the records it polled, except
     * once the bridge is stopping: then the records of this poll are dropped unread (not admitted, so never
     * committed: the partitions' next owner reads them) and every partition is paused.
     */
    @Override
    public boolean afterConsume(Object polling) {
        polled = true;
        Consumer<?, ?> consumer = (Consumer<?, ?>) polling;
        Set<TopicPartition> assignment = consumer.assignment();
        if (stopping) {
            if (!assignment.isEmpty()) {
                consumer.pause(assignment);
                commit(consumer, assignment);
            }
            return false;
        }
        if (assignment.isEmpty()) {
            return true;
        }
        seekBackFailed(consumer, assignment);
        commit(consumer, assignment);
        balanceLoad(consumer, assignment);
        noteLag(consumer, assignment);
        return true;
    }

    /** Not called in batching mode; never pauses. */
    @Override
    public boolean afterProcess(org.apache.camel.component.kafka.consumer.support.ProcessingResult result) {
        return true;
    }

    @Override
    public void subscribe(Consumer<?, ?> consumer, ConsumerRebalanceListener camelListener, TopicInfo topicInfo) {
        new DefaultSubscribeAdapter().subscribe(consumer, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                beforeLeaving(consumer, partitions);
                camelListener.onPartitionsRevoked(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                for (TopicPartition tp : partitions) {
                    books.forget(partition(tp));
                    committed.remove(partition(tp));
                }
                camelListener.onPartitionsAssigned(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                // another member may own them already: commit nothing
                forgetAll(consumer, partitions);
                camelListener.onPartitionsLost(partitions);
            }
        }, topicInfo);
    }

    /** Waits (bounded) for the work in flight of partitions that leave, commits what is accounted for, forgets them. */
    void beforeLeaving(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Set<Partition> leaving = partitions.stream().map(KafkaConsumerThread::partition).collect(Collectors.toSet());
        books.dropHeld(leaving);
        long deadline = clock.millis() + revokeWait.toMillis();
        // a partition whose work failed is read again by its next owner: nothing of it is waited for
        while (leaving.stream().anyMatch(p -> books.pending(p) > 0 && !books.failedPartitions().containsKey(p))
                && clock.millis() < deadline) {
            synchronized (books) {
                try {
                    books.wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        try {
            commit(consumer, new HashSet<>(partitions), true);
        } catch (RuntimeException e) {
            LOG.warn("Could not commit the partitions leaving this consumer ({}): their next owner reads them again "
                    + "from the last committed offset", e.getMessage());
        }
        forgetAll(consumer, partitions);
    }

    private void forgetAll(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            books.forget(partition(tp));
            committed.remove(partition(tp));
            lag.forget(tp.topic(), tp.partition());
            partitionLeft.accept(tp.topic(), tp.partition());
        }
        // (a consumer that never paused has no set: Set.of() would refuse removeAll and fail the rebalance)
        pausedForLoad.getOrDefault(consumer, new HashSet<>()).removeAll(partitions);
        pausedForFailure.getOrDefault(consumer, new HashSet<>()).removeAll(partitions);
    }

    private void commit(Consumer<?, ?> consumer, Set<TopicPartition> assignment) {
        commit(consumer, assignment, false);
    }

    private void commit(Consumer<?, ?> consumer, Set<TopicPartition> partitions, boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Partition partition = partition(tp);
            OptionalLong committable = books.committable(partition);
            Long last = committed.get(partition);
            if (committable.isPresent() && (last == null || committable.getAsLong() > last)) {
                offsets.put(tp, new OffsetAndMetadata(committable.getAsLong()));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        offsets.forEach((tp, offset) -> committed.put(partition(tp), offset.offset()));
        if (sync) {
            consumer.commitSync(offsets);
            return;
        }
        consumer.commitAsync(offsets, (done, failure) -> {
            if (failure != null) {
                LOG.warn("Committing offsets failed ({}); they are committed again after the next poll", failure.getMessage());
                done.keySet().forEach(tp -> committed.remove(partition(tp)));
                offsets.keySet().forEach(tp -> committed.remove(partition(tp)));
            }
        });
    }

    private void seekBackFailed(Consumer<?, ?> consumer, Set<TopicPartition> assignment) {
        Map<Partition, Long> failed = books.failedPartitions();
        if (failed.isEmpty()) {
            return;
        }
        Set<TopicPartition> paused = pausedForFailure.computeIfAbsent(consumer, c -> ConcurrentHashMap.newKeySet());
        for (TopicPartition tp : assignment) {
            Long since = failed.get(partition(tp));
            if (since == null) {
                continue;
            }
            if (paused.add(tp)) {
                consumer.pause(Set.of(tp));
                LOG.warn("Work of {} was not accounted for; reading it again from offset {} in {} ms", tp,
                        books.committable(partition(tp)).orElse(-1), failurePause.toMillis());
            }
            if (clock.millis() - since >= failurePause.toMillis()) {
                commit(consumer, Set.of(tp));
                OptionalLong from = books.committable(partition(tp));
                if (from.isPresent()) {
                    consumer.seek(tp, from.getAsLong());
                } else {
                    OffsetAndMetadata last = consumer.committed(Set.of(tp)).get(tp);
                    if (last != null) {
                        consumer.seek(tp, last.offset());
                    }
                }
                books.readAgain(partition(tp));
                committed.remove(partition(tp));
                paused.remove(tp);
                if (!pausedForLoad.getOrDefault(consumer, Set.of()).contains(tp)) {
                    consumer.resume(Set.of(tp));
                }
            }
        }
    }

    private void balanceLoad(Consumer<?, ?> consumer, Set<TopicPartition> assignment) {
        Set<TopicPartition> paused = pausedForLoad.computeIfAbsent(consumer, c -> ConcurrentHashMap.newKeySet());
        paused.retainAll(assignment);
        int pending = books.pending();
        if (pending >= maxInFlightRecords && !loadWait.isZero()) {
            try {
                pending = books.awaitPendingBelow(maxInFlightRecords, loadWait.toMillis(), () -> stopping);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (pending >= maxInFlightRecords) {
            Set<TopicPartition> pause = new HashSet<>(assignment);
            pause.removeAll(paused);
            if (!pause.isEmpty()) {
                LOG.debug("{} records in flight (kafka.max-in-flight-records={}): pausing {}", pending, maxInFlightRecords, pause);
                consumer.pause(pause);
                paused.addAll(pause);
            }
        } else if (!paused.isEmpty()) {
            Set<TopicPartition> resume = new HashSet<>(paused);
            resume.removeAll(pausedForFailure.getOrDefault(consumer, Set.of()));
            consumer.resume(resume);
            paused.clear();
        }
    }

    private void noteLag(Consumer<?, ?> consumer, Set<TopicPartition> assignment) {
        for (TopicPartition tp : assignment) {
            OptionalLong behind = consumer.currentLag(tp);
            if (behind.isEmpty()) {
                continue;
            }
            long position = consumer.position(tp);
            Long last = committed.get(partition(tp));
            long from = last != null ? last : books.committable(partition(tp)).orElse(position);
            lag.note(tp.topic(), tp.partition(), position + behind.getAsLong() - from);
        }
    }

    private static Partition partition(TopicPartition tp) {
        return new Partition(tp.topic(), tp.partition());
    }
}
