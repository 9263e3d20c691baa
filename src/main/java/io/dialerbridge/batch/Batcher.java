package io.dialerbridge.batch;

import io.dialerbridge.element.Element;
import io.dialerbridge.element.Rejection;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns a stream of elements into work: a {@link Batch} of valid elements for one project and
 * operation, or a single {@link Rejected} element bound for the dead letters. A batch closes when
 * it reaches {@code maxElements}, when {@code maxWait} has passed since its first element, when the
 * project, operation or source defaults change, or at the end of the stream.
 */
public final class Batcher implements Iterator<Work>, Closeable {

    private final Iterator<Element> elements;
    private final Function<Element, Rejection> validator;
    private final int maxElements;
    private final Duration maxWait;
    private final Clock clock;

    private final List<Element> open = new ArrayList<>();
    private long openedAt;
    private Work ready;
    private Element carried;

    public Batcher(Iterator<Element> elements, Function<Element, Rejection> validator, int maxElements,
                   Duration maxWait, Clock clock) {
        if (maxElements < 1) {
            throw new IllegalArgumentException("batch.max-elements must be at least 1, was " + maxElements);
        }
        this.elements = elements;
        this.validator = validator;
        this.maxElements = maxElements;
        this.maxWait = maxWait;
        this.clock = clock;
    }

    @Override
    public boolean hasNext() {
        if (ready == null) {
            ready = advance();
        }
        return ready != null;
    }

    @Override
    public Work next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Work work = ready;
        ready = null;
        return work;
    }

    private Work advance() {
        if (carried != null) {
            open(carried);
            carried = null;
        }
        while (elements.hasNext()) {
            Element element = check(elements.next());
            if (!element.isValid()) {
                return new Rejected(element);
            }
            if (!open.isEmpty() && (!fits(element) || clock.millis() - openedAt >= maxWait.toMillis())) {
                carried = element;
                return closeBatch();
            }
            open(element);
            if (open.size() >= maxElements) {
                return closeBatch();
            }
        }
        return open.isEmpty() ? null : closeBatch();
    }

    private Element check(Element element) {
        if (!element.isValid()) {
            return element;
        }
        Rejection rejection = validator.apply(element);
        return rejection == null ? element : element.rejected(rejection);
    }

    private boolean fits(Element element) {
        Element first = open.get(0);
        return first.projectId().equals(element.projectId())
                && first.operation() == element.operation()
                && Objects.equals(first.defaults(), element.defaults());
    }

    private void open(Element element) {
        if (open.isEmpty()) {
            openedAt = clock.millis();
        }
        open.add(element);
    }

    private Batch closeBatch() {
        Element first = open.get(0);
        ObjectNode defaults = first.defaults();
        Batch batch = new Batch(first.projectId(), first.operation(), defaults, open);
        open.clear();
        return batch;
    }

    @Override
    public void close() throws IOException {
        if (elements instanceof Closeable closeable) {
            closeable.close();
        }
    }
}
