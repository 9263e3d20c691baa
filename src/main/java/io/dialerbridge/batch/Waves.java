package io.dialerbridge.batch;

import io.dialerbridge.element.Element;

import java.io.Closeable;
import java.io.IOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Keeps the changes to one dialer record in source order while a file's batches travel in
 * parallel. The work comes in <em>waves</em>: a wave is the longest run of work whose batches all
 * change different records, read lazily, so its batches may all be in flight at once (route
 * {@code process-file} keeps {@code batch.max-in-flight} of them going). A batch that changes a
 * record the current wave already changes starts the next wave, which begins only once the whole
 * current wave is accounted for, bisection halves and element re-sends included. So a later change
 * never overtakes an earlier one, nothing waits inside a sending thread, and a file whose elements
 * change different records flows without a pause (a wave also ends after {@link #MAX_RECORDS}
 * records, which bounds the memory a wave needs).
 *
 * <p>Together with {@link Batcher}, which never puts two changes to one record in one batch, a
 * batch's elements can be bisected or re-sent independently. Kafka polls get waves from
 * {@link PollBatcher}.
 */
public final class Waves implements Iterator<Iterator<Work>>, Closeable {

    /** The records one wave may change before it ends: bounds the memory of a wave. */
    static final int MAX_RECORDS = 100_000;

    private final Iterator<Work> work;
    private final int maxRecords;
    private Work carried;
    private Wave current;

    public Waves(Iterator<Work> work) {
        this(work, MAX_RECORDS);
    }

    Waves(Iterator<Work> work, int maxRecords) {
        this.work = work;
        this.maxRecords = maxRecords;
    }

    @Override
    public boolean hasNext() {
        return carried != null || work.hasNext();
    }

    @Override
    public Iterator<Work> next() {
        if (current != null && current.hasNext()) {
            throw new IllegalStateException("the previous wave was not sent whole");
        }
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        current = new Wave();
        return current;
    }

    @Override
    public void close() throws IOException {
        if (work instanceof Closeable closeable) {
            closeable.close();
        }
    }

    /** One wave, read as it is sent: ends before the first batch that changes one of its records. */
    private final class Wave implements Iterator<Work> {
        private final Set<String> records = new HashSet<>();
        private boolean ended;

        @Override
        public boolean hasNext() {
            if (ended) {
                return false;
            }
            if (carried == null && work.hasNext()) {
                carried = work.next();
            }
            if (carried == null || carried instanceof Batch batch && (sharesARecord(batch) || records.size() >= maxRecords)
                    && !records.isEmpty()) {
                ended = true;
            }
            return !ended;
        }

        @Override
        public Work next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Work next = carried;
            carried = null;
            if (next instanceof Batch batch) {
                for (Element element : batch.elements()) {
                    String record = element.recordKey();
                    if (record != null) {
                        records.add(record);
                    }
                }
            }
            return next;
        }

        private boolean sharesARecord(Batch batch) {
            for (Element element : batch.elements()) {
                String record = element.recordKey();
                if (record != null && records.contains(record)) {
                    return true;
                }
            }
            return false;
        }
    }
}
