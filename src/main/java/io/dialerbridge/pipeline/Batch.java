package io.dialerbridge.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Valid elements for one project and operation, sent in one request.
 *
 * @param defaults request-level defaults that came with the elements from their source, or null
 */
public record Batch(String projectId, Operation operation, ObjectNode defaults, List<Element> elements) {

    public Batch {
        elements = List.copyOf(elements);
    }

    /** Deterministic: the ids of its first and last element and its size. */
    public String id() {
        return elements.get(0).id() + ".." + elements.get(elements.size() - 1).id() + "#" + elements.size();
    }

    public int size() {
        return elements.size();
    }

    /** The two halves of this batch, for isolating what the dialer refuses. */
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
