package io.dialerbridge.batch;

import io.dialerbridge.element.Element;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Keeps the changes to one dialer record in source order while a file's batches travel in
 * parallel: the work comes in <em>waves</em> of at most {@code maxInFlight} pieces, whose batches
 * change different records, so they may go at once; a wave starts only once the previous one is
 * accounted for (route {@code process-file}), including bisection halves and element re-sends.
 * A batch that changes a record the current wave already changes starts the next wave. So a later
 * change never overtakes an earlier one, and nothing waits inside a sending thread.
 *
 * <p>Together with {@link Batcher}, which never puts two changes to one record in one batch, a
 * batch's elements can be bisected or re-sent independently. Kafka polls get the same waves from
 * {@link PollBatcher}.
 */
public final class Waves implements Iterator<List<Work>>, Closeable {

    private final Iterator<Work> work;
    private final int maxInFlight;
    private Work carried;

    public Waves(Iterator<Work> work, int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("batch.max-in-flight must be at least 1, was " + maxInFlight);
        }
        this.work = work;
        this.maxInFlight = maxInFlight;
    }

    @Override
    public boolean hasNext() {
        return carried != null || work.hasNext();
    }

    @Override
    public List<Work> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        List<Work> wave = new ArrayList<>();
        Set<String> records = new HashSet<>();
        Work next = carried != null ? carried : work.next();
        carried = null;
        while (true) {
            if (next instanceof Batch batch && sharesARecord(batch, records)) {
                carried = next;
                return wave;
            }
            wave.add(next);
            if (next instanceof Batch batch) {
                for (Element element : batch.elements()) {
                    if (element.recordKey() != null) {
                        records.add(element.recordKey());
                    }
                }
            }
            if (wave.size() >= maxInFlight || !work.hasNext()) {
                return wave;
            }
            next = work.next();
        }
    }

    private static boolean sharesARecord(Batch batch, Set<String> records) {
        for (Element element : batch.elements()) {
            if (element.recordKey() != null && records.contains(element.recordKey())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        if (work instanceof Closeable closeable) {
            closeable.close();
        }
    }
}
