package io.dialerbridge.batch;

import io.dialerbridge.element.Element;

import java.util.HashMap;
import java.util.Map;

/**
 * Keeps the changes to one dialer record in source order while batches of one source travel in
 * parallel. A batch is admitted only once no earlier batch of the source still holds an element
 * for one of its records; until then the source's reading thread waits here, so later work is not
 * read ahead past it. A record is released when its element is accounted for (accepted, or durably
 * dead-lettered), which covers bisection halves and element re-sends: a re-sent element keeps its
 * record until its re-send is answered.
 *
 * <p>A batch that ends without every element accounted for (an unexpected failure) leaves its
 * records unresolved: no later change to them may go first, so every later admission fails with
 * {@link EarlierChangeFailed} and the source stops (it resumes from its journal).
 *
 * <p>Two elements for the same record never share a batch ({@link Batcher} closes the batch), so a
 * batch's elements can be bisected or re-sent independently.
 */
public final class RecordOrder {

    /** record key to the id of the element holding it */
    private final Map<String, String> held = new HashMap<>();
    private String failure;

    /** Waits until no earlier batch holds a record of this one, then lets it hold them. */
    public synchronized void admit(Batch batch) throws InterruptedException {
        while (failure == null && holdsAny(batch)) {
            wait();
        }
        if (failure != null) {
            throw new EarlierChangeFailed(failure);
        }
        for (Element element : batch.elements()) {
            String key = element.recordKey();
            if (key != null) {
                held.put(key, element.id());
            }
        }
    }

    /** An element is accounted for: its record is free for the next change. */
    public synchronized void accounted(Element element) {
        String key = element.recordKey();
        if (key != null && held.remove(key, element.id())) {
            notifyAll();
        }
    }

    /**
     * A batch's route has ended, successfully or not. Any of its elements not accounted for means a
     * change that may still be applied later, so no later change to its record may be sent.
     */
    public synchronized void settled(Batch batch) {
        for (Element element : batch.elements()) {
            String key = element.recordKey();
            if (key != null && held.remove(key, element.id()) && failure == null) {
                failure = "line " + element.source().line() + " of " + element.source().file()
                        + " was not accounted for; later changes to the same record wait for a restart";
            }
        }
        notifyAll();
    }

    /** Whether any record is still held (for tests and diagnostics). */
    public synchronized int held() {
        return held.size();
    }

    private boolean holdsAny(Batch batch) {
        for (Element element : batch.elements()) {
            String key = element.recordKey();
            if (key != null && held.containsKey(key)) {
                return true;
            }
        }
        return false;
    }

    /** An earlier change to a record this batch changes ended without being accounted for. */
    public static final class EarlierChangeFailed extends RuntimeException {
        public EarlierChangeFailed(String why) {
            super(why);
        }
    }
}
