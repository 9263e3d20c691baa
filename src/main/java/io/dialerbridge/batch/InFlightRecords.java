package io.dialerbridge.batch;

import io.dialerbridge.batch.OffsetTracker.Partition;
import io.dialerbridge.element.Element;
import io.dialerbridge.source.PolledRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The books of the Kafka source while it keeps polling with work in flight: which records may go now,
 * which wait, and up to where each partition may be committed ({@link OffsetTracker}).
 *
 * <p>Order per dialer record: two changes to one record (same project and {@code numberid}, or the same
 * {@code search}) are never in flight at once. A change to a record that is in flight, or that an earlier
 * held change waits for, is held, and goes (in offset order) once the earlier one is accounted for. So a
 * later change is never overwritten by an earlier one, whatever the retries, splits and re-sends.
 *
 * <p>A partition whose work failed (not accounted for: say the dead-letter topic did not acknowledge)
 * takes nothing more until its consumer reads it again from the committed offset ({@link #readAgain}):
 * what it holds is dropped, what it reads meanwhile is ignored; both come again. Thread-safe: the
 * consumer threads admit, the sender threads account.
 */
public final class InFlightRecords {

    private final PollBatcher batcher;
    private final OffsetTracker offsets = new OffsetTracker();
    /** The element in flight for each record key. */
    private final Map<String, Element> inFlight = new HashMap<>();
    /** Valid elements waiting for an earlier change to their record, in arrival order. */
    private final List<Element> held = new ArrayList<>();
    /** How many held elements each record key has. */
    private final Map<String, Integer> heldKeys = new HashMap<>();
    /** Partitions whose work failed, and since when (ms). */
    private final Map<Partition, Long> failed = new LinkedHashMap<>();

    public InFlightRecords(PollBatcher batcher) {
        this.batcher = batcher;
    }

    /**
     * The records of a poll (offset order per partition): returns the work that may go now. The records
     * are read into elements (decoded, parsed, checked) before the books are taken, so the senders can
     * account for their work, and other consumers admit theirs, meanwhile.
     */
    public List<Work> admit(List<PolledRecord> records) {
        Set<Partition> failedBefore;
        synchronized (this) {
            failedBefore = failed.isEmpty() ? Set.of() : Set.copyOf(failed.keySet());
        }
        PollBatcher.Read[] reads = new PollBatcher.Read[records.size()];
        for (int i = 0; i < reads.length; i++) {
            PolledRecord record = records.get(i);
            if (!failedBefore.contains(new Partition(record.topic(), record.partition()))) {
                reads[i] = batcher.read(record);
            }
        }
        return admit(records, reads);
    }

    private synchronized List<Work> admit(List<PolledRecord> records, PollBatcher.Read[] reads) {
        List<Work> work = new ArrayList<>();
        List<Element> ready = new ArrayList<>();
        for (int i = 0; i < reads.length; i++) {
            PolledRecord record = records.get(i);
            Partition partition = new Partition(record.topic(), record.partition());
            if (reads[i] == null || failed.containsKey(partition)) {
                continue; // read again once the partition is sought back
            }
            Element element = reads[i].element();
            if (element == null) {
                batcher.count(reads[i].ignored()); // taken: counted once, as it is accounted for below
            }
            Object token = element != null ? element : new Object();
            if (!offsets.admit(partition, record.offset(), token)) {
                dropHeld(partition::equals);
            }
            if (element == null) {
                // ignored on purpose (a tombstone, a skipped delete), and counted by the batcher: accounted for
                offsets.accounted(partition, record.offset(), token);
            } else if (!element.isValid()) {
                work.add(new Rejected(element));
            } else if (element.recordKey() == null
                    || !inFlight.containsKey(element.recordKey()) && !heldKeys.containsKey(element.recordKey())) {
                claim(element);
                ready.add(element);
            } else {
                held.add(element);
                heldKeys.merge(element.recordKey(), 1, Integer::sum);
            }
        }
        work.addAll(batcher.batches(ready));
        return work;
    }

    /** Every element of the work is accounted for: returns the held work that may go now. */
    public synchronized List<Work> accounted(Work work) {
        for (Element element : elements(work)) {
            offsets.accounted(partition(element), element.source().offset(), element);
            release(element);
        }
        notifyAll();
        return releaseHeld();
    }

    /** {@link #failed(Work, long)} now. */
    public List<Work> failed(Work work) {
        return failed(work, System.currentTimeMillis());
    }

    /**
     * The work could not be accounted for: its partitions take nothing more until they are read again
     * ({@link #readAgain}). Returns the held work of other partitions that may go now.
     */
    public synchronized List<Work> failed(Work work, long nowMillis) {
        for (Element element : elements(work)) {
            Partition partition = partition(element);
            failed.putIfAbsent(partition, nowMillis);
            release(element);
        }
        dropHeld(failed::containsKey);
        notifyAll();
        return releaseHeld();
    }

    /** Failed partitions, and when they failed (ms). */
    public synchronized Map<Partition, Long> failedPartitions() {
        return Map.copyOf(failed);
    }

    /** The consumer reads the partition again from its committed offset: its books start afresh. */
    public synchronized void readAgain(Partition partition) {
        failed.remove(partition);
        forget(partition);
    }

    /**
     * The partition is no longer this consumer's, or comes anew: its books start afresh, its held work is
     * dropped (the next owner reads it again); work in flight finishes, but no longer counts.
     */
    public synchronized void forget(Partition partition) {
        failed.remove(partition);
        dropHeld(partition::equals);
        offsets.forget(partition);
    }

    /** Drops the held work of the partitions (they are read again): so only work in flight remains. */
    public synchronized void dropHeld(Set<Partition> partitions) {
        dropHeld(partitions::contains);
    }

    /** The offset the partition may be committed to (see {@link OffsetTracker#committable}). */
    public synchronized OptionalLong committable(Partition partition) {
        return offsets.committable(partition);
    }

    /** Records read and not yet accounted for (in flight or held), over all partitions. */
    public synchronized int pending() {
        return offsets.pending();
    }

    /**
     * Waits, at most {@code maxWaitMillis}, until fewer than {@code limit} records are read and not yet
     * accounted for (woken as work is accounted for or fails), or {@code giveUp} says to stop waiting
     * (checked every 50 ms); returns how many are then.
     */
    public synchronized int awaitPendingBelow(int limit, long maxWaitMillis, java.util.function.BooleanSupplier giveUp)
            throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        long left;
        while (offsets.pending() >= limit && !giveUp.getAsBoolean()
                && (left = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) > 0) {
            wait(Math.min(left, 50));
        }
        return offsets.pending();
    }

    /** Records of the partition read and not yet accounted for. */
    public synchronized int pending(Partition partition) {
        return offsets.pending(partition);
    }

    private void claim(Element element) {
        if (element.recordKey() != null) {
            inFlight.put(element.recordKey(), element);
        }
    }

    private void release(Element element) {
        if (element.recordKey() != null) {
            inFlight.remove(element.recordKey(), element);
        }
    }

    private List<Work> releaseHeld() {
        if (held.isEmpty()) {
            return List.of();
        }
        List<Element> ready = new ArrayList<>();
        Set<String> blocked = new HashSet<>();
        for (Iterator<Element> it = held.iterator(); it.hasNext(); ) {
            Element element = it.next();
            String key = element.recordKey();
            if (!inFlight.containsKey(key) && blocked.add(key)) {
                it.remove();
                unhold(key);
                claim(element);
                ready.add(element);
            } else {
                blocked.add(key);
            }
        }
        return batcher.batches(ready);
    }

    private void dropHeld(Predicate<Partition> which) {
        held.removeIf(element -> {
            if (which.test(partition(element))) {
                unhold(element.recordKey());
                return true;
            }
            return false;
        });
    }

    private void unhold(String key) {
        heldKeys.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
    }

    private static Partition partition(Element element) {
        return new Partition(element.source().topic(), element.source().partition());
    }

    private static List<Element> elements(Work work) {
        return work instanceof Batch batch ? batch.elements() : List.of(((Rejected) work).element());
    }
}
