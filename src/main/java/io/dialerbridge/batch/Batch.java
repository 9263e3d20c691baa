package io.dialerbridge.batch;

import io.dialerbridge.element.Element;
import io.dialerbridge.operation.Operation;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Valid elements for one project and operation, sent in one request. It counts how many times it
 * has been sent and notes when it was first sent, for the retry budget and the dead letters.
 */
public final class Batch implements Work {

    private final String projectId;
    private final Operation operation;
    private final ObjectNode defaults;
    private final List<Element> elements;
    private final AtomicInteger attempts = new AtomicInteger();
    private volatile long firstSentAt;

    /**
     * @param defaults request-level defaults that came with the elements from their source, or null
     */
    public Batch(String projectId, Operation operation, ObjectNode defaults, List<Element> elements) {
        this.projectId = projectId;
        this.operation = operation;
        this.defaults = defaults;
        this.elements = List.copyOf(elements);
    }

    public String projectId() {
        return projectId;
    }

    public Operation operation() {
        return operation;
    }

    public ObjectNode defaults() {
        return defaults;
    }

    public List<Element> elements() {
        return elements;
    }

    @Override
    public String kind() {
        return "batch";
    }

    /** Deterministic: the ids of its first and last element and its size. */
    public String id() {
        return elements.get(0).id() + ".." + elements.get(elements.size() - 1).id() + "#" + elements.size();
    }

    public int size() {
        return elements.size();
    }

    /** Notes that it is being sent (once more); returns the number of this attempt, from 1. */
    public int attempt() {
        int attempt = attempts.incrementAndGet();
        if (attempt == 1) {
            firstSentAt = System.currentTimeMillis();
        }
        return attempt;
    }

    /** When it was first sent, epoch milliseconds (0 before). */
    public long firstSentAt() {
        return firstSentAt;
    }

    /** How many times it has been sent. */
    public int attempts() {
        return attempts.get();
    }

    /** The two halves of this batch, for isolating what the dialer refuses; each starts uncounted. */
    public List<Batch> halves() {
        int mid = elements.size() / 2;
        return List.of(new Batch(projectId, operation, defaults, elements.subList(0, mid)),
                new Batch(projectId, operation, defaults, elements.subList(mid, elements.size())));
    }

    @Override
    public String toString() {
        return "batch of " + elements.size() + " " + operation + " for project " + projectId
                + " from " + elements.get(0).source();
    }
}
