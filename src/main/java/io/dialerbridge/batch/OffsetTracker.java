package io.dialerbridge.batch;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Up to where each partition of a Kafka source may be committed while its records are still in flight:
 * the highest offset below which every admitted record is accounted for (accepted or durably
 * dead-lettered), as Kafka Connect's offset tracking and Confluent's parallel consumer do it.
 *
 * <p>Records are admitted in offset order per partition (gaps allowed: compaction, transaction markers);
 * each holds a token (the element that carries it), and only that same token accounts for it. A record
 * admitted below the partition's last one means the consumer went back (a seek after a failure, a
 * reassignment, a reconnect): the partition's books start afresh, and what the old books had in flight
 * no longer counts, since it is read again. Not thread-safe: its owner synchronises.
 */
public final class OffsetTracker {

    private static final class Books {
        final TreeMap<Long, Object> pending = new TreeMap<>();
        long next = -1; // one past the last admitted offset
    }

    /** A topic partition, by name. */
    public record Partition(String topic, int partition) {
        @Override
        public String toString() {
            return topic + "/" + partition;
        }
    }

    private final Map<Partition, Books> books = new HashMap<>();
    private int pending;

    /**
     * A record was read; {@code token} will account for it. Returns false when the partition went back
     * (its books were started afresh).
     */
    public boolean admit(Partition partition, long offset, Object token) {
        Books b = books.computeIfAbsent(partition, p -> new Books());
        boolean forward = b.next < 0 || offset >= b.next;
        if (!forward) {
            pending -= b.pending.size();
            b.pending.clear();
        }
        if (b.pending.put(offset, token) == null) {
            pending++;
        }
        b.next = offset + 1;
        return forward;
    }

    /** The record is accounted for; false if the books no longer hold it (they started afresh since). */
    public boolean accounted(Partition partition, long offset, Object token) {
        Books b = books.get(partition);
        if (b == null || b.pending.get(offset) != token) {
            return false;
        }
        b.pending.remove(offset);
        pending--;
        return true;
    }

    /**
     * The offset to commit for the partition: its lowest record not yet accounted for, or one past the last
     * admitted one when all are; empty when nothing was admitted since the books started.
     */
    public OptionalLong committable(Partition partition) {
        Books b = books.get(partition);
        if (b == null || b.next < 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(b.pending.isEmpty() ? b.next : b.pending.firstKey());
    }

    /** Records of the partition admitted and not yet accounted for. */
    public int pending(Partition partition) {
        Books b = books.get(partition);
        return b == null ? 0 : b.pending.size();
    }

    /** Records admitted and not yet accounted for, over all partitions. */
    public int pending() {
        return pending;
    }

    /** The partition's books start afresh (it was reassigned, revoked or read again from its committed offset). */
    public void forget(Partition partition) {
        Books b = books.remove(partition);
        if (b != null) {
            pending -= b.pending.size();
        }
    }
}
