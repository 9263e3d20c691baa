package io.dialerbridge.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What is particular to one operation: how an element is checked before sending, and which of its
 * keys go on the wire. Everything else (reading, batching, sending, partial results, dead letters)
 * is shared.
 */
public interface OperationRules {

    /** Null when the element may be sent, else why not (the API's own error names where they exist). */
    Rejection validate(ObjectNode element);

    /** The element as the API takes it: only the keys the API knows, in API form. */
    ObjectNode toWire(ObjectNode element);
}
