package io.dialerbridge.batch;

import io.dialerbridge.element.Element;

/** An element refused before sending (unreadable, invalid): bound for the dead letters. */
public record Rejected(Element element) implements Work {

    @Override
    public String kind() {
        return "rejected";
    }

    /** Its outcome, to be recorded like a batch's. */
    public BatchOutcome outcome() {
        return BatchOutcome.single(element);
    }
}
